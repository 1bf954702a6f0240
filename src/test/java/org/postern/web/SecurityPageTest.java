package org.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postern.auth.Totp;
import org.postern.server.ListenerName;
import org.postern.testing.ImapClient;
import org.postern.testing.TestServer;

/** The account security page, driven as a browser does, checked through IMAP as a mail client sees it. */
@Timeout(60)
class SecurityPageTest {
    static final String ALICE = "alice@example.org";

    @TempDir
    Path dir;

    TestServer server;
    WebClient web;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.startWithWeb(dir, Map.of(), ALICE);
        web = new WebClient("https://127.0.0.1:" + server.address(ListenerName.HTTPS).getPort());
        web.signIn(ALICE, TestServer.PASSWORD);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    long alice() {
        return server.services().directory().account(ALICE).orElseThrow().id();
    }

    static String group(String regex, String body) {
        Matcher m = Pattern.compile(regex).matcher(body);
        assertThat(m.find()).as("%s in the page", regex).isTrue();
        return m.group(1);
    }

    @Test
    void twoStepVerificationGoesOnOnlyWithACodeFromTheScannedSecret() throws Exception {
        assertThat(web.open("/security").body()).contains("Off.").contains("Turn on 2-Step Verification");
        HttpResponse<String> start = web.post("/security/2sv/start", Map.of());
        assertThat(start.statusCode()).isEqualTo(303);
        HttpResponse<String> enrol = web.open(WebClient.location(start));
        assertThat(enrol.body()).contains("<svg").contains("role=\"img\"").contains("aria-label=\"QR code");
        String secret = group("id=\"totp-secret\">([A-Z2-7]+)<", enrol.body());

        HttpResponse<String> wrong = web.post("/security/2sv/confirm", Map.of("code", "000000".equals(code(secret)) ? "111111" : "000000"));
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.body()).contains("That code is not right");
        assertThat(server.services().twoStep().isOn(alice())).isFalse();

        HttpResponse<String> ok = web.post("/security/2sv/confirm", Map.of("code", code(secret)));
        assertThat(ok.statusCode()).isEqualTo(303);
        assertThat(server.services().twoStep().isOn(alice())).isTrue();
        String page = web.open("/security").body();
        assertThat(page).contains("2-Step Verification is on. Keep these backup codes").contains("On.");
        assertThat(Pattern.compile("\\b\\d{4} ?\\d{4}\\b").matcher(page.substring(page.indexOf("class=\"secret\""))).results().count())
                .as("ten backup codes").isGreaterThanOrEqualTo(10);
        // Shown once: the next visit does not show the codes again.
        assertThat(web.open("/security").body()).doesNotContain("Keep these backup codes");
        // This browser stays signed in although password sign-ins were revoked.
        assertThat(web.get("/security").statusCode()).isEqualTo(200);

