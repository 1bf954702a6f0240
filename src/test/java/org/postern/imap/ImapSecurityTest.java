package org.postern.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.auth.Secrets;
import org.postern.store.Directory.Account;
import org.postern.store.Mailbox;
import org.postern.store.Security;
import org.postern.testing.ImapClient;
import org.postern.testing.TestServer;

/** Issue 5 over IMAP: 2-Step Verification, app passwords, throttling, activity, OAuth, revocation. */
class ImapSecurityTest {
    @TempDir
    static Path dir;
    static TestServer server;
    static final String PW = TestServer.PASSWORD;
    static final String APP_REQUIRED = "* NO [ALERT] Application-specific password required: https://localhost/help/app-passwords";

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, Map.of("auth.sign-in-notices", "yes"),
                "two@example.org", "plain@example.org", "hammer@example.org", "oauth@example.org", "idle@example.org");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Account account(String email) {
        return server.services().directory().account(email).orElseThrow();
    }

    static String appPassword(String email, String name) {
        String p = Secrets.newAppPassword();
        server.services().security().addAppPassword(account(email).id(), name, Secrets.sha256(p));
        return p;
    }

    static ImapClient connect() throws Exception {
        ImapClient c = ImapClient.tls(server.imapsPort());
        c.readLine();
        return c;
    }

    @Test
    void withTwoStepOnOnlyAppPasswordsWorkInEveryWayIn() throws Exception {
        server.services().twoStep().enable(account("two@example.org").id(), "two@example.org");
        String app = appPassword("two@example.org", "Thunderbird");
        try (ImapClient c = connect()) {
            c.command("a1 LOGIN two@example.org " + PW).expectUntagged(APP_REQUIRED.substring(2))
                    .expectNo("NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)");
            c.command("a2 AUTHENTICATE PLAIN " + b64("\0two@example.org\0" + PW)).expectUntagged(APP_REQUIRED.substring(2))
                    .expectNo("[AUTHENTICATIONFAILED]");
            c.send("a3 AUTHENTICATE LOGIN");
            c.readLine();
            c.send(b64("two@example.org"));
            c.readLine();
            c.send(b64(PW));
            assertThat(c.readLine()).isEqualTo(APP_REQUIRED);
            assertThat(c.readLine()).isEqualTo("a3 NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)");
            // A wrong password says nothing about 2-Step Verification.
            c.command("a4 LOGIN two@example.org wrong").expectNoUntaggedMatching(".*ALERT.*").expectNo("[AUTHENTICATIONFAILED]");
            // The app password, typed as shown (groups, spaces) or run together, in any case.
            c.command("a5 LOGIN two@example.org \"" + Secrets.formatAppPassword(app).toUpperCase() + "\"").expectOk();
        }
        try (ImapClient c = connect()) {
            c.command("a1 AUTHENTICATE PLAIN " + b64("\0two@example.org\0" + app)).expectOk();
        }
        var events = server.services().security().events(account("two@example.org").id(), 20);
        assertThat(events).extracting(Security.Event::reason)
                .contains("wrong password", "signed in with the app password \"Thunderbird\"")
                .anyMatch(r -> r.contains("2-Step Verification is on"));
        assertThat(events).filteredOn(Security.Event::success).allMatch(e -> e.ip().equals("127.0.0.1") && e.protocol().equals("IMAP"));
    }

    @Test
    void switchedOffImapIsToldEvenToAnAppPasswordButNotToAWrongOne() throws Exception {
        String app = appPassword("plain@example.org", "Phone");
        server.services().directory().update("plain@example.org", new org.postern.store.Directory.Settings(false, null, null));
        try (ImapClient c = connect()) {
            c.command("a1 LOGIN plain@example.org " + app).expectNo("[ALERT] Your account is not enabled for IMAP use.");
            c.command("a2 LOGIN plain@example.org nope").expectNo("[AUTHENTICATIONFAILED]");
        } finally {
            server.services().directory().update("plain@example.org", new org.postern.store.Directory.Settings(true, null, null));
        }
        assertThat(server.services().security().events(account("plain@example.org").id(), 5))
                .extracting(Security.Event::reason).contains("IMAP is switched off for this account");
    }

    @Test
    void aThousandWrongPasswordsStayThrottledWhileTheOwnerGetsInWithAnAppPassword() throws Exception {
        String app = appPassword("hammer@example.org", "Laptop");
        try (ImapClient owner = connect()) {
            owner.command("a1 LOGIN hammer@example.org " + app).expectOk(); // the owner's address is now known
        }
        int throttled = 0;
        try (ImapClient attacker = ImapClient.tls(server.imapsPort(), "127.0.0.2")) {
            attacker.readLine();
            for (int i = 0; i < 1000; i++) {
                var r = attacker.command("x" + i + " LOGIN hammer@example.org guess" + i);
                assertThat(r.tagged).contains(" NO ");
                if (r.tagged.contains("[UNAVAILABLE] Too many failed login attempts; try again in")) {
                    throttled++;
                }
            }
            assertThat(throttled).as("refusals answered as throttled").isGreaterThanOrEqualTo(1000 - 11);
            // The owner's known address still gets in, with the app password.
            try (ImapClient owner = connect()) {
                owner.command("a1 LOGIN hammer@example.org " + app).expectOk();
            }
            // A third address is blocked for this account even with the right password: it is not known.
            try (ImapClient stranger = ImapClient.tls(server.imapsPort(), "127.0.0.3")) {
                stranger.readLine();
                stranger.command("s1 LOGIN hammer@example.org " + app).expectNo("[UNAVAILABLE]");
            }
        }
    }

    @Test
    void oauthBearerAndXoauth2TokensSignInUntilRevoked() throws Exception {
        Account a = account("oauth@example.org");
        String token = Secrets.newToken();
        Security.Token t = server.services().security().addToken(a.id(), Secrets.sha256(token), "test client",
                System.currentTimeMillis() + 3_600_000);
        try (ImapClient c = connect()) {
            c.command("a1 AUTHENTICATE OAUTHBEARER " + b64("n,a=oauth@example.org,\u0001host=localhost\u0001port=993\u0001auth=Bearer "
                    + token + "\u0001\u0001")).expectOk();
        }
        try (ImapClient c = connect()) {
            c.command("a1 AUTHENTICATE XOAUTH2 " + b64("user=oauth@example.org\u0001auth=Bearer " + token + "\u0001\u0001")).expectOk();
        }
        server.services().security().revokeToken(a.id(), t.id());
        try (ImapClient c = connect()) {
            c.send("a1 AUTHENTICATE XOAUTH2 " + b64("user=oauth@example.org\u0001auth=Bearer " + token + "\u0001\u0001"));
            String challenge = c.readLine();
            assertThat(challenge).startsWith("+ ");
            assertThat(new String(Base64.getDecoder().decode(challenge.substring(2)), StandardCharsets.UTF_8)).contains("invalid_token");
            c.send(""); // RFC 7628 §3.2.3: the client answers the error challenge with an empty response
            assertThat(c.readLine()).isEqualTo("a1 NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)");
        }
    }

    @Test
    void revokingAnAppPasswordEndsAnIdleSessionWithinSeconds() throws Exception {
        String app = appPassword("idle@example.org", "Tablet");
        try (ImapClient c = connect()) {
            c.command("a1 LOGIN idle@example.org " + app).expectOk();
            c.command("a2 SELECT INBOX").expectOk();
            c.send("a3 IDLE");
            assertThat(c.readLine()).startsWith("+ ");
            long start = System.nanoTime();
            server.services().security().revokeAppPassword(account("idle@example.org").id(), "Tablet");
            String line = c.readLine();
            while (line != null && line.matches("\\* \\d+ (EXISTS|RECENT)")) {
                line = c.readLine(); // the new-sign-in notice may arrive first
            }
            assertThat(line).startsWith("* BYE");
            assertThat((System.nanoTime() - start) / 1_000_000).as("milliseconds until BYE").isLessThan(10_000);
            assertThat(c.readLine()).isNull();
        }
    }

    @Test
    void theFirstSignInOfADeviceIsAnnouncedInTheInboxOnce() throws Exception {
        try (ImapClient c = connect()) {
            c.command("a1 ID (\"name\" \"Notice Tester\")").expectOk();
            c.command("a2 LOGIN plain@example.org " + PW).expectOk();
        }
        try (ImapClient c = connect()) {
            c.command("a1 ID (\"name\" \"Notice Tester\")").expectOk();
            c.command("a2 LOGIN plain@example.org " + PW).expectOk();
        }
        long inbox = server.services().store().mailbox(account("plain@example.org").id(), Mailbox.INBOX).orElseThrow().id();
        long deadline = System.currentTimeMillis() + 10_000;
        List<?> messages = List.of();
        while (System.currentTimeMillis() < deadline) {
            messages = server.services().store().messages(inbox);
            if (!messages.isEmpty()) {
                break;
            }
            Thread.sleep(50);
        }
        Thread.sleep(300);
        assertThat(server.services().store().messages(inbox)).hasSize(1);
        assertThat(server.services().security().devices(account("plain@example.org").id()))
                .anyMatch(d -> d.client().equals("Notice Tester") && d.credential().equals(Security.PASSWORD));
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
