package org.postern.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testing.ImapClient;
import org.postern.testing.TestServer;

/** ESEARCH (RFC 4731) and SEARCHRES (RFC 5182). */
class ESearchTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, false, "alice@example.org", "bob@example.org");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static ImapClient mailboxOfSix(String user) throws Exception {
        ImapFixture.deliver(server, user, "m1", "m2", "m3", "m4", "m5", "m6");
        ImapClient c = ImapFixture.login(server, user);
        c.command("a0 SELECT INBOX").expectOk();
        c.command("a1 STORE 4 +FLAGS.SILENT (\\Deleted)").expectOk();
        c.command("a2 EXPUNGE").expectOk(); // UIDs 1:3,5:6 remain as numbers 1:5
        c.command("a3 STORE 2,4 +FLAGS.SILENT (\\Seen)").expectOk();
        return c;
    }

    @Test
    void returnOptionsAnswerWithOneEsearchResponse() throws Exception {
        try (ImapClient c = mailboxOfSix("alice@example.org")) {
            c.command("b1 SEARCH RETURN (ALL) ALL").expectUntagged("ESEARCH (TAG \"b1\") ALL 1:5");
            c.command("b2 SEARCH RETURN () ALL").expectUntagged("ESEARCH (TAG \"b2\") ALL 1:5");
            c.command("b3 UID SEARCH RETURN (ALL) ALL").expectUntagged("ESEARCH (TAG \"b3\") UID ALL 1:3,5:6");
            c.command("b4 UID SEARCH RETURN (MIN MAX COUNT) SEEN").expectUntagged("ESEARCH (TAG \"b4\") UID MIN 2 MAX 5 COUNT 2");
            c.command("b5 SEARCH RETURN (COUNT) 1000:2000").expectUntagged("ESEARCH (TAG \"b5\") COUNT 0");
            c.command("b6 SEARCH RETURN (MIN MAX ALL) KEYWORD nothing").expectUntagged("ESEARCH (TAG \"b6\")");
            c.command("b7 SEARCH RETURN (COUNT) KEYWORD nothing").expectUntagged("ESEARCH (TAG \"b7\") COUNT 0");
            c.command("b8 SEARCH UNSEEN").expectUntagged("SEARCH 1 3 5"); // without RETURN, the classic answer
        }
    }

    @Test
    void savedResultsAreUsedWithDollar() throws Exception {
        try (ImapClient c = mailboxOfSix("bob@example.org")) {
            var r = c.command("b1 SEARCH RETURN (SAVE) SEEN").expectOk();
            assertThat(r.untagged).isEmpty(); // SAVE alone: no ESEARCH response (RFC 5182 §2.2)
            c.command("b2 FETCH $ (UID)").expectUntagged("2 FETCH (UID 2)").expectUntagged("4 FETCH (UID 5)");
            c.command("b3 UID SEARCH UID $").expectUntagged("SEARCH 2 5");
            c.command("b4 SEARCH RETURN (SAVE MIN) UNSEEN").expectUntagged("ESEARCH (TAG \"b4\") MIN 1");
            c.command("b5 UID FETCH $ (FLAGS)").expectUntagged("1 FETCH (UID 1 FLAGS (\\Recent))");
            // The saved result follows its messages through expunges.
            c.command("b6 SEARCH RETURN (SAVE) 3:5").expectOk();
            c.command("b7 STORE 1 +FLAGS.SILENT (\\Deleted)").expectOk();
            c.command("b8 EXPUNGE").expectOk();
            c.command("b9 SEARCH $").expectUntagged("SEARCH 2 3 4");
            c.command("c1 UNSELECT").expectOk();
            c.command("c2 SELECT INBOX").expectOk();
            c.command("c3 SEARCH $").expectUntagged("SEARCH"); // empty again after SELECT
        }
    }
}
