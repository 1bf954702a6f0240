package org.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postern.auth.Authenticator;
import org.postern.auth.Authenticator.Protocol;
import org.postern.auth.Secrets;
import org.postern.auth.Totp;
import org.postern.net.PemKeyMaterial;
import org.postern.store.Directory;
import org.postern.testing.TestServer;

/**
 * The connection doctor explains every refusal case of account security: each refusal is made
 * through the real Authenticator (as a mail client's login would), and the doctor's one
 * sentence must say what to change.
 */
@Timeout(60)
class DoctorTest {
    static final String ALICE = "alice@example.org";
    static final Authenticator.Client THUNDERBIRD = new Authenticator.Client("192.0.2.7", "Thunderbird");

    @TempDir
    Path dir;

    TestServer server;
    X509Certificate certificate;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dir, Map.of("auth.sign-in-notices", "no"), ALICE);
        certificate = PemKeyMaterial.readCertificates(dir.resolve("tls/fullchain.pem")).getFirst();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    Authenticator auth() {
        return server.services().authenticator();
    }

    long alice() {
        return server.services().directory().account(ALICE).orElseThrow().id();
    }

    Doctor.Report diagnose() {
        return diagnose(certificate, true, System.currentTimeMillis());
    }

    Doctor.Report diagnose(X509Certificate cert, boolean imapListens, long now) {
        Map<String, Boolean> listening = new LinkedHashMap<>();
        Map<String, String> addresses = new LinkedHashMap<>();
        for (String l : DoctorPage.MAIL_LISTENERS) {
            listening.put(l, imapListens || !l.startsWith("imap"));
            addresses.put(l, "*:1" + l.length());
        }
        return Doctor.diagnose(server.services().directory(), server.services().security(),
                new Doctor.Server("localhost", cert, false, 20, listening, addresses), ALICE, now);
    }

    @Test
    void nothingWrongSaysHowToSetUpTheClient() {
        assertThat(auth().authenticate(ALICE, TestServer.PASSWORD, Protocol.IMAP, THUNDERBIRD))
                .isInstanceOf(Authenticator.Result.Success.class);
        Doctor.Report r = diagnose();
        assertThat(r.findings()).noneMatch(f -> f.level() == Doctor.Level.PROBLEM);
        assertThat(r.advice()).startsWith("Nothing here stops a mail client: set it up with the server localhost");
    }

    @Test
    void aWrongPassword() {
        auth().authenticate(ALICE, "wrong", Protocol.IMAP, THUNDERBIRD);
        Doctor.Report r = diagnose();
        assertThat(r.text()).contains("PROBLEM  Refused ").contains("IMAP from 192.0.2.7 (Thunderbird): wrong password.");
        assertThat(r.advice()).startsWith("Type the password into the mail client again: the last attempt (IMAP, ");
    }

    @Test
    void theAccountPasswordWith2StepVerificationOn() {
        server.services().security().enableTwoStep(alice(), Totp.newSecret(), List.of());
        auth().authenticate(ALICE, TestServer.PASSWORD, Protocol.SMTP, THUNDERBIRD);
        Doctor.Report r = diagnose();
        assertThat(r.text()).contains("2-Step Verification is on, so mail clients need an app password; the account has none.");
        assertThat(r.advice()).startsWith("Create an app password on the Security page and type it into the mail client instead");
    }

    @Test
    void imapSwitchedOffAndThenOnAgain() {
        server.services().directory().update(ALICE, new Directory.Settings(false, null, null));
        auth().authenticate(ALICE, TestServer.PASSWORD, Protocol.IMAP, THUNDERBIRD);
        assertThat(diagnose().advice()).startsWith("Turn on IMAP on the Forwarding and POP/IMAP page (Enable IMAP, then Save Changes)");
        server.services().directory().update(ALICE, new Directory.Settings(true, null, null));
        assertThat(diagnose().advice()).startsWith("IMAP was off at the last attempt").endsWith("let the mail client try again.");
    }

    @Test
    void popSwitchedOff() {
        server.services().directory().update(ALICE, new Directory.Settings(null, false, null));
        auth().authenticate(ALICE, TestServer.PASSWORD, Protocol.POP3, THUNDERBIRD);
        assertThat(diagnose().advice()).startsWith("Turn on POP on the Forwarding and POP/IMAP page, or set the client up with IMAP");
    }

    @Test
    void throttledAfterTooManyFailures() {
        for (int i = 0; i < 12; i++) {
            auth().authenticate(ALICE, "wrong-" + i, Protocol.IMAP, THUNDERBIRD);
        }
        assertThat(auth().authenticate(ALICE, TestServer.PASSWORD, Protocol.IMAP, THUNDERBIRD)).isInstanceOfSatisfying(
                Authenticator.Result.Refused.class, x -> assertThat(x.reason()).isEqualTo(Authenticator.Reason.THROTTLED));
        assertThat(diagnose().advice()).startsWith("Wait ").contains("too many failed sign-ins from 192.0.2.7")
                .endsWith("check that no old device keeps trying an old password.");
    }

    @Test
    void tooManySimultaneousConnectionsAndAPopMaildropInUse() {
        var account = server.services().directory().account(ALICE).orElseThrow();
        auth().refusedAfterSignIn(account, Protocol.IMAP, THUNDERBIRD, "password", "too many simultaneous connections (20 IMAP and POP sessions at most)");
        assertThat(diagnose().advice()).startsWith("Close mail clients you no longer use, or sign out old devices");
        auth().refusedAfterSignIn(account, Protocol.POP3, THUNDERBIRD, "password", "another POP session of this account was still open (one at a time)");
        assertThat(diagnose().advice()).startsWith("Let only one device download with POP at a time");
    }

    @Test
    void anUnknownOAuthToken() {
        auth().authenticateToken(ALICE, "not-a-token", Protocol.IMAP, THUNDERBIRD);
        assertThat(diagnose().advice()).startsWith("Sign the mail client in again: its OAuth token was revoked, has expired or is unknown");
    }

    @Test
    void aLaterSuccessfulSignInSettlesEarlierRefusals() {
        auth().authenticate(ALICE, "wrong", Protocol.IMAP, THUNDERBIRD);
        String app = Secrets.newAppPassword();
        server.services().security().addAppPassword(alice(), "phone", Secrets.sha256(app));
        assertThat(auth().authenticate(ALICE, app, Protocol.IMAP, THUNDERBIRD)).isInstanceOf(Authenticator.Result.Success.class);
        assertThat(diagnose().text()).contains("No mail client was refused since the last successful sign-in");
    }

    @Test
    void serverProblemsExpiredCertificateAndNoImapListener() {
        long afterExpiry = certificate.getNotAfter().getTime() + 1000;
        Doctor.Report expired = diagnose(certificate, true, afterExpiry);
        assertThat(expired.text()).contains("PROBLEM  The certificate expired on");
        assertThat(expired.advice()).startsWith("Renew the server's certificate");
        Doctor.Report noImap = diagnose(certificate, false, System.currentTimeMillis());
        assertThat(noImap.text()).contains("Not listening: imaps (*:15), imap (*:14).");
        assertThat(noImap.advice()).startsWith("Start an IMAP listener");
    }

    @Test
    void everyRefusalTextOfAccountSecurityIsRecognised() {
        assertThat(Doctor.classify("wrong password")).isEqualTo(Doctor.Refusal.WRONG_PASSWORD);
        assertThat(Doctor.classify("the account password was used, but this server accepts only app passwords for mail clients"))
                .isEqualTo(Doctor.Refusal.APP_PASSWORD_REQUIRED);
        assertThat(Doctor.classify("IMAP is switched off for the whole domain")).isEqualTo(Doctor.Refusal.IMAP_OFF_FOR_DOMAIN);
        assertThat(Doctor.classify("revoked OAuth token")).isEqualTo(Doctor.Refusal.OAUTH_TOKEN);
        assertThat(Doctor.classify("expired OAuth token")).isEqualTo(Doctor.Refusal.OAUTH_TOKEN);
        assertThat(Doctor.classify("too many failed sign-in attempts; refused without checking")).isEqualTo(Doctor.Refusal.THROTTLED);
    }
}
