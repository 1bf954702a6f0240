package org.postern.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.net.Listener;
import org.postern.testing.SmtpClient;
import org.postern.testing.TestServer;

/** Bad input: each gets its reply code, the session goes on where the RFC allows, limits hold. */
class BadInputTest {
    static final String RCPT = "alice@postern.test";

    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, false, RCPT);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static SmtpClient mx() throws Exception {
        SmtpClient c = SmtpClient.plain(server.smtpPort());
        c.ehlo();
        return c;
    }

    @Test
    void anOverlongCommandGets500AndTheSessionGoesOn() throws Exception {
        try (SmtpClient c = mx()) {
            c.send("MAIL FROM:<" + "a".repeat(70_000) + "@remote.example>").expect(500).contains("5.5.2 Line too long");
            c.send("MAIL FROM:<" + "a".repeat(65) + "@remote.example>").expect(501).contains("5.1.7").contains("64 octets");
            c.send("MAIL FROM:<a@" + "b".repeat(64) + ".example>").expect(501).contains("63");
            c.send("NOOP").expect(250);
        }
    }

    @Test
    void aLineWithoutEndIsCutOffWith421() throws Exception {
        try (SmtpClient c = mx()) {
            // one byte more than the reader skips looking for a line end (1 MiB): all of it is read
            // before the server gives up, so its close is a clean one and the 421 cannot be lost to a reset
            c.writeRaw(new byte[1024 * 1024 + 1]);
            SmtpClient.Reply r = c.read();
            assertThat(r.code()).isEqualTo(421);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void bareLineEndsInCommandsAreRefused() throws Exception {
        try (SmtpClient c = mx()) {
            c.write("NOOP\nNOOP\r\n");
            c.read().expect(500).contains("5.5.2").contains("bare CR or LF");
            c.write("NOOP\rRSET\r\n");
            c.read().expect(500);
            c.send("NOOP").expect(250);
        }
    }

    @Test
    void theHundredAndFirstRecipientGets452() throws Exception {
        try (SmtpClient c = mx()) {
            c.send("MAIL FROM:<someone@remote.example>").expect(250);
            StringBuilder pipelined = new StringBuilder();
            for (int i = 0; i < 101; i++) {
                pipelined.append("RCPT TO:<alice+").append(i).append("@postern.test>\r\n");
            }
            c.write(pipelined.toString()); // RFC 2920: all at once, the replies in order
            for (int i = 0; i < 100; i++) {
                c.read().expect(250);
            }
            c.read().expect(452).contains("4.5.3");
            c.data("Subject: many\r\n\r\nx\r\n").expect(250);
        }
    }

    @Test
    void tooManyErrorsEndTheSessionWith421() throws Exception {
        try (SmtpClient c = mx()) {
            for (int i = 1; i < SmtpSettings.MAX_ERRORS; i++) {
                c.send("BOGUS").expect(500);
            }
            c.write("BOGUS\r\n");
            c.read().expect(500);
            c.read().expect(421).contains("4.7.0").contains("Too many errors");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void oversizedMessagesAreRefusedAtMailAndDuringDataWithoutStoringAnything() throws Exception {
        int before = Mailboxes.inbox(server, RCPT).size();
        try (Listener l = CustomListener.start(server, SmtpSettings.Role.MX, s -> s.withLimits(10_000, 100, 20), lc -> lc);
             SmtpClient c = SmtpClient.plain(l.port())) {
            c.send("EHLO client.example").expect(250).contains("SIZE 10000");
            c.send("MAIL FROM:<a@remote.example> SIZE=10001").expect(552).contains("5.3.4");
            c.send("MAIL FROM:<a@remote.example> SIZE=500").expect(250);
            c.send("RCPT TO:<" + RCPT + ">").expect(250);
            c.data("Subject: big\r\n\r\n" + "0123456789\r\n".repeat(1000)).expect(552).contains("5.3.4");
            assertThat(Mailboxes.spoolFiles(server)).isEmpty();
            c.send("NOOP").expect(250);
            c.send("MAIL FROM:<a@remote.example>").expect(250);
            c.send("RCPT TO:<" + RCPT + ">").expect(250);
            c.data("Subject: small\r\n\r\n" + "0123456789\r\n".repeat(100)).expect(250);
        }
        List<String> inbox = Mailboxes.inbox(server, RCPT);
        assertThat(inbox).hasSize(before + 1);
        assertThat(inbox.getLast()).contains("Subject: small");
    }

    @Test
    void anOverlongLineInDataRefusesTheMessageAndTheSessionGoesOn() throws Exception {
        int before = Mailboxes.inbox(server, RCPT).size();
        try (SmtpClient c = mx()) {
            c.send("MAIL FROM:<a@remote.example>").expect(250);
            c.send("RCPT TO:<" + RCPT + ">").expect(250);
            c.data("Subject: long line\r\n\r\n" + "x".repeat(70_000) + "\r\nmore\r\n").expect(550).contains("5.6.0");
            c.send("NOOP").expect(250);
        }
        assertThat(Mailboxes.inbox(server, RCPT)).hasSize(before);
    }

    @Test
    void aClientIdleForTheCommandTimeoutGets421() throws Exception {
        try (Listener l = CustomListener.start(server, SmtpSettings.Role.MX,
                s -> s.withTimeouts(Duration.ofMillis(300), Duration.ofMillis(600)), lc -> lc);
             SmtpClient c = SmtpClient.plain(l.port())) {
            c.ehlo();
            Thread.sleep(500);
            c.read().expect(421).contains("4.4.2");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void aClientSilentInTheMiddleOfDataTimesOutAndNothingIsKept() throws Exception {
        int before = Mailboxes.inbox(server, RCPT).size();
        try (Listener l = CustomListener.start(server, SmtpSettings.Role.MX,
                s -> s.withTimeouts(Duration.ofMillis(300), Duration.ofMillis(2000)), lc -> lc);
             SmtpClient c = SmtpClient.plain(l.port())) {
            c.ehlo();
            c.send("MAIL FROM:<a@remote.example>").expect(250);
            c.send("RCPT TO:<" + RCPT + ">").expect(250);
            c.send("DATA").expect(354);
            c.write("Subject: half\r\n\r\nsome");
            Thread.sleep(600); // longer than a command may take, shorter than a DATA block
            c.write(" more\r\n");
            c.timeout(5000);
            c.read().expect(421).contains("4.4.2");
        }
        awaitNoSpoolFiles();
        assertThat(Mailboxes.inbox(server, RCPT)).hasSize(before);
    }

    @Test
    void aClientThatVanishesMidDataLeavesNothing() throws Exception {
        int before = Mailboxes.inbox(server, RCPT).size();
        try (SmtpClient c = mx()) {
            c.send("MAIL FROM:<a@remote.example>").expect(250);
            c.send("RCPT TO:<" + RCPT + ">").expect(250);
            c.send("DATA").expect(354);
            c.write("Subject: vanishing\r\n\r\n" + "line\r\n".repeat(20_000));
            awaitSpoolFile(); // the message was being spooled when the client went
        }
        awaitNoSpoolFiles();
        assertThat(Mailboxes.inbox(server, RCPT)).hasSize(before);
    }

    @Test
    void aClientThatVanishesMidBdatLeavesNothing() throws Exception {
        int before = Mailboxes.inbox(server, RCPT).size();
        try (SmtpClient c = mx()) {
            c.send("MAIL FROM:<a@remote.example>").expect(250);
            c.send("RCPT TO:<" + RCPT + ">").expect(250);
            c.write("BDAT 20\r\nSubject: a\r\n\r\nbody\r\n");
            c.read().expect(250);
            c.write("BDAT 100000 LAST\r\n" + "x".repeat(50_000));
            awaitSpoolFile();
        }
        awaitNoSpoolFiles();
        assertThat(Mailboxes.inbox(server, RCPT)).hasSize(before);
    }

    @Test
    void connectionsOverThePerAddressLimitGet421() throws Exception {
        try (Listener l = CustomListener.start(server, SmtpSettings.Role.MX, s -> s, lc -> lc.withMaxConnectionsPerAddress(1));
             SmtpClient first = SmtpClient.plain(l.port());
             SmtpClient second = SmtpClient.raw(l.port())) {
            SmtpClient.Reply r = second.read().expect(421);
            assertThat(r.text()).isEqualTo("4.7.0 localhost Too many simultaneous connections from your IP address. Try again later.");
            assertThat(second.closedByServer()).isTrue();
            first.send("NOOP").expect(250);
        }
    }

    @Test
    void invalidUtf8AndNulInCommands() throws Exception {
        try (SmtpClient c = mx()) {
            c.writeRaw("EHLO caf\u00e9\r\n".getBytes(StandardCharsets.ISO_8859_1)); // Latin-1, not UTF-8
            c.read().expect(500).contains("UTF-8");
            c.writeRaw("MAIL FROM:<a\0b@remote.example>\r\n".getBytes(StandardCharsets.US_ASCII));
            c.read().expect(501).contains("5.1.7");
            c.send("MAIL FROM:<a b@remote.example>").expect(501);
            c.send("MAIL FROM:<@remote.example>").expect(501);
            c.send("RCPT TO:<>").expect(501);
            c.send("NOOP").expect(250);
        }
    }

    static void awaitSpoolFile() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (Mailboxes.spoolFiles(server).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(Mailboxes.spoolFiles(server)).isNotEmpty();
    }

    static void awaitNoSpoolFiles() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Mailboxes.spoolFiles(server).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(Mailboxes.spoolFiles(server)).isEmpty();
    }
}
