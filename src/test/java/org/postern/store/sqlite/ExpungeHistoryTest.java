package org.postern.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.store.MessageData;
import org.postern.testing.MovingClock;

/** The expunge records QRESYNC reads, and their bounded forgetting. */
class ExpungeHistoryTest {
    static final ExpungeHistory.Policy KEEP_A_DAY = new ExpungeHistory.Policy(Duration.ofDays(1), 0);

    @TempDir
    Path dir;
    MovingClock clock = new MovingClock(Instant.parse("2026-01-01T00:00:00Z"));
    TestStore t;
    long inbox;

    @BeforeEach
    void open() throws Exception {
        t = new TestStore(dir, clock);
        inbox = t.inbox(t.directory.addAccount("alice@example.org", "x").id());
        MessageData m = t.message("one message, ten rows");
        for (int i = 0; i < 10; i++) {
            t.store.append(inbox, m, 0, Set.of());
        }
    }

    @AfterEach
    void close() {
        t.close();
    }

    long expunge(long... uids) {
        t.store.expunge(inbox, uids);
        return t.store.mailbox(inbox).highestModSeq();
    }

    long[] recorded() {
        return t.db.read(c -> Sql.queryLongs(c, "SELECT uid FROM expunged WHERE mailbox_id=? ORDER BY uid", inbox));
    }

    long prunePoint() {
        return t.db.read(c -> ExpungeHistory.prunePoint(c, inbox));
    }

    @Test
    void recordsOlderThanTheAgeLimitAreForgottenAndThePrunePointRaised() {
        long first = expunge(1, 2);
        clock.advance(Duration.ofHours(20));
        long second = expunge(5);
        clock.advance(Duration.ofHours(5)); // the first expunge is 25 hours old, the second 5

        assertThat(t.store.pruneExpunged(KEEP_A_DAY)).isEqualTo(2);
        assertThat(recorded()).containsExactly(5);
        assertThat(prunePoint()).isEqualTo(first);
        // At or above the prune point the answer is exact; below it the store says it does not know.
        assertThat(t.store.expungedSince(inbox, first)).hasValueSatisfying(u -> assertThat(u).containsExactly(5));
        assertThat(t.store.expungedSince(inbox, second)).hasValueSatisfying(u -> assertThat(u).isEmpty());
        assertThat(t.store.expungedSince(inbox, first - 1)).isEmpty();

        assertThat(t.store.pruneExpunged(KEEP_A_DAY)).isZero(); // nothing more is old enough
        assertThat(prunePoint()).isEqualTo(first);
    }

    @Test
    void atMostTheNewestRecordsPerMailboxAreKept() {
        expunge(1);
        long second = expunge(2, 3);
        long third = expunge(4, 5, 6);
        // Keep 3: the newest three are UIDs 4:6; everything up to the second expunge goes.
        assertThat(t.store.pruneExpunged(new ExpungeHistory.Policy(Duration.ofDays(90), 3))).isEqualTo(3);
        assertThat(recorded()).containsExactly(4, 5, 6);
        assertThat(prunePoint()).isEqualTo(second);
        // Keep 2: the three newest share one MODSEQ, and a cut falls between MODSEQs: all three go
        // (never more than the limit is kept).
        assertThat(t.store.pruneExpunged(new ExpungeHistory.Policy(Duration.ofDays(90), 2))).isEqualTo(3);
        assertThat(recorded()).isEmpty();
        assertThat(prunePoint()).isEqualTo(third);
    }

    @Test
    void theAgeAndTheCountLimitTogetherKeepWhicheverIsFewer() {
        long old = expunge(1, 2, 3);
        clock.advance(Duration.ofDays(2));
        expunge(4);
        long young = expunge(5);
        // Age alone would keep 4 and 5; the count alone would keep 3 of them. Both: 5 only.
        assertThat(t.store.pruneExpunged(new ExpungeHistory.Policy(Duration.ofDays(1), 1))).isEqualTo(4);
        assertThat(recorded()).containsExactly(5);
        assertThat(prunePoint()).isGreaterThan(old).isLessThan(young);
    }

    @Test
    void pruningGoesInBatchesEachRaisingThePrunePoint() {
        long[] modSeqs = new long[10];
        for (int uid = 1; uid <= 10; uid++) {
            modSeqs[uid - 1] = expunge(uid);
        }
        clock.advance(Duration.ofDays(2));
        long commits = t.db.commits();
        assertThat(ExpungeHistory.prune(t.db, KEEP_A_DAY, clock.millis(), 3)).isEqualTo(10);
        // 3 + 3 + 3 + 1: four short write transactions, not one long one.
        assertThat(t.db.commits() - commits).isEqualTo(4);
        assertThat(recorded()).isEmpty();
        assertThat(prunePoint()).isEqualTo(modSeqs[9]);
    }