        // A mail client with the account password now gets the app-password text.
        try (ImapClient imap = ImapClient.tls(server.imapsPort())) {
            imap.readLine();
            var r = imap.command("a LOGIN " + ALICE + " \"" + TestServer.PASSWORD + "\"").expectNo("AUTHENTICATIONFAILED");
            assertThat(r.untagged).anyMatch(l -> l.startsWith("* NO [ALERT] Application-specific password required"));
        }
    }

    @Test
    void anAppPasswordIsShownOnceWorksInImapAndRevokingItEndsTheSession() throws Exception {
        HttpResponse<String> r = web.post("/security/app-passwords", Map.of("app-name", "Thunderbird <laptop>"));
        assertThat(r.statusCode()).isEqualTo(303);
        String page = web.open("/security").body();
        assertThat(page).contains("Your app password for &quot;Thunderbird &lt;laptop&gt;&quot;").doesNotContain("<laptop>");
        String password = group("class=\"secret\">([a-z]{4} [a-z]{4} [a-z]{4} [a-z]{4})<", page);
        assertThat(web.open("/security").body()).doesNotContain(password);

        try (ImapClient imap = ImapClient.tls(server.imapsPort())) {
            imap.readLine();
            imap.login(ALICE, password);
            assertThat(web.open("/security").body()).contains("IMAP from 127.0.0.1").contains("app password &quot;Thunderbird &lt;laptop&gt;&quot;");
            assertThat(web.post("/security/app-passwords/revoke", Map.of("name", "Thunderbird <laptop>")).statusCode()).isEqualTo(303);
            assertThat(web.open("/security").body()).contains("Revoked &quot;Thunderbird &lt;laptop&gt;&quot;");
            imap.awaitBye(20_000);
        }
        try (ImapClient imap = ImapClient.tls(server.imapsPort())) {
            imap.readLine();
            imap.command("a LOGIN " + ALICE + " \"" + password + "\"").expectNo("AUTHENTICATIONFAILED");
        }
    }

    @Test
    void aDeviceCanBeSignedOutAndTheActivityShowsRefusalsWithTheirReason() throws Exception {
        try (ImapClient imap = ImapClient.tls(server.imapsPort())) {
            imap.readLine();
            imap.command("a LOGIN " + ALICE + " \"wrong-password\"").expectNo("AUTHENTICATIONFAILED");
        }
        try (ImapClient imap = ImapClient.tls(server.imapsPort())) {
            imap.readLine();
            imap.command("i ID (\"name\" \"Thunderbird\")");
            imap.login(ALICE, TestServer.PASSWORD);
            String page = web.open("/security").body();
            assertThat(page).contains("refused</span> IMAP").contains("wrong password").contains("Thunderbird");
            String device = group("name=\"device\" value=\"(\\d+)\"><button type=\"submit\" class=\"link\" aria-label=\"Sign out Thunderbird\"", page);
            assertThat(web.post("/security/devices/sign-out", Map.of("device", device)).statusCode()).isEqualTo(303);
            imap.awaitBye(20_000);
        }
        assertThat(web.post("/security/devices/sign-out", Map.of("device", "not-a-number")).statusCode()).isEqualTo(303);
        assertThat(web.open("/security").body()).contains("There is no such device.");
    }

    @Test
    void changingThePasswordNeedsTheCurrentOneAndSignsThisBrowserOut() throws Exception {
        web.post("/security/password", Map.of("current-password", "wrong", "new-password", "New-Password-2", "confirm-password", "New-Password-2"));
        assertThat(web.open("/security").body()).contains("The current password was not right; nothing changed.");
        web.post("/security/password", Map.of("current-password", TestServer.PASSWORD, "new-password", "New-Password-2",
                "confirm-password", "Other-Password-3"));
        assertThat(web.open("/security").body()).contains("The two new passwords differ");
        HttpResponse<String> r = web.post("/security/password", Map.of("current-password", TestServer.PASSWORD,
                "new-password", "New-Password-2", "confirm-password", "New-Password-2"));
        assertThat(r.headers().firstValue("Location")).hasValue("/signin");
        assertThat(web.get("/security").statusCode()).isEqualTo(303);
        assertThat(web.signIn(ALICE, "New-Password-2").body()).contains("Save Changes");
    }

    @Test
    void twoStepVerificationIsTurnedOffOnlyWithThePasswordAndBackupCodesCanBeRenewed() throws Exception {
        String secret = Totp.newSecret();
        server.services().security().enableTwoStep(alice(), secret, java.util.List.of());
        // Turned on elsewhere, it signs this browser out at once; it signs in again with a code.
        assertThat(web.get("/security").statusCode()).isEqualTo(303);
        web.get("/signin");
        web.post("/signin", Map.of("email", ALICE, "password", TestServer.PASSWORD, "next", "/security"));
        web.get("/signin/code");
        assertThat(web.post("/signin/code", Map.of("code", code(secret), "next", "/security")).statusCode()).isEqualTo(303);
        web.open("/security");
        web.post("/security/backup-codes", Map.of());
        String page = web.open("/security").body();
        assertThat(page).contains("Your new backup codes");
        assertThat(server.services().twoStep().backupCodesLeft(alice())).isEqualTo(10);
        web.post("/security/2sv/off", Map.of("off-password", "wrong"));
        assertThat(web.open("/security").body()).contains("The password was not right; 2-Step Verification is still on.");
        assertThat(server.services().twoStep().isOn(alice())).isTrue();
        web.post("/security/2sv/off", Map.of("off-password", TestServer.PASSWORD));
        assertThat(server.services().twoStep().isOn(alice())).isFalse();
    }

    static String code(String secret) {
        return Totp.code(secret, Totp.step(System.currentTimeMillis()));
    }
}
