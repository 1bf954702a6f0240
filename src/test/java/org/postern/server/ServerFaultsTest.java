package org.postern.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testing.ImapClient;
import org.postern.testing.SmtpClient;
import org.postern.testing.TestServer;

/**
 * The faults of issue 7 against a running server: a full disk, a read-only data folder, a busy
 * database, slow clients, a client gone mid-literal, 5,000 idle connections. Each gets its error,
 * nothing acknowledged is lost and everyone else is served. (A client gone mid-DATA:
 * {@code smtp.BadInputTest}; the store's own faults: {@code store.sqlite.StoreFaultsTest}.)
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ServerFaultsTest {
    static final String ALICE = "alice@example.org";

    @TempDir
    Path dir;

    static String message(String subject, int bodyBytes) {
        return "From: someone@example.net\r\nTo: " + ALICE + "\r\nSubject: " + subject + "\r\n\r\n"
                + ("x".repeat(76) + "\r\n").repeat(Math.max(1, bodyBytes / 78));
    }

    /** Delivers over the MX; returns the reply to the end of DATA. */
    static SmtpClient.Reply deliver(TestServer s, String subject, int bodyBytes) throws IOException {
        try (SmtpClient c = SmtpClient.plain(s.smtpPort())) {
            c.ehlo();
            c.send("MAIL FROM:<someone@example.net>").expect(250);
            c.send("RCPT TO:<" + ALICE + ">").expect(250);
            return c.data(message(subject, bodyBytes));
        }
    }

    static List<String> subjects(TestServer s) throws IOException {
        try (ImapClient c = ImapClient.plain(s.imapPort())) {
            c.readLine();
            c.login(ALICE, TestServer.PASSWORD);
            c.command("s1 SELECT INBOX").expectOk();
            List<String> out = new ArrayList<>();
            java.util.regex.Pattern subject = java.util.regex.Pattern.compile("ENVELOPE \\((?:NIL|\"[^\"]*\") \"([^\"]*)\"");
            for (String u : c.command("f1 FETCH 1:* (ENVELOPE)").expectOk().untagged) {
                var m = subject.matcher(u);
                if (m.find()) {
                    out.add(m.group(1));
                }
            }
            return out;
        }
    }

    // ------------------------------------------------------------------ disk

    /** A tmpfs of {@code size} at {@code dir}, or the test is skipped where mounting is not allowed. */
    static void mountTmpfs(Path dir, String options) throws Exception {
        Files.createDirectories(dir);
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString())
                .redirectErrorStream(true).start();
        boolean done = p.waitFor(20, TimeUnit.SECONDS);
        Assumptions.assumeTrue(done && p.exitValue() == 0, "mounting a tmpfs needs root: " + new String(p.getInputStream().readAllBytes()));
    }

    static void mount(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("mount"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + new String(p.getInputStream().readAllBytes())).isZero();
    }

    static void umount(Path dir) throws Exception {
        new ProcessBuilder("umount", "-l", dir.toString()).redirectErrorStream(true).start().waitFor(20, TimeUnit.SECONDS);
    }

    @Test
    void aFullDiskRefusesMailForNowAndKeepsWhatWasAcknowledged() throws Exception {
        Path data = dir.resolve("small");
        mountTmpfs(data, "size=12m");
        try (TestServer s = TestServer.start(data, true, ALICE)) {
            assertThat(deliver(s, "before", 1000).code()).isEqualTo(250);
            ImapClient signedIn = ImapClient.plain(s.imapPort());
            signedIn.readLine();
            signedIn.login(ALICE, TestServer.PASSWORD);
            signedIn.command("s1 SELECT INBOX").expectOk();
            Path filler = data.resolve("filler");
            try (OutputStream out = Files.newOutputStream(filler)) {
                byte[] mb = new byte[64 * 1024];
                try {
                    while (true) {
                        out.write(mb);
                    }
                } catch (IOException full) {
                    // the disk is full
                }
            }
            List<String> acknowledged = new ArrayList<>(List.of("before"));
            SmtpClient.Reply refused = null;
            for (int i = 0; i < 20 && refused == null; i++) {
                SmtpClient.Reply r = deliver(s, "full-" + i, 40_000);
                if (r.code() == 250) {
                    acknowledged.add("full-" + i);
                } else {
                    refused = r;
                }
            }
            assertThat(refused).as("a delivery is refused once the disk is full").isNotNull();
            assertThat(refused.code()).as(refused.toString()).isBetween(400, 499);
            // A session signed in before goes on: reading works, APPEND is refused for now.
            String literal = message("append", 40_000);
            signedIn.sendRaw(("a1 APPEND INBOX {" + literal.length() + "+}\r\n" + literal + "\r\n").getBytes(StandardCharsets.US_ASCII));
            signedIn.readUntilTagged("a1").expectNo("UNAVAILABLE");
            signedIn.command("f1 FETCH 1 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])").expectOk();
            // A new sign-in cannot be recorded (security activity, devices), so it is refused for now, saying so.
            try (ImapClient c = ImapClient.plain(s.imapPort())) {
                c.readLine();
                c.command("l1 LOGIN " + ALICE + " " + TestServer.PASSWORD).expectNo("UNAVAILABLE");
            }
            signedIn.close();
            Files.delete(filler);
            assertThat(deliver(s, "after", 1000).code()).isEqualTo(250);
            acknowledged.add("after");
            assertThat(subjects(s)).containsExactlyElementsOf(acknowledged);
        } finally {
            umount(data);
        }
    }

    @Test
    void aReadOnlyDataFolderStopsTheServerFromStartingWithAClearMessage() throws Exception {
        Path data = dir.resolve("ro");
        mountTmpfs(data, "size=32m");
        try {
            try (TestServer s = TestServer.start(data, true, ALICE)) {
                assertThat(deliver(s, "before", 1000).code()).isEqualTo(250);
            }
            mount("-o", "remount,ro", data.toString());
            for (String[] command : new String[][] {{"serve", "--imap", "127.0.0.1:0"}, {"check"}, {"account", "list"}}) {
                List<String> args = new ArrayList<>(List.of(command));
                args.addAll(List.of("--data", data.toString()));
                Cli.Result r = Cli.run(args.toArray(String[]::new));
                assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
                assertThat(r.err()).as(command[0]).isEqualTo("postern " + command[0] + (command[0].equals("account") ? " list" : "")
                        + ": cannot open database " + data.resolve("postern.db") + ": the folder " + data
                        + " is read-only; Postern must be able to write its database and message files there" + System.lineSeparator());
            }
            // Nothing acknowledged was lost: writable again, the message is there.
            mount("-o", "remount,rw", data.toString());
            try (TestServer s = TestServer.start(data, true)) {
                assertThat(subjects(s)).containsExactly("before");
            }
        } finally {
            umount(data);
        }
    }

    // ------------------------------------------------------------------ database

    @Test
    void aBusyDatabaseGivesTemporaryErrorsAndThenServesAgain() throws Exception {
        try (TestServer s = TestServer.start(dir, true, ALICE)) {
            assertThat(deliver(s, "before", 1000).code()).isEqualTo(250);
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("postern.db"));
                 Statement st = other.createStatement()) {
                st.execute("BEGIN EXCLUSIVE");
                SmtpClient.Reply r = deliver(s, "while busy", 1000);
                assertThat(r.code()).as(r.toString()).isEqualTo(451);
                assertThat(r.text()).contains("4.3.0");
                st.execute("ROLLBACK");
            }
            assertThat(deliver(s, "after", 1000).code()).isEqualTo(250);
            assertThat(subjects(s)).containsExactly("before", "after");
        }
    }

    // ------------------------------------------------------------------ clients

    @Test
    void slowClientsAreServedAndHoldUpNobody() throws Exception {
        try (TestServer s = TestServer.start(dir, true, ALICE);
             Socket imap = new Socket("127.0.0.1", s.imapPort());
             Socket smtp = new Socket("127.0.0.1", s.smtpPort())) {
            imap.setSoTimeout(30_000);
            smtp.setSoTimeout(30_000);
            var imapIn = new java.io.BufferedReader(new java.io.InputStreamReader(imap.getInputStream(), StandardCharsets.US_ASCII));
            var smtpIn = new java.io.BufferedReader(new java.io.InputStreamReader(smtp.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(imapIn.readLine()).startsWith("* OK");
            assertThat(smtpIn.readLine()).startsWith("220");
            Thread slow = Thread.ofVirtual().start(() -> {
                try {
                    byte[] i = "a1 NOOP\r\n".getBytes(StandardCharsets.US_ASCII);
                    byte[] m = "NOOP\r\n".getBytes(StandardCharsets.US_ASCII);
                    for (int k = 0; k < i.length; k++) {
                        imap.getOutputStream().write(i[k]);
                        if (k < m.length) {
                            smtp.getOutputStream().write(m[k]);
                        }
                        Thread.sleep(1000); // a byte a second
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // Meanwhile others get everything done, quickly.
            for (int n = 0; n < 3; n++) {
                long start = System.nanoTime();
                assertThat(deliver(s, "meanwhile " + n, 1000).code()).isEqualTo(250);
                assertThat(subjects(s)).hasSize(n + 1);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            }
            slow.join();
            assertThat(smtpIn.readLine()).startsWith("250");
            assertThat(imapIn.readLine()).isEqualTo("a1 OK NOOP completed (Success)");
        }
    }

    @Test
    void aClientGoneMidLiteralLeavesNothingBehind() throws Exception {
        try (TestServer s = TestServer.start(dir, true, ALICE)) {
            String whole = message("never finished", 300_000);
            try (ImapClient c = ImapClient.plain(s.imapPort())) {
                c.readLine();
                c.login(ALICE, TestServer.PASSWORD);
                c.sendRaw(("a1 APPEND INBOX {" + whole.length() + "+}\r\n" + whole.substring(0, whole.length() / 2))
                        .getBytes(StandardCharsets.US_ASCII));
            }
            try (ImapClient c = ImapClient.plain(s.imapPort())) {
                c.readLine();
                c.login(ALICE, TestServer.PASSWORD);
                c.command("s1 SELECT INBOX").expectOk().expectUntagged("0 EXISTS");
            }
            Path spool = dir.resolve("spool");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try (var files = Files.list(spool)) {
                    if (files.findAny().isEmpty()) {
                        break;
                    }
                }
                assertThat(System.nanoTime()).as("the spool file of the half literal is removed").isLessThan(deadline);
                Thread.sleep(100);
            }
            assertThat(deliver(s, "next", 1000).code()).isEqualTo(250);
            assertThat(subjects(s)).containsExactly("next");
        }
    }

    @Test
    void fiveThousandIdleConnectionsDoNotStopTheServerServingOthers() throws Exception {
        // 100 loopback addresses with 50 connections each: limits.connections-per-ip stays at its default.
        try (TestServer s = TestServer.start(dir, Map.of("auth.plaintext-on-loopback", "yes"), ALICE)) {
            List<Socket> idle = new ArrayList<>(5000);
            try {
                for (int a = 0; a < 100; a++) {
                    for (int k = 0; k < 50; k++) {
                        Socket c = new Socket();
                        c.bind(new InetSocketAddress("127.0.1." + (a + 1), 0));
                        c.connect(new InetSocketAddress("127.0.0.1", k % 2 == 0 ? s.imapPort() : s.smtpPort()), 10_000);
                        idle.add(c);
                    }
                }
                long start = System.nanoTime();
                assertThat(deliver(s, "with 5000 idle", 1000).code()).isEqualTo(250);
                assertThat(subjects(s)).containsExactly("with 5000 idle");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
                // The last idle ones got their greeting too: they are served, not queued.
                Socket last = idle.getLast();
                last.setSoTimeout(10_000);
                assertThat(new String(last.getInputStream().readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("220 ");
            } finally {
                for (Socket c : idle) {
                    c.close();
                }
            }
        }
    }
}
