package org.postern.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.net.Listener;
import org.postern.testing.SmtpClient;
import org.postern.testing.TestServer;

/** CHUNKING and BINARYMIME (RFC 3030). */
class BdatTest {
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

    static SmtpClient ready(String mailParams) throws Exception {
        SmtpClient c = SmtpClient.plain(server.smtpPort());
        c.ehlo();
        c.send("MAIL FROM:<a@remote.example>" + mailParams).expect(250);
        c.send("RCPT TO:<" + RCPT + ">").expect(250);
        return c;
    }

    static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String bdat(String chunk, boolean last) {
        return "BDAT " + chunk.getBytes(StandardCharsets.ISO_8859_1).length + (last ? " LAST" : "") + "\r\n" + chunk;
    }

    @Test
    void chunksMakeOneMessage() throws Exception {
        try (SmtpClient c = ready("")) {
            c.writeRaw(latin1(bdat("Subject: chunked\r\n", false)));
            c.read().expect(250).contains("2.0.0 18 octets received");
            c.write(bdat("\r\nfirst ", false) + bdat("second\r\n", true)); // pipelined
            c.read().expect(250);
            c.read().expect(250).contains("2.0.0 OK");
        }
        assertThat(Mailboxes.inbox(server, RCPT).getLast()).endsWith("\r\nSubject: chunked\r\n\r\nfirst second\r\n");
    }

    @Test
    void binaryContentIsKeptByteForByte() throws Exception {
        String binary = "Subject: bin\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n"
                + "a\0b\nc\rd\r\n.\r\n\u00ff";
        try (SmtpClient c = ready(" BODY=BINARYMIME")) {
            c.send("DATA").expect(503).contains("BINARYMIME");
            c.writeRaw(latin1(bdat(binary, true)));
            c.read().expect(250);
        }
        assertThat(Mailboxes.inbox(server, RCPT).getLast()).endsWith(binary);
    }

    @Test
    void anEmptyLastChunkEndsTheMessage() throws Exception {
        try (SmtpClient c = ready("")) {
            c.writeRaw(latin1(bdat("Subject: zero\r\n\r\nx\r\n", false)));
            c.read().expect(250);
            c.send("BDAT 0 LAST").expect(250).contains("2.0.0 OK");
        }
        assertThat(Mailboxes.inbox(server, RCPT).getLast()).endsWith("Subject: zero\r\n\r\nx\r\n");
    }

    @Test
    void aRefusedBdatStillConsumesItsChunk() throws Exception {
        try (SmtpClient c = SmtpClient.plain(server.smtpPort())) {
            c.ehlo();
            c.write(bdat("NOOP\r\nNOOP\r\n", true)); // no MAIL: refused, and the bytes are data, not commands
            c.read().expect(503).contains("5.5.1");
            c.send("RSET").expect(250);
            c.send("MAIL FROM:<a@remote.example>").expect(250);
            c.writeRaw(latin1(bdat("RSET\r\n", true)));
            c.read().expect(503).contains("Need RCPT");
            c.send("QUIT").expect(221);
        }
    }

    @Test
    void dataAfterBdatAndRcptAfterBdatAreOutOfSequence() throws Exception {
        try (SmtpClient c = ready("")) {
            c.writeRaw(latin1(bdat("Subject: seq\r\n\r\n", false)));
            c.read().expect(250);
            c.send("DATA").expect(503);
            c.send("RCPT TO:<" + RCPT + ">").expect(503);
            c.send("RSET").expect(250);
            c.send("BDAT 0 LAST").expect(503);
        }
        assertThat(Mailboxes.spoolFiles(server)).isEmpty();
    }

    @Test
    void aTooBigChunkIsRefusedAndLaterChunksOfTheTransactionAreDiscarded() throws Exception {
        int before = Mailboxes.inbox(server, RCPT).size();
        try (Listener l = CustomListener.start(server, SmtpSettings.Role.MX, s -> s.withLimits(1000, 100, 20), lc -> lc);
             SmtpClient c = SmtpClient.plain(l.port())) {
            c.ehlo();
            c.send("MAIL FROM:<a@remote.example>").expect(250);
            c.send("RCPT TO:<" + RCPT + ">").expect(250);
            c.writeRaw(latin1(bdat("Subject: big\r\n\r\n", false)));
            c.read().expect(250);
            c.writeRaw(latin1(bdat("x".repeat(2000), false) + bdat("tail\r\n", true)));
            c.read().expect(552).contains("5.3.4");
            c.read().expect(552);
            c.send("NOOP").expect(250);
            c.send("MAIL FROM:<a@remote.example>").expect(250); // the failed transaction ended with LAST
        }
        assertThat(Mailboxes.inbox(server, RCPT)).hasSize(before);
        assertThat(Mailboxes.spoolFiles(server)).isEmpty();
    }

    @Test
    void submissionChecksTheFromHeaderOfBdatMessagesToo() throws Exception {
        try (SmtpClient c = SmtpClient.tls(server.submissionsPort())) {
            c.ehlo();
            c.authPlain(RCPT, TestServer.PASSWORD).expect(235);
            c.send("MAIL FROM:<" + RCPT + ">").expect(250);
            c.send("RCPT TO:<" + RCPT + ">").expect(250);
            c.writeRaw(latin1(bdat("From: ceo@bank.example\r\n\r\nx\r\n", true)));
            c.read().expect(553).contains("5.7.1");
            c.send("MAIL FROM:<" + RCPT + ">").expect(250);
            c.send("RCPT TO:<" + RCPT + ">").expect(250);
            c.writeRaw(latin1(bdat("From: " + RCPT + "\r\n\r\nx\r\n", true)));
            c.read().expect(250);
        }
        List<String> inbox = Mailboxes.inbox(server, RCPT);
        assertThat(inbox.getLast()).contains("Message-ID: <").doesNotContain("ceo@bank");
    }
}
