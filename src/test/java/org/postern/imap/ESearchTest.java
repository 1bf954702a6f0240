package org.postern.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testing.ImapClient;
import org.postern.testing.TestServer;

/** ESEARCH (RFC 4731), SEARCHRES (RFC 5182) and PARTIAL (RFC 9394). */
class ESearchTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, false, "alice@example.org", "bob@example.org", "carol@example.org");
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

    /** RFC 9394 §3.1-§3.3: a window of the result by position, from the start or from the end. */
    @Test
    void partialPagesSearchResultsAndUidFetch() throws Exception {
        // UIDs 1:3,5:6 as numbers 1:5; numbers 2 and 4 (UIDs 2, 5) \Seen.
        try (ImapClient c = mailboxOfSix("carol@example.org")) {
            assertThat(c.command("p0 CAPABILITY").untagged.getFirst()).contains(" PARTIAL ");
            c.command("p1 UID SEARCH RETURN (PARTIAL 1:2) ALL").expectUntagged("ESEARCH (TAG \"p1\") UID PARTIAL (1:2 1:2)");
            c.command("p2 UID SEARCH RETURN (PARTIAL -1:-2) ALL").expectUntagged("ESEARCH (TAG \"p2\") UID PARTIAL (-1:-2 5:6)");
            // 5:3 is 3:5, and -2:-1 is -1:-2; the range is written back low position first.
            c.command("p3 SEARCH RETURN (PARTIAL 5:3) ALL").expectUntagged("ESEARCH (TAG \"p3\") PARTIAL (3:5 3:5)");
            c.command("p4 SEARCH RETURN (PARTIAL -2:-1) ALL").expectUntagged("ESEARCH (TAG \"p4\") PARTIAL (-1:-2 4:5)");
            // Past the end: what is there; nothing there: NIL.
            c.command("p5 UID SEARCH RETURN (PARTIAL 4:100) ALL").expectUntagged("ESEARCH (TAG \"p5\") UID PARTIAL (4:100 5:6)");
            c.command("p6 SEARCH RETURN (PARTIAL 50:100) ALL").expectUntagged("ESEARCH (TAG \"p6\") PARTIAL (50:100 NIL)");
            c.command("p7 SEARCH RETURN (PARTIAL -10:-20) ALL").expectUntagged("ESEARCH (TAG \"p7\") PARTIAL (-10:-20 NIL)");
            // With COUNT, MIN and MAX, which look at every match.
            c.command("p8 SEARCH RETURN (COUNT MIN PARTIAL 2:2) UNSEEN")
                    .expectUntagged("ESEARCH (TAG \"p8\") MIN 1 COUNT 3 PARTIAL (2:2 3)");
            // One PARTIAL, and never with ALL; no 0, no *, no mixed signs (RFC 9394 §4).
            c.command("p9 SEARCH RETURN (PARTIAL 1:5 ALL) ALL").expectBad();
            c.command("q1 SEARCH RETURN (PARTIAL 1:5 PARTIAL 6:9) ALL").expectBad();
            c.command("q2 SEARCH RETURN (PARTIAL 0:5) ALL").expectBad();
            c.command("q3 SEARCH RETURN (PARTIAL 1:*) ALL").expectBad();
            c.command("q4 UID SEARCH RETURN (PARTIAL 1:-100) ALL").expectBad();
            // SAVE keeps the page (RFC 9394 §3.2) ...
            c.command("q5 SEARCH RETURN (SAVE PARTIAL -1:-2) ALL").expectUntagged("ESEARCH (TAG \"q5\") PARTIAL (-1:-2 4:5)");
            c.command("q6 UID SEARCH UID $").expectUntagged("SEARCH 5 6");
            // ... and, with COUNT, every match.
            c.command("q7 SEARCH RETURN (SAVE COUNT PARTIAL 1:1) UNSEEN").expectUntagged("ESEARCH (TAG \"q7\") COUNT 3 PARTIAL (1:1 1)");
            c.command("q8 SEARCH $").expectUntagged("SEARCH 1 3 5");
            // The FETCH modifier: positions among the messages the set names.
            var f = c.command("q9 UID FETCH 1:* (UID) (PARTIAL -1:-2)").expectOk();
            assertThat(f.untagged).containsExactly("* 4 FETCH (UID 5)", "* 5 FETCH (UID 6)");
            f = c.command("r1 FETCH 2:5 (UID) (PARTIAL 2:3)").expectOk();
            assertThat(f.untagged).containsExactly("* 3 FETCH (UID 3)", "* 4 FETCH (UID 5)");
            assertThat(c.command("r2 UID FETCH 1:* (UID) (PARTIAL 10:20)").expectOk().untagged).isEmpty();
        }
    }
}
