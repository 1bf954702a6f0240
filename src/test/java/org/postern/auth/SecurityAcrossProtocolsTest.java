package org.postern.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.store.Directory;
import org.postern.store.Security;
import org.postern.testing.ImapClient;
import org.postern.testing.Pop3Client;
import org.postern.testing.SmtpClient;
import org.postern.testing.TestServer;

/**
 * Issue 5, "every rule × every way in": IMAP LOGIN and AUTHENTICATE, SMTP AUTH on 587 and 465,
 * POP3 USER/PASS and AUTH — each refusal with its exact text, recorded with its reason.
 */
class SecurityAcrossProtocolsTest {
    @TempDir
    static Path dir;
    static TestServer server;
    static final String PW = TestServer.PASSWORD;
    static final String USER = "rules@example.org";
    static String app;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, false, USER);
        long id = server.services().directory().account(USER).orElseThrow().id();
        server.services().twoStep().enable(id, USER);
        app = Secrets.newAppPassword();
        server.services().security().addAppPassword(id, "Every client", Secrets.sha256(app));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theAccountPasswordGetsTheApplicationSpecificPasswordTextInEveryProtocol() throws Exception {
        String url = "https://localhost/help/app-passwords";
        try (ImapClient c = ImapClient.tls(server.imapsPort())) {
            c.readLine();
            c.command("a1 LOGIN " + USER + " " + PW).expectUntagged("NO [ALERT] Application-specific password required: " + url)
                    .expectNo("[AUTHENTICATIONFAILED] Invalid credentials (Failure)");
            c.command("a2 LOGIN " + USER + " \"" + app + "\"").expectOk();
        }
        for (boolean implicitTls : new boolean[] {false, true}) {
            try (SmtpClient c = implicitTls ? SmtpClient.tls(server.submissionsPort()) : SmtpClient.plain(server.submissionPort())) {
                c.ehlo();
                if (!implicitTls) {
                    c.startTls();
                    c.ehlo();
                }
                c.authPlain(USER, PW).expect(534).contains("5.7.9 Application-specific password required. For more information, go to " + url);
                c.send("AUTH LOGIN").expect(334);
                c.send(b64(USER)).expect(334);
                c.send(b64(PW)).expect(534);
                c.authPlain(USER, app).expect(235);
            }
        }
        try (Pop3Client c = Pop3Client.tlsGreeted(server.pop3sPort())) {
            c.ok("USER " + USER);
            assertThat(c.command("PASS " + PW)).isEqualTo("-ERR [AUTH] Application-specific password required: " + url);
            assertThat(c.command("AUTH PLAIN " + b64("\0" + USER + "\0" + PW))).isEqualTo("-ERR [AUTH] Application-specific password required: " + url);
        }
        try (Pop3Client c = Pop3Client.tlsGreeted(server.pop3sPort())) {
            c.ok("AUTH PLAIN " + b64("\0" + USER + "\0" + app));
        }
        long id = server.services().directory().account(USER).orElseThrow().id();
        List<Security.Event> events = server.services().security().events(id, 100);
        assertThat(events).filteredOn(e -> !e.success()).extracting(Security.Event::protocol).contains("IMAP", "SMTP", "POP3");
        assertThat(events).filteredOn(Security.Event::success).extracting(Security.Event::protocol).contains("IMAP", "SMTP", "POP3");
        assertThat(events).filteredOn(e -> !e.success() && Security.PASSWORD.equals(e.credential()))
                .hasSizeGreaterThanOrEqualTo(7).allMatch(e -> e.reason().contains("2-Step Verification"));
    }

    @Test
    void wrongPasswordsGetTheNeutralTextInEveryProtocol() throws Exception {
        try (SmtpClient c = SmtpClient.tls(server.submissionsPort())) {
            c.ehlo();
            c.authPlain(USER, "wrong").expect(535).contains("5.7.8 Username and Password not accepted.");
            c.authPlain("nobody@example.org", "wrong").expect(535).contains("5.7.8 Username and Password not accepted.");
        }
        try (Pop3Client c = Pop3Client.tlsGreeted(server.pop3sPort())) {
            c.ok("USER " + USER);
            assertThat(c.command("PASS wrong")).isEqualTo("-ERR [AUTH] Username and password not accepted.");
        }
    }

    @Test
    void popSwitchedOffIsToldAfterTheCredentialChecksOut() throws Exception {
        server.services().directory().update(USER, new Directory.Settings(null, false, null));
        try (Pop3Client c = Pop3Client.tlsGreeted(server.pop3sPort())) {
            c.ok("USER " + USER);
            assertThat(c.command("PASS " + app)).isEqualTo("-ERR [SYS/PERM] Your account is not enabled for POP access. "
                    + "Please visit your settings page and enable your account for POP access.");
        } finally {
            server.services().directory().update(USER, new Directory.Settings(null, true, null));
        }
    }

    @Test
    void bearerTokensWorkInSmtpAndPop3Too() throws Exception {
        long id = server.services().directory().account(USER).orElseThrow().id();
        String token = Secrets.newToken();
        server.services().security().addToken(id, Secrets.sha256(token), "test", System.currentTimeMillis() + 60_000);
        try (SmtpClient c = SmtpClient.tls(server.submissionsPort())) {
            c.ehlo();
            c.send("AUTH XOAUTH2 " + b64("user=" + USER + "\u0001auth=Bearer " + token + "\u0001\u0001")).expect(235);
        }
        try (Pop3Client c = Pop3Client.tlsGreeted(server.pop3sPort())) {
            c.ok("AUTH OAUTHBEARER " + b64("n,a=" + USER + ",\u0001auth=Bearer " + token + "\u0001\u0001"));
        }
    }

    @Test
    void revokingAnAppPasswordEndsAnAuthenticatedSmtpSessionWithinSeconds() throws Exception {
        long id = server.services().directory().account(USER).orElseThrow().id();
        String mailer = Secrets.newAppPassword();
        server.services().security().addAppPassword(id, "Mailer", Secrets.sha256(mailer));
        try (SmtpClient c = SmtpClient.tls(server.submissionsPort())) {
            c.ehlo();
            c.send("AUTH PLAIN " + b64("\0" + USER + "\0" + mailer)).expect(235);
            long start = System.nanoTime();
            server.services().security().revokeAppPassword(id, "Mailer");
            // The server closes the connection: reading gives the end of the stream (or a reset).
            String line;
            try {
                line = c.readLine();
            } catch (java.net.SocketTimeoutException stillOpen) {
                throw new AssertionError("the SMTP session is still open after the revocation", stillOpen);
            } catch (java.io.IOException reset) {
                line = null;
            }
            assertThat(line).isNull();
            assertThat((System.nanoTime() - start) / 1_000_000).as("milliseconds until closed").isLessThan(10_000);
        }
        // The client sees the end of the stream a moment before the session's thread has unregistered it.
        long until = System.nanoTime() + 5_000_000_000L;
        while (server.services().sessions().count(id, Authenticator.Protocol.SMTP) > 0 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(server.services().sessions().count(id, Authenticator.Protocol.SMTP)).isZero();
    }
}