    @Test
    void aBatchThatEndsInsideOneExpungeLeavesARightPrunePoint() {
        long all = expunge(LongStream.rangeClosed(1, 10).toArray()); // ten records, one MODSEQ
        clock.advance(Duration.ofDays(2));
        // One batch of four: six records of the expunge remain, but a client from before it can
        // no longer be told exactly; one that saw it needs none of them.
        assertThat(t.db.<Integer>write(tx -> ExpungeHistory.forgetBatch(tx.connection(), inbox, all, 4))).isEqualTo(4);
        assertThat(recorded()).hasSize(6);
        assertThat(prunePoint()).isEqualTo(all);
        assertThat(t.store.expungedSince(inbox, all - 1)).isEmpty();
        assertThat(t.store.expungedSince(inbox, all)).hasValueSatisfying(u -> assertThat(u).isEmpty());
        assertThat(ExpungeHistory.prune(t.db, KEEP_A_DAY, clock.millis(), 4)).isEqualTo(6);
        assertThat(recorded()).isEmpty();
    }

    @Test
    void thePrunePointSurvivesARestartAndNewExpungesAreExactAboveIt() {
        long first = expunge(1, 2);
        clock.advance(Duration.ofDays(2));
        t.store.pruneExpunged(KEEP_A_DAY);
        t.close();
        t = new TestStore(dir, clock);
        assertThat(prunePoint()).isEqualTo(first);
        long before = t.store.mailbox(inbox).highestModSeq();
        expunge(7);
        assertThat(t.store.expungedSince(inbox, before)).hasValueSatisfying(u -> assertThat(u).containsExactly(7));
        assertThat(t.store.expungedSince(inbox, first - 1)).isEmpty();
    }

    @Test
    void checkDoesNotReportPrunedRecordsButAPrunePointAboveTheModSeq() throws Exception {
        expunge(9, 10); // the highest UIDs: after pruning no row says they were used
        clock.advance(Duration.ofDays(2));
        t.store.pruneExpunged(KEEP_A_DAY);
        assertThat(new StoreCheck(t.db, t.blobs, clock, false).run().findings()).isEmpty();
        long highest = t.store.mailbox(inbox).highestModSeq();
        t.db.write(tx -> Sql.update(tx.connection(), "UPDATE mailboxes SET expunged_pruned=? WHERE id=?", highest + 5, inbox));
        StoreCheck.Report r = new StoreCheck(t.db, t.blobs, clock, true).run();
        assertThat(r.findings()).singleElement().extracting(StoreCheck::describe).asString()
                .endsWith("HIGHESTMODSEQ " + highest + " but MODSEQ " + (highest + 5) + " is taken -> HIGHESTMODSEQ raised to "
                        + (highest + 5));
    }

    @Test
    void theMigrationGivesOldRecordsTheTimeOfTheUpgrade(@TempDir Path old) throws Exception {
        try (Connection c = TestStore.schemaBefore(old.resolve("postern.db"), "schema/013-expunged-prune.sql");
             Statement s = c.createStatement()) {
            s.execute("INSERT INTO mailboxes (account_id, name, uidvalidity, uidnext, highest_modseq, created) "
                    + "VALUES (1, 'INBOX', 1, 3, 5, 0)");
            s.execute("INSERT INTO expunged (mailbox_id, uid, modseq) VALUES (1, 1, 4), (1, 2, 5)");
        }
        long upgraded = System.currentTimeMillis();
        try (TestStore migrated = new TestStore(old)) {
            assertThat(migrated.db.<Long>read(c -> Sql.queryLong(c, "SELECT min(at) FROM expunged", 0)))
                    .isBetween(upgraded - 2_000, upgraded + 60_000);
            assertThat(migrated.store.expungedSince(1, 3)).hasValueSatisfying(u -> assertThat(u).containsExactly(1, 2));
            // Kept for the full period from the upgrade on.
            assertThat(ExpungeHistory.prune(migrated.db, KEEP_A_DAY, upgraded + Duration.ofHours(23).toMillis(), 10)).isZero();
            assertThat(ExpungeHistory.prune(migrated.db, KEEP_A_DAY, upgraded + Duration.ofHours(25).toMillis(), 10)).isEqualTo(2);
        }
    }
}
