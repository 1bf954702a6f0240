package org.postern.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.store.sqlite.ExpungeHistory;
import org.postern.store.sqlite.SqliteMailStore;
import org.postern.testing.ImapClient;
import org.postern.testing.TestServer;

/**
 * QRESYNC after old expunge records were forgotten (RFC 7162 §3.2.5.2, §3.2.6): a client whose
 * MODSEQ is below the mailbox's prune point gets every UID that no longer exists, as ranges; one
 * at or above it still gets the exact list.
 */
class QresyncPrunedTest {
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

    /** Expunges these UIDs in one command; returns the mailbox's HIGHESTMODSEQ after it. */
    static long expunge(ImapClient c, String uids) throws Exception {
        c.command("x1 UID STORE " + uids + " +FLAGS.SILENT (\\Deleted)").expectOk();
        var r = c.command("x2 UID EXPUNGE " + uids).expectOk();
        return CondStoreTest.number(List.of(r.tagged), "OK \\[HIGHESTMODSEQ (\\d+)]");
    }

    static List<String> vanished(ImapClient.Response r) {
        return r.untagged.stream().filter(l -> l.startsWith("* VANISHED")).toList();
    }

    @Test
    void belowThePrunePointTheAnswerIsEveryMissingUidAboveItTheExactOne() throws Exception {
        for (int i = 1; i <= 10; i++) {
            ImapFixture.deliver(server, "alice@example.org", "m" + i);
        }
        long uidValidity;
        long e1;
        long e2;
        try (ImapClient c = ImapFixture.login(server, "alice@example.org")) {
            c.command("a1 ENABLE QRESYNC").expectOk();
            uidValidity = CondStoreTest.number(c.command("a2 SELECT INBOX").expectOk().untagged, "OK \\[UIDVALIDITY (\\d+)]");
            e1 = expunge(c, "2"); // the client below last saw the mailbox here
            e2 = expunge(c, "5:6");
            expunge(c, "9:10");
        }
        String atE1 = "(QRESYNC (" + uidValidity + " " + e1;
        String atE2 = "(QRESYNC (" + uidValidity + " " + e2;
        try (ImapClient c = ImapFixture.login(server, "alice@example.org")) {
            c.command("b1 ENABLE QRESYNC").expectOk();
            // Everything remembered: exact.
            assertThat(vanished(c.command("b2 EXAMINE INBOX " + atE1 + "))").expectOk()))
                    .containsExactly("* VANISHED (EARLIER) 5:6,9:10");

            // Keep the newest two records: UIDs 9 and 10. The records of UIDs 2, 5 and 6 go, and
            // the prune point becomes the MODSEQ of the expunge of 5:6.
            SqliteMailStore store = (SqliteMailStore) server.services().store();
            assertThat(store.pruneExpunged(new ExpungeHistory.Policy(Duration.ofDays(90), 2))).isEqualTo(3);

            // Below the prune point: every UID below UIDNEXT that does not exist, UID 2 included
            // (expunged before the client's MODSEQ; RFC 7162 lets the server report it).
            assertThat(vanished(c.command("b3 EXAMINE INBOX " + atE1 + "))").expectOk()))
                    .containsExactly("* VANISHED (EARLIER) 2,5:6,9:10");
            // At the prune point: still exact.
            assertThat(vanished(c.command("b4 EXAMINE INBOX " + atE2 + "))").expectOk()))
                    .containsExactly("* VANISHED (EARLIER) 9:10");
            // Known UIDs narrow the superset.
            assertThat(vanished(c.command("b5 EXAMINE INBOX " + atE1 + " 3:10))").expectOk()))
                    .containsExactly("* VANISHED (EARLIER) 5:6,9:10");
            // So does the sequence match data: the client's messages 1:3 are UIDs 1,3,4, as here,
            // so nothing up to UID 4 vanished from its view.
            assertThat(vanished(c.command("b6 EXAMINE INBOX " + atE1 + " 1:10 (1:3 1,3:4)))").expectOk()))
                    .containsExactly("* VANISHED (EARLIER) 5:6,9:10");
            // Pairs are read up to the first that does not match (its message 4 was UID 5, here 7).
            assertThat(vanished(c.command("b7 EXAMINE INBOX " + atE1 + " 1:10 (1:4,6 1,3:5,7)))").expectOk()))
                    .containsExactly("* VANISHED (EARLIER) 5:6,9:10");
            // Match data that says nothing: the whole superset.
            assertThat(vanished(c.command("b8 EXAMINE INBOX " + atE1 + " 1:10 (1 2)))").expectOk()))
                    .containsExactly("* VANISHED (EARLIER) 2,5:6,9:10");

            // UID FETCH CHANGEDSINCE VANISHED (RFC 7162 §3.2.6) likewise; "*" reaches UIDNEXT-1,
            // for the client may know expunged UIDs above the last message (9 and 10 here).
            c.command("b9 SELECT INBOX").expectOk();
            assertThat(vanished(c.command("c1 UID FETCH 1:* FLAGS (CHANGEDSINCE " + e1 + " VANISHED)").expectOk()))
                    .containsExactly("* VANISHED (EARLIER) 2,5:6,9:10");
            assertThat(vanished(c.command("c2 UID FETCH 1:4 FLAGS (CHANGEDSINCE " + e1 + " VANISHED)").expectOk()))
                    .containsExactly("* VANISHED (EARLIER) 2");
            assertThat(vanished(c.command("c3 UID FETCH 1:* FLAGS (CHANGEDSINCE " + e2 + " VANISHED)").expectOk()))
                    .containsExactly("* VANISHED (EARLIER) 9:10");
            // UIDs from UIDNEXT on were never used: not even a superset names them.
            assertThat(vanished(c.command("c4 UID FETCH 8:20 FLAGS (CHANGEDSINCE " + e1 + " VANISHED)").expectOk()))
                    .containsExactly("* VANISHED (EARLIER) 9:10");
        }
    }

    @Test
    void aClientOfAMailboxWhoseRecordsAreAllForgottenHearsOfEveryUidUpToUidNext() throws Exception {
        for (int i = 1; i <= 4; i++) {
            ImapFixture.deliver(server, "bob@example.org", "m" + i);
        }
        try (ImapClient c = ImapFixture.login(server, "bob@example.org")) {
            c.command("a1 ENABLE QRESYNC").expectOk();
            long uidValidity = CondStoreTest.number(c.command("a2 SELECT INBOX").expectOk().untagged, "OK \\[UIDVALIDITY (\\d+)]");
            long first = expunge(c, "1");
            long last = expunge(c, "2:4");
            Thread.sleep(5); // older than no time at all
            assertThat(((SqliteMailStore) server.services().store()).pruneExpunged(new ExpungeHistory.Policy(Duration.ZERO, 0)))
                    .isEqualTo(4);
            assertThat(vanished(c.command("a3 EXAMINE INBOX (QRESYNC (" + uidValidity + " " + first + "))").expectOk()))
                    .containsExactly("* VANISHED (EARLIER) 1:4");
            assertThat(vanished(c.command("a4 EXAMINE INBOX (QRESYNC (" + uidValidity + " " + last + "))").expectOk())).isEmpty();
        }
    }
}
