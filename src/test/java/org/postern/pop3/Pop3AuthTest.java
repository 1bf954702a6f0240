package org.postern.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.store.Directory;
import org.postern.testing.ImapClient;
import org.postern.testing.Pop3Client;
import org.postern.testing.TestServer;

/** The AUTHORIZATION state over real sockets: STLS, USER/PASS, AUTH, CAPA and every refusal. */
class Pop3AuthTest {
    @TempDir
    static Path dir;
    static TestServer server;
    static final String PW = TestServer.PASSWORD;
    static final String BAD_LOGIN = "-ERR [AUTH] Username and password not accepted.";

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, false);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static String plain(String user, String pw) {
        return b64("\0" + user + "\0" + pw);
    }

    @Test
    void theStlsPortRefusesPasswordsUntilTls() throws Exception {
        String alice = Pop3Fixtures.account(server, "alice");
        try (Pop3Client c = Pop3Client.plain(server.pop3Port())) {
            assertThat(c.readLine()).isEqualTo("+OK localhost Postern POP3 server ready.");
            assertThat(c.multiline("CAPA")).contains("STLS", "TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING")
                    .doesNotContain("USER").noneMatch(l -> l.startsWith("SASL"));
            String advice = c.err("USER " + alice);
            assertThat(advice).startsWith("-ERR [AUTH] ").contains("STLS");
            assertThat(c.err("PASS " + PW)).isEqualTo(advice);
            assertThat(c.err("AUTH PLAIN " + plain(alice, PW))).isEqualTo(advice);
            assertThat(c.err("AUTH")).isEqualTo(advice);
            assertThat(c.err("STAT")).isEqualTo("-ERR STAT is not allowed before login.");
            c.ok("STLS");
            c.startTls();
            assertThat(c.multiline("CAPA")).contains("USER", "SASL PLAIN LOGIN OAUTHBEARER XOAUTH2", "TOP", "UIDL").doesNotContain("STLS");
            c.err("STLS");
            assertThat(c.login(alice, PW)).startsWith("+OK " + alice + " has 0 messages");
            assertThat(c.multiline("CAPA")).contains("TOP", "UIDL", "PIPELINING")
                    .doesNotContain("USER", "STLS").noneMatch(l -> l.startsWith("SASL"));
            c.ok("QUIT");
        }
    }

    @Test
    void commandsPipelinedAfterStlsAreDiscarded() throws Exception {
        String alice = Pop3Fixtures.account(server, "alice");
        try (Pop3Client c = Pop3Client.plain(server.pop3Port())) {
            c.readLine();
            c.sendRaw(("STLS\r\nUSER " + alice + "\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(c.readLine()).startsWith("+OK Begin TLS");
            c.startTls();
            assertThat(c.err("PASS " + PW)).isEqualTo("-ERR Send USER first."); // the USER never ran
            c.login(alice, PW);
        }
    }

    @Test
    void implicitTlsAllowsLoginAtOnceAndHidesStls() throws Exception {
        String bob = Pop3Fixtures.account(server, "bob");
        try (Pop3Client c = Pop3Client.tlsGreeted(server.pop3sPort())) {
            assertThat(c.multiline("CAPA")).contains("USER", "SASL PLAIN LOGIN OAUTHBEARER XOAUTH2", "IMPLEMENTATION Postern").doesNotContain("STLS");
            assertThat(c.err("STLS")).isEqualTo("-ERR TLS is already active.");
            c.login(bob, PW);
        }
    }

    @Test
    void wrongPasswordsAndUnknownUsersGetTheSameAnswer() throws Exception {
        String carol = Pop3Fixtures.account(server, "carol");
        try (Pop3Client c = Pop3Client.tlsGreeted(server.pop3sPort())) {
            c.ok("USER " + carol);
            assertThat(c.err("PASS wrong-password")).isEqualTo(BAD_LOGIN);
            c.ok("USER nobody@example.org");
            assertThat(c.err("PASS wrong-password")).isEqualTo(BAD_LOGIN);
            c.ok("USER carol");
            assertThat(c.err("PASS " + PW)).isEqualTo(BAD_LOGIN); // no domain: no such user, same words
        }
        try (Pop3Client c = Pop3Client.tlsGreeted(server.pop3sPort())) {
            assertThat(c.err("AUTH PLAIN " + plain(carol, "wrong"))).isEqualTo(BAD_LOGIN);
            assertThat(c.err("AUTH PLAIN " + plain("nobody@example.org", "wrong"))).isEqualTo(BAD_LOGIN);
        }
    }

    @Test
    void threeFailedLoginsCloseTheConnection() throws Exception {
        String dan = Pop3Fixtures.account(server, "dan");
        try (Pop3Client c = Pop3Client.tlsGreeted(server.pop3sPort())) {
            for (int i = 0; i < 3; i++) {
                c.ok("USER " + dan);
                assertThat(c.err("PASS nope-" + i)).isEqualTo(BAD_LOGIN);
            }
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void passWithoutUserAndUserAfterLoginAreRefused() throws Exception {
        String erin = Pop3Fixtures.account(server, "erin");
        try (Pop3Client c = Pop3Client.tlsGreeted(server.pop3sPort())) {
            assertThat(c.err("PASS " + PW)).isEqualTo("-ERR Send USER first.");
            assertThat(c.err("USER")).startsWith("-ERR USER needs a user name");
            c.ok("USER " + erin);
            assertThat(c.err("PASS")).isEqualTo("-ERR PASS needs a password.");
            c.login(erin, PW);
            assertThat(c.err("USER " + erin)).isEqualTo("-ERR USER is not allowed after login.");
            assertThat(c.err("AUTH PLAIN " + plain(erin, PW))).isEqualTo("-ERR AUTH is not allowed after login.");
            c.ok("NOOP");
        }
    }

    @Test
    void aPasswordWithSpacesIsTakenWhole() throws Exception {
        String frank = Pop3Fixtures.account(server, "frank");
        server.services().directory().setPassword(frank, org.postern.auth.Passwords.hash(" two words  "));
        try (Pop3Client c = Pop3Client.tlsGreeted(server.pop3sPort())) {
            c.ok("USER " + frank);
            c.ok("PASS  two words  ");
        }
    }

    @Test
    void authPlainAndLoginWithAndWithoutInitialResponse() throws Exception {
        String gina = Pop3Fixtures.account(server, "gina");
        try (Pop3Client c = Pop3Client.tlsGreeted(server.pop3sPort())) {
            assertThat(c.multiline("AUTH")).containsExactly("PLAIN", "LOGIN", "OAUTHBEARER", "XOAUTH2");
            c.ok("AUTH PLAIN " + plain(gina, PW));
            c.ok("QUIT");
        }
        try (Pop3Client c = Pop3Client.tlsGreeted(server.pop3sPort())) {
            assertThat(c.command("AUTH PLAIN")).isEqualTo("+ ");
            c.ok(plain(gina, PW));
            c.ok("QUIT");
        }
        try (Pop3Client c = Pop3Client.tlsGreeted(server.pop3sPort())) {
            assertThat(c.command("auth login")).isEqualTo("+ VXNlcm5hbWU6");
            assertThat(c.command(b64(gina))).isEqualTo("+ UGFzc3dvcmQ6");
            c.ok(b64(PW));
            c.ok("QUIT");
        }
        try (Pop3Client c = Pop3Client.tlsGreeted(server.pop3sPort())) {
            assertThat(c.command("AUTH LOGIN " + b64(gina))).isEqualTo("+ UGFzc3dvcmQ6");
            assertThat(c.err(b64("wrong"))).isEqualTo(BAD_LOGIN);
            c.ok("AUTH PLAIN " + plain("recent:" + gina, PW));
        }
    }

    @Test
    void authErrorsAreAnsweredAndTheSessionGoesOn() throws Exception {
        String hank = Pop3Fixtures.account(server, "hank");
        try (Pop3Client c = Pop3Client.tlsGreeted(server.pop3sPort())) {
            assertThat(c.err("AUTH CRAM-MD5")).isEqualTo("-ERR Unsupported authentication mechanism.");
            assertThat(c.command("AUTH PLAIN")).isEqualTo("+ ");
            assertThat(c.err("*")).isEqualTo("-ERR Authentication cancelled.");
            assertThat(c.err("AUTH PLAIN %%%not-base64")).isEqualTo("-ERR the response is not valid base64.");
            assertThat(c.err("AUTH PLAIN " + b64("no-nul-here"))).startsWith("-ERR PLAIN data must be");
            assertThat(c.err("AUTH PLAIN " + b64("other@example.org\0" + hank + "\0" + PW)))
                    .isEqualTo("-ERR logging in as another user is not supported.");
            assertThat(c.err("AUTH PLAIN a b c")).startsWith("-ERR AUTH takes");
            c.ok("AUTH PLAIN " + plain(hank, PW));
        }
    }

    @Test
    void anAccountWithPopOffIsToldSoOnlyWithTheRightPassword() throws Exception {
        String ivy = Pop3Fixtures.account(server, "ivy");
        server.services().directory().update(ivy, new Directory.Settings(null, false, null));
        try (Pop3Client c = Pop3Client.tlsGreeted(server.pop3sPort())) {
            c.ok("USER " + ivy);
            assertThat(c.err("PASS " + PW)).isEqualTo("-ERR [SYS/PERM] Your account is not enabled for POP access. "
                    + "Please visit your settings page and enable your account for POP access.");
            c.ok("USER " + ivy);
            assertThat(c.err("PASS wrong")).isEqualTo(BAD_LOGIN);
            assertThat(c.err("AUTH PLAIN " + plain(ivy, PW))).startsWith("-ERR [SYS/PERM] ");
        }
        server.services().directory().update(ivy, new Directory.Settings(null, true, null));
        try (Pop3Client c = Pop3Client.tlsGreeted(server.pop3sPort())) {
            c.login(ivy, PW);
        }
    }

    @Test
    void oneSessionPerMaildropTheSecondIsInUse() throws Exception {
        String jack = Pop3Fixtures.account(server, "jack");
        try (Pop3Client first = Pop3Client.tlsGreeted(server.pop3sPort());
             Pop3Client second = Pop3Client.tlsGreeted(server.pop3sPort())) {
            first.login(jack, PW);
            second.ok("USER " + jack);
            assertThat(second.err("PASS " + PW)).startsWith("-ERR [IN-USE] ");
            second.ok("USER recent:" + jack);
            assertThat(second.err("PASS " + PW)).startsWith("-ERR [IN-USE] "); // recent mode: the same maildrop
            first.ok("QUIT");
            assertThat(first.closedByServer()).isTrue();
            second.login(jack, PW);
        }
    }

    @Test
    void tooManySessionsOfOneAccountIsInUse() throws Exception {
        String kim = Pop3Fixtures.account(server, "kim");
        int limit = server.services().config().maxConnectionsPerAccount();
        List<ImapClient> imap = new ArrayList<>();
        try {
            for (int i = 0; i < limit; i++) {
                ImapClient c = ImapClient.tls(server.imapsPort());
                imap.add(c);
                c.readLine();
                c.login(kim, PW);
            }
            try (Pop3Client c = Pop3Client.tlsGreeted(server.pop3sPort())) {
                c.ok("USER " + kim);
                assertThat(c.err("PASS " + PW)).isEqualTo("-ERR [IN-USE] Too many simultaneous connections.");
                imap.removeFirst().close();
                String answer = null;
                for (int i = 0; i < 100; i++) { // until the IMAP session has noticed its closed socket
                    c.ok("USER " + kim);
                    answer = c.command("PASS " + PW);
                    if (!answer.startsWith("-ERR [IN-USE]")) {
                        break;
                    }
                    Thread.sleep(50);
                }
                assertThat(answer).startsWith("+OK");
            }
        } finally {
            for (ImapClient c : imap) {
                c.close();
            }
        }
    }

    @Test
    void quitBeforeLoginSignsOff() throws Exception {
        try (Pop3Client c = Pop3Client.tlsGreeted(server.pop3sPort())) {
            assertThat(c.ok("QUIT")).isEqualTo("+OK Postern POP3 server signing off.");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void theStartTlsPortAllowsPlainTextFromLoopbackWhenConfigured(@TempDir Path other) throws Exception {
        try (TestServer loose = TestServer.start(other, true, "lou@example.org");
             Pop3Client c = Pop3Client.plain(loose.pop3Port())) {
            c.readLine();
            assertThat(c.multiline("CAPA")).contains("STLS", "USER", "SASL PLAIN LOGIN OAUTHBEARER XOAUTH2");
            c.login("lou@example.org", PW);
        }
    }
}
