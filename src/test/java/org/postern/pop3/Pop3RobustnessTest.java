package org.postern.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.net.ConnectionSettings;
import org.postern.net.LineReader;
import org.postern.net.Listener;
import org.postern.net.ListenerConfig;
import org.postern.server.Services;
import org.postern.store.MailStore;
import org.postern.store.StoreException;
import org.postern.testing.Pop3Client;
import org.postern.testing.TestServer;

/** What a confused or hostile client gets: over-long lines, garbage, silence, too many connections. */
class Pop3RobustnessTest {
    @TempDir
    static Path dir;
    static TestServer server;
    static final String PW = TestServer.PASSWORD;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, false);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A POP3 listener without TLS on the same store, with its own limits. */
    static Listener listener(Duration autologout, int maxConnections) throws Exception {
        return listener(autologout, maxConnections, server.services().store());
    }

    static Listener listener(Duration autologout, int maxConnections, MailStore store) throws Exception {
        Services s = server.services();
        Pop3Settings settings = new Pop3Settings("localhost", true, 20, autologout, Pop3Settings.RECENT_WINDOW);
        Pop3Handler handler = new Pop3Handler(new Pop3Services(store, s.directory(), s.authenticator(), s.sessions(),
                settings, s.clock()));
        ListenerConfig lc = ListenerConfig.of("pop3", new InetSocketAddress("127.0.0.1", 0))
                .withMaxConnections(maxConnections)
                .withConnection(new ConnectionSettings(autologout, Duration.ofSeconds(10), Duration.ofSeconds(10),
                        1024, LineReader.Mode.LENIENT));
        return Listener.start(lc, null, handler);
    }

    @Test
    void anOverlongLineIsRefusedAndTheSessionGoesOn() throws Exception {
        int limit = server.services().config().maxLineLength();
        try (Pop3Client c = Pop3Client.tlsGreeted(server.pop3sPort())) {
            c.send("USER " + "x".repeat(limit + 10));
            assertThat(c.readLine()).isEqualTo("-ERR Line too long.");
            assertThat(c.multiline("CAPA")).contains("USER");
            c.send("AUTH PLAIN " + "A".repeat(limit * 3));
            assertThat(c.readLine()).isEqualTo("-ERR Line too long.");
            c.ok("QUIT");
        }
    }

    @Test
    void anEndlessLineClosesTheConnection() throws Exception {
        try (Pop3Client c = Pop3Client.tlsGreeted(server.pop3sPort())) {
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'x');
            String answer = null;
            try {
                for (int i = 0; i < 48 && answer == null; i++) { // 3 MiB without a line end
                    c.sendRaw(chunk);
                }
            } catch (java.io.IOException closed) {
                // the server may close while we still write
            }
            answer = c.readLine();
            assertThat(answer).isEqualTo("-ERR Line too long.");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void garbageIsAnsweredThenTheConnectionIsClosed() throws Exception {
        Random random = new Random(42);
        try (Pop3Client c = Pop3Client.tlsGreeted(server.pop3sPort())) {
            for (int i = 0; i < 19; i++) {
                byte[] junk = new byte[1 + random.nextInt(200)];
                random.nextBytes(junk);
                for (int k = 0; k < junk.length; k++) {
                    if (junk[k] == '\n' || junk[k] == '\r') {
                        junk[k] = 0;
                    }
                }
                junk[0] = (byte) ('#' + i % 10); // never a keyword
                c.sendRaw(junk).sendRaw(new byte[] {'\r', '\n'});
                assertThat(c.readLine()).isEqualTo("-ERR Unknown command.");
            }
            c.ok("CAPA"); // a good command resets the count
            c.readBody();
            for (int i = 0; i < 19; i++) {
                assertThat(c.err("XYZZY")).isEqualTo("-ERR Unknown command.");
            }
            assertThat(c.err("")).isEqualTo("-ERR Too many invalid commands; closing the connection.");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void keywordsIgnoreCaseAndBareLineFeedsEndCommands() throws Exception {
        String a = Pop3Fixtures.account(server, "lf");
        try (Pop3Client c = Pop3Client.tlsGreeted(server.pop3sPort())) {
            c.sendRaw(("user " + a + "\npAsS " + PW + "\nstat\n").getBytes(StandardCharsets.UTF_8));
            assertThat(c.readLine()).startsWith("+OK");
            assertThat(c.readLine()).startsWith("+OK " + a);
            assertThat(c.readLine()).isEqualTo("+OK 0 0");
            assertThat(c.err("RETR 1\u0000")).isEqualTo("-ERR Invalid message number.");
            assertThat(c.multiline("LIST")).isEmpty();
        }
    }

    @Test
    void theAutologoutTimerClosesSilentlyAndCommitsNothing() throws Exception {
        String a = Pop3Fixtures.account(server, "idle");
        Pop3Fixtures.deliver(server, "Subject: idle\r\n\r\nbody\r\n", a);
        try (Listener l = listener(Duration.ofMillis(700), 10); Pop3Client c = Pop3Client.plain(l.port())) {
            c.readLine();
            assertThat(c.multiline("CAPA")).contains("USER").doesNotContain("STLS"); // no certificate: no STLS
            c.login(a, PW);
            c.retr(1);
            c.ok("DELE 1");
            long started = System.nanoTime();
            assertThat(c.readLine()).as("no response, RFC 1939 §3").isNull();
            assertThat(System.nanoTime() - started).isGreaterThan(500_000_000L);
        }
        try (Pop3Client c = Pop3Client.tlsGreeted(server.pop3sPort())) {
            c.login(a, PW);
            assertThat(c.ok("STAT")).startsWith("+OK 1 ");
        }
    }

    @Test
    void connectionsOverTheListenersLimitAreInUse() throws Exception {
        try (Listener l = listener(Duration.ofMinutes(10), 1); Pop3Client first = Pop3Client.plain(l.port())) {
            assertThat(first.readLine()).startsWith("+OK");
            try (Pop3Client second = Pop3Client.plain(l.port())) {
                assertThat(second.readLine()).isEqualTo("-ERR [IN-USE] Too many simultaneous connections.");
                assertThat(second.closedByServer()).isTrue();
            }
        }
    }

    /** The real store, except that the named method fails as a locked database does while {@code failing} is set. */
    static MailStore failing(String method, AtomicBoolean failing) {
        MailStore real = server.services().store();
        return (MailStore) Proxy.newProxyInstance(MailStore.class.getClassLoader(), new Class<?>[] {MailStore.class},
                (proxy, m, args) -> {
                    if (m.getName().equals(method) && failing.get()) {
                        throw StoreException.temporary("the database is locked by another process (SQLITE_BUSY)", null);
                    }
                    try {
                        return m.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void aStoreThatCannotAnswerAtLoginIsATemporaryProblemAndReleasesTheMaildrop() throws Exception {
        String a = Pop3Fixtures.account(server, "busy");
        AtomicBoolean failing = new AtomicBoolean(true);
        try (Listener l = listener(Duration.ofMinutes(10), 10, failing("snapshot", failing));
             Pop3Client c = Pop3Client.plain(l.port())) {
            c.readLine();
            c.ok("USER " + a);
            assertThat(c.err("PASS " + PW)).isEqualTo("-ERR [SYS/TEMP] Temporary system problem. Please try again later.");
            failing.set(false);
            c.login(a, PW); // neither the session slot nor the maildrop lock was kept
            assertThat(c.ok("STAT")).isEqualTo("+OK 0 0");
        }
    }

    @Test
    void aQuitThatCannotCommitSaysSoAndChangesNothing() throws Exception {
        String a = Pop3Fixtures.account(server, "quitfail");
        Pop3Fixtures.deliver(server, "Subject: q\r\n\r\nbody\r\n", a);
        AtomicBoolean failing = new AtomicBoolean(true);
        try (Listener l = listener(Duration.ofMinutes(10), 10, failing("popUpdate", failing));
             Pop3Client c = Pop3Client.plain(l.port())) {
            c.readLine();
            c.login(a, PW);
            c.retr(1);
            c.ok("DELE 1");
            assertThat(c.err("QUIT")).isEqualTo("-ERR [SYS/TEMP] Temporary system problem: the messages of this session "
                    + "were not updated and will be offered again. Please try again later.");
            assertThat(c.closedByServer()).isTrue();
        }
        try (Pop3Client c = Pop3Client.tlsGreeted(server.pop3sPort())) {
            c.login(a, PW);
            assertThat(c.ok("STAT")).startsWith("+OK 1 ");
        }
    }
}
