package org.postern.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.store.StoredMessage;
import org.postern.testing.ImapClient;
import org.postern.testing.Pop3Client;
import org.postern.testing.TestServer;

/** The TRANSACTION and UPDATE states over real sockets: every command, its errors, and what QUIT commits. */
class Pop3TransactionTest {
    @TempDir
    static Path dir;
    static TestServer server;
    static final String PW = TestServer.PASSWORD;

    static final String FIRST = "From: a@example.net\r\nSubject: one\r\n\r\nfirst body\r\n";
    static final String SECOND = "From: b@example.net\r\nSubject: two\r\n\r\nline 1\r\nline 2\r\nline 3\r\nline 4\r\n";
    static final String THIRD = "From: c@example.net\r\nSubject: three\r\n\r\nthird\r\n";

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, false);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** An account with the three messages above, in that order. */
    static String threeMessages(String hint) throws Exception {
        String a = Pop3Fixtures.account(server, hint);
        Pop3Fixtures.deliver(server, FIRST, a);
        Pop3Fixtures.deliver(server, SECOND, a);
        Pop3Fixtures.deliver(server, THIRD, a);
        return a;
    }

    static Pop3Client session(String account) throws Exception {
        Pop3Client c = Pop3Client.tlsGreeted(server.pop3sPort());
        c.login(account, PW);
        return c;
    }

    /** Logs in, retrying while the server still holds the previous session's lock (it notices a drop soon). */
    static Pop3Client sessionAfterDrop(String account) throws Exception {
        for (int i = 0; i < 100; i++) {
            Pop3Client c = Pop3Client.tlsGreeted(server.pop3sPort());
            c.ok("USER " + account);
            String r = c.command("PASS " + PW);
            if (r.startsWith("+OK")) {
                return c;
            }
            assertThat(r).startsWith("-ERR [IN-USE]");
            c.close();
            Thread.sleep(50);
        }
        throw new AssertionError("the dropped session never let go of the maildrop");
    }

    @Test
    void statListAndUidlDescribeTheMaildrop() throws Exception {
        String a = threeMessages("stat");
        int total = FIRST.length() + SECOND.length() + THIRD.length();
        try (Pop3Client c = session(a)) {
            assertThat(c.ok("STAT")).isEqualTo("+OK 3 " + total);
            assertThat(c.multiline("LIST")).containsExactly("1 " + FIRST.length(), "2 " + SECOND.length(), "3 " + THIRD.length());
            assertThat(c.ok("LIST 2")).isEqualTo("+OK 2 " + SECOND.length());
            assertThat(c.err("LIST 4")).isEqualTo("-ERR No such message, only 3 messages in maildrop.");
            assertThat(c.err("LIST 0")).isEqualTo("-ERR No such message, only 3 messages in maildrop.");
            assertThat(c.err("LIST x")).isEqualTo("-ERR Invalid message number.");
            assertThat(c.err("LIST -1")).isEqualTo("-ERR Invalid message number.");
            assertThat(c.err("LIST 1 2")).isEqualTo("-ERR LIST takes at most one message number.");
            assertThat(c.err("LIST 99999999999999999999")).isEqualTo("-ERR Invalid message number.");
            List<String> uidl = c.multiline("UIDL");
            assertThat(uidl).hasSize(3).allMatch(l -> l.matches("[1-3] \\d+\\.\\d+"));
            assertThat(uidl.stream().map(l -> l.substring(2)).distinct()).hasSize(3);
            assertThat(c.ok("UIDL 3")).isEqualTo("+OK " + uidl.get(2));
            assertThat(c.err("STAT 1")).isEqualTo("-ERR STAT takes no arguments.");
            assertThat(c.ok("noop")).isEqualTo("+OK");
        }
    }

    @Test
    void uidlIsStableAcrossSessions() throws Exception {
        String a = threeMessages("uidl");
        List<String> first;
        try (Pop3Client c = session(a)) {
            first = c.multiline("UIDL");
            c.ok("QUIT");
        }
        try (Pop3Client c = session(a)) {
            assertThat(c.multiline("UIDL")).isEqualTo(first);
            c.ok("QUIT");
        }
        try (Pop3Client c = session("recent:" + a)) {
            assertThat(c.multiline("UIDL")).isEqualTo(first);
        }
    }

    @Test
    void retrSendsTheMessageExactly() throws Exception {
        String a = threeMessages("retr");
        try (Pop3Client c = session(a)) {
            c.send("RETR 2");
            assertThat(c.readLine()).isEqualTo("+OK " + SECOND.length() + " octets");
            assertThat(new String(c.readBody(), StandardCharsets.UTF_8)).isEqualTo(SECOND);
            assertThat(c.err("RETR 7")).startsWith("-ERR No such message");
            assertThat(c.err("RETR")).isEqualTo("-ERR RETR needs one message number.");
        }
    }

    @Test
    void topSendsTheHeaderAndTheFirstLines() throws Exception {
        String a = threeMessages("top");
        String header = "From: b@example.net\r\nSubject: two\r\n\r\n";
        try (Pop3Client c = session(a)) {
            assertThat(top(c, "TOP 2 0")).isEqualTo(header);
            assertThat(top(c, "TOP 2 1")).isEqualTo(header + "line 1\r\n");
            assertThat(top(c, "TOP 2 3")).isEqualTo(header + "line 1\r\nline 2\r\nline 3\r\n");
            assertThat(top(c, "TOP 2 999")).isEqualTo(SECOND);
            assertThat(c.err("TOP 2")).isEqualTo("-ERR TOP needs a message number and a number of lines.");
            assertThat(c.err("TOP 2 -1")).isEqualTo("-ERR Invalid number of lines.");
            assertThat(c.err("TOP 9 1")).startsWith("-ERR No such message");
            c.ok("QUIT");
        }
        try (Pop3Client c = session(a)) { // TOP is not a download: everything is offered again
            assertThat(c.ok("STAT")).startsWith("+OK 3 ");
        }
    }

    private static String top(Pop3Client c, String command) throws Exception {
        c.ok(command);
        return new String(c.readBody(), StandardCharsets.UTF_8);
    }

    @Test
    void deleThenRsetUnmarksEverything() throws Exception {
        String a = threeMessages("rset");
        try (Pop3Client c = session(a)) {
            assertThat(c.ok("DELE 1")).isEqualTo("+OK message 1 deleted");
            assertThat(c.err("DELE 1")).isEqualTo("-ERR Message 1 already deleted.");
            assertThat(c.err("RETR 1")).isEqualTo("-ERR Message 1 already deleted.");
            assertThat(c.err("LIST 1")).isEqualTo("-ERR Message 1 already deleted.");
            assertThat(c.ok("STAT")).isEqualTo("+OK 2 " + (SECOND.length() + THIRD.length()));
            assertThat(c.multiline("LIST")).containsExactly("2 " + SECOND.length(), "3 " + THIRD.length());
            assertThat(c.multiline("UIDL")).hasSize(2);
            assertThat(c.ok("RSET")).isEqualTo("+OK maildrop has 3 messages (" + (FIRST.length() + SECOND.length() + THIRD.length()) + " octets)");
            assertThat(c.multiline("LIST")).hasSize(3);
            c.ok("QUIT");
        }
        try (Pop3Client c = session(a)) {
            assertThat(c.ok("STAT")).startsWith("+OK 3 ");
        }
    }

    @Test
    void quitCommitsDeletionsAndDownloadsWhileImapKeepsTheMail() throws Exception {
        String a = threeMessages("quit");
        try (Pop3Client c = session(a)) {
            c.ok("DELE 1");
            c.retr(3);
            assertThat(c.ok("QUIT")).isEqualTo("+OK Postern POP3 server signing off.");
            assertThat(c.closedByServer()).isTrue();
        }
        try (Pop3Client c = session(a)) {
            assertThat(c.ok("STAT")).isEqualTo("+OK 1 " + SECOND.length());
            assertThat(new String(c.retr(1), StandardCharsets.UTF_8)).isEqualTo(SECOND);
        }
        // "Keep Postern's copy in the INBOX" (the default): IMAP still has all three, unread.
        assertThat(server.services().store().messages(Pop3Fixtures.inbox(server, a)))
                .hasSize(3).allMatch(m -> m.flags() == 0);
    }

    @Test
    void aDroppedConnectionCommitsNothing() throws Exception {
        String a = threeMessages("drop");
        Pop3Client c = session(a);
        c.retr(1);
        c.ok("DELE 1");
        c.ok("DELE 2");
        c.close(); // no QUIT
        try (Pop3Client again = sessionAfterDrop(a)) {
            assertThat(again.ok("STAT")).startsWith("+OK 3 ");
        }
    }

    @Test
    void dotStuffingRoundTrips() throws Exception {
        String a = Pop3Fixtures.account(server, "dots");
        String msg = "Subject: dots\r\n\r\n.hidden\r\n..two\r\n.\r\nend\r\n.\r\n";
        Pop3Fixtures.deliver(server, msg, a);
        try (Pop3Client c = session(a)) {
            c.ok("RETR 1");
            assertThat(c.readLine()).isEqualTo("Subject: dots");
            assertThat(c.readLine()).isEmpty();
            assertThat(c.readLine()).isEqualTo("..hidden");
            assertThat(c.readLine()).isEqualTo("...two");
            assertThat(c.readLine()).isEqualTo("..");
            assertThat(c.readLine()).isEqualTo("end");
            assertThat(c.readLine()).isEqualTo("..");
            assertThat(c.readLine()).isEqualTo(".");
            assertThat(new String(c.retr(1), StandardCharsets.UTF_8)).isEqualTo(msg);
            c.ok("TOP 1 1");
            assertThat(new String(c.readBody(), StandardCharsets.UTF_8)).isEqualTo("Subject: dots\r\n\r\n.hidden\r\n");
        }
    }

    @Test
    void bareLineFeedsAndAMissingFinalLineEndAreSentAsCrLf() throws Exception {
        String a = Pop3Fixtures.account(server, "lf");
        Pop3Fixtures.deliver(server, "Subject: lf\n\n.dot\nno end", a);
        try (Pop3Client c = session(a)) {
            assertThat(new String(c.retr(1), StandardCharsets.UTF_8)).isEqualTo("Subject: lf\r\n\r\n.dot\r\nno end\r\n");
        }
    }

    @Test
    void eightBitMessagesComeBackByteForByte() throws Exception {
        String a = Pop3Fixtures.account(server, "bits");
        byte[] head = "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        java.io.ByteArrayOutputStream m = new java.io.ByteArrayOutputStream();
        m.write(head);
        m.write("Grüße, ½ € ☃ 日本語\r\n".getBytes(StandardCharsets.UTF_8));
        for (int b = 0x80; b <= 0xff; b++) {
            m.write(b);
            if (b % 32 == 31) {
                m.write('\r');
                m.write('\n');
            }
        }
        m.write("\u0000 NUL and DEL \u007f\r\n".getBytes(StandardCharsets.ISO_8859_1));
        Pop3Fixtures.deliver(server, m.toByteArray(), a);
        try (Pop3Client c = session(a)) {
            assertThat(c.retr(1)).isEqualTo(m.toByteArray());
        }
    }

    @Test
    void aHugeMessageIsStreamed() throws Exception {
        String a = Pop3Fixtures.account(server, "huge");
        java.io.ByteArrayOutputStream m = new java.io.ByteArrayOutputStream(25 << 20);
        m.write("Subject: huge\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] line = (".".repeat(1) + "x".repeat(996) + "\r\n").getBytes(StandardCharsets.US_ASCII); // 999 octets, dot first
        while (m.size() < 24 << 20) {
            m.write(line);
        }
        byte[] message = m.toByteArray();
        Pop3Fixtures.deliver(server, message, a);
        try (Pop3Client c = session(a)) {
            assertThat(c.ok("LIST 1")).isEqualTo("+OK 1 " + message.length);
            long started = System.nanoTime();
            byte[] got = c.retr(1);
            assertThat(MessageDigest.getInstance("SHA-256").digest(got))
                    .isEqualTo(MessageDigest.getInstance("SHA-256").digest(message));
            assertThat(System.nanoTime() - started).as("24 MB over loopback").isLessThan(30_000_000_000L);
        }
    }

    @Test
    void aMissingMessageFileIsATemporaryProblem() throws Exception {
        String a = Pop3Fixtures.account(server, "gone");
        Pop3Fixtures.deliver(server, "Subject: unique " + System.nanoTime() + "\r\n\r\nbody\r\n", a);
        Pop3Fixtures.deliver(server, THIRD, a);
        StoredMessage first = server.services().store().messages(Pop3Fixtures.inbox(server, a)).getFirst();
        Files.delete(server.services().store().blobs().path(first.blob()));
        try (Pop3Client c = session(a)) {
            assertThat(c.err("RETR 1")).isEqualTo("-ERR [SYS/TEMP] This message cannot be read right now. Please try again later.");
            assertThat(c.err("TOP 1 0")).startsWith("-ERR [SYS/TEMP] ");
            c.retr(2);
            c.ok("QUIT");
        }
        try (Pop3Client c = session(a)) { // the failed RETR was no download; the good one was
            assertThat(c.ok("STAT")).startsWith("+OK 1 ");
        }
    }

    @Test
    void anImapExpungeDuringAPopSessionAnswersErrForThatMessage() throws Exception {
        String a = threeMessages("imap");
        try (Pop3Client pop = session(a); ImapClient imap = ImapClient.tls(server.imapsPort())) {
            imap.readLine();
            imap.login(a, PW);
            imap.command("i1 SELECT INBOX").expectUntagged("3 EXISTS").expectOk();
            imap.command("i2 STORE 2 +FLAGS (\\Deleted)").expectOk();
            imap.command("i3 EXPUNGE").expectUntagged("2 EXPUNGE").expectOk();
            String gone = "-ERR No such message: message 2 has been deleted from INBOX in another session.";
            assertThat(pop.err("RETR 2")).isEqualTo(gone);
            assertThat(pop.err("DELE 2")).isEqualTo(gone);
            assertThat(pop.err("LIST 2")).isEqualTo(gone);
            assertThat(pop.err("TOP 2 0")).isEqualTo(gone);
            assertThat(pop.err("UIDL 2")).isEqualTo(gone);
            assertThat(pop.multiline("LIST")).containsExactly("1 " + FIRST.length(), "3 " + THIRD.length());
            assertThat(pop.ok("STAT")).isEqualTo("+OK 2 " + (FIRST.length() + THIRD.length()));
            // Messages moved away over IMAP are gone from the maildrop too.
            imap.command("i4 MOVE 1 Archive").expectOk();
            assertThat(pop.err("RETR 1")).startsWith("-ERR No such message");
            assertThat(new String(pop.retr(3), StandardCharsets.UTF_8)).isEqualTo(THIRD);
            // New mail during the session is not in this session's maildrop (RFC 1939 §8).
            Pop3Fixtures.deliver(server, FIRST, a);
            assertThat(pop.ok("STAT")).isEqualTo("+OK 1 " + THIRD.length());
            assertThat(pop.ok("QUIT")).startsWith("+OK");
            imap.command("i5 NOOP").expectOk();
        }
        try (Pop3Client pop = session(a)) {
            assertThat(pop.ok("STAT")).isEqualTo("+OK 1 " + FIRST.length()); // only the new one
        }
    }

    @Test
    void commandsArePipelined() throws Exception {
        String a = threeMessages("pipe");
        try (Pop3Client c = Pop3Client.tlsGreeted(server.pop3sPort())) {
            c.sendRaw(("USER " + a + "\r\nPASS " + PW + "\r\nSTAT\r\nLIST 1\r\nRETR 1\r\nDELE 3\r\nQUIT\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            assertThat(c.readLine()).startsWith("+OK Send");
            assertThat(c.readLine()).startsWith("+OK " + a);
            assertThat(c.readLine()).startsWith("+OK 3 ");
            assertThat(c.readLine()).isEqualTo("+OK 1 " + FIRST.length());
            assertThat(c.readLine()).startsWith("+OK");
            assertThat(new String(c.readBody(), StandardCharsets.UTF_8)).isEqualTo(FIRST);
            assertThat(c.readLine()).isEqualTo("+OK message 3 deleted");
            assertThat(c.readLine()).startsWith("+OK Postern POP3 server signing off");
        }
        try (Pop3Client c = session(a)) {
            assertThat(c.multiline("LIST")).containsExactly("1 " + SECOND.length());
        }
    }
}
