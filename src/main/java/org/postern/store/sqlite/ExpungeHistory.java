package org.postern.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The memory of expunges (the {@code expunged} table), which QRESYNC's {@code VANISHED (EARLIER)}
 * reads (RFC 7162 §3.2.5, §3.2.6), and its bounded forgetting.
 *
 * <p>Each expunge is recorded with its MODSEQ and time. {@link #prune} forgets the records the
 * {@link Policy} no longer keeps, oldest MODSEQ first, and raises the mailbox's prune point
 * ({@code mailboxes.expunged_pruned}) in the same transaction: every record with a MODSEQ above
 * the prune point is still there, those at or below it may be gone. A client that knows the
 * mailbox at a MODSEQ at or above the prune point therefore gets the exact list; one below it
 * gets a superset, which RFC 7162 allows (see {@code imap.CondStore}).
 */
public final class ExpungeHistory {
    /** Records deleted per write transaction: the writer is never held for long. */
    static final int BATCH = 1_000;

    /**
     * What is kept: the expunges of the last {@code keep}, and of those at most the newest
     * {@code maxPerMailbox} per mailbox (0: no count limit), whichever keeps fewer.
     *
     * <p>The default, 90 days and 100,000 records: a phone or laptop left in a drawer for a season
     * still resynchronises exactly, and a mailbox that a mailing list or a filter fills and
     * empties all day keeps a few megabytes of records, not years of them. Cyrus (cyr_expire's
     * expunge age) and Dovecot (the rotation of its transaction logs) bound their histories too,
     * and far shorter. What is forgotten costs a returning client little: the VANISHED (EARLIER)
     * it then gets is every gap between the UIDs that still exist, as ranges.
     */
    public record Policy(Duration keep, int maxPerMailbox) {
        public static final Policy DEFAULT = new Policy(Duration.ofDays(90), 100_000);

        public Policy {
            if (keep.isNegative() || maxPerMailbox < 0) {
                throw new IllegalArgumentException("negative expunge history: " + keep + ", " + maxPerMailbox);
            }
        }
    }

    private ExpungeHistory() {}

    /** Records the expunge of {@code uids} at {@code modSeq}, inside the caller's transaction. */
    static void record(Connection c, long mailboxId, long[] uids, long modSeq, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT OR REPLACE INTO expunged (mailbox_id, uid, modseq, at) VALUES (?,?,?,?)")) {
            for (long uid : uids) {
                ps.setLong(1, mailboxId);
                ps.setLong(2, uid);
                ps.setLong(3, modSeq);
                ps.setLong(4, now);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * The UIDs expunged with a MODSEQ above {@code modSeq}, ascending; empty when records above
     * {@code modSeq} may have been forgotten. One read transaction, so a prune in between cannot
     * make an incomplete list look exact.
     */
    static Optional<long[]> since(Connection c, long mailboxId, long modSeq) throws SQLException {
        try (java.sql.Statement s = c.createStatement()) {
            s.execute("BEGIN");
            try {
                if (modSeq < prunePoint(c, mailboxId)) {
                    return Optional.empty();
                }
                return Optional.of(Sql.queryLongs(c,
                        "SELECT uid FROM expunged WHERE mailbox_id=? AND modseq>? ORDER BY uid", mailboxId, modSeq));
            } finally {
                s.execute("COMMIT");
            }
        }
    }

    /** The mailbox's prune point: records at or below this MODSEQ may be forgotten (0: none was). */
    static long prunePoint(Connection c, long mailboxId) throws SQLException {
        return Sql.queryLong(c, "SELECT expunged_pruned FROM mailboxes WHERE id=?", 0, mailboxId);
    }

    /**
     * Forgets what {@code policy} no longer keeps, as of {@code now} (epoch ms), in every
     * mailbox. The cut of each mailbox is found on a reader; the writer then deletes at most
     * {@code batch} records per transaction, each raising the prune point to the MODSEQ of the
     * last record it deleted. Returns how many records were forgotten.
     */
    static long prune(Database db, Policy policy, long now, int batch) {
        long before = now - policy.keep().toMillis();
        record Cut(long mailboxId, long modSeq) {}
        List<Cut> cuts = db.read(c -> {
            List<Cut> out = new ArrayList<>();
            for (long id : mailboxesWithRecords(c)) {
                long cut = Math.max(agedOut(c, id, before), beyondCount(c, id, policy.maxPerMailbox()));
                if (cut > 0) {
                    out.add(new Cut(id, cut));
                }
            }
            return out;
        });
        long forgotten = 0;
        for (Cut cut : cuts) {
            int n;
            do {
                n = db.write(tx -> forgetBatch(tx.connection(), cut.mailboxId(), cut.modSeq(), batch));
                forgotten += n;
            } while (n == batch);
        }
        return forgotten;
    }

    private static long[] mailboxesWithRecords(Connection c) throws SQLException {
        return Sql.queryLongs(c,
                "SELECT id FROM mailboxes b WHERE EXISTS (SELECT 1 FROM expunged e WHERE e.mailbox_id=b.id) ORDER BY id");
    }

    /**
     * The MODSEQ up to which every record is older than {@code before}, or 0: the records are
     * walked in MODSEQ order, which is also the order of time, and the walk stops at the first
     * young one, so it reads only what is about to go. (Should the clock have stepped back, it
     * stops early and keeps more.)
     */
    private static long agedOut(Connection c, long mailboxId, long before) throws SQLException {
        long cut = 0;
        try (PreparedStatement ps = Sql.prepare(c, "SELECT modseq, at FROM expunged WHERE mailbox_id=? ORDER BY modseq", mailboxId);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next() && rs.getLong(2) < before) {
                cut = rs.getLong(1);
            }
        }
        return cut;
    }

    /**
     * The MODSEQ of the newest record beyond the newest {@code max}, or 0. Records of one expunge
     * share a MODSEQ, so cutting there may keep a few fewer than {@code max}, never more.
     */
    private static long beyondCount(Connection c, long mailboxId, int max) throws SQLException {
        if (max == 0) {
            return 0;
        }
        return Sql.queryLong(c, "SELECT modseq FROM expunged WHERE mailbox_id=? ORDER BY modseq DESC LIMIT 1 OFFSET ?",
                0, mailboxId, max);
    }

    /**
     * Deletes up to {@code batch} of the oldest records at or below {@code cut} and raises the
     * prune point to the last one's MODSEQ; returns how many were deleted.
     */
    static int forgetBatch(Connection c, long mailboxId, long cut, int batch) throws SQLException {
        List<Long> uids = new ArrayList<>(batch);
        long last = 0;
        try (PreparedStatement ps = Sql.prepare(c, "SELECT uid, modseq FROM expunged WHERE mailbox_id=? AND modseq<=? "
                + "ORDER BY modseq, uid LIMIT ?", mailboxId, cut, batch);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                uids.add(rs.getLong(1));
                last = rs.getLong(2);
            }
        }
        if (uids.isEmpty()) {
            return 0;
        }
        Sql.update(c, "DELETE FROM expunged WHERE mailbox_id=? AND uid IN (SELECT value FROM json_each(?))",
                mailboxId, Sql.jsonIds(uids.stream().mapToLong(Long::longValue).toArray()));
        Sql.update(c, "UPDATE mailboxes SET expunged_pruned=max(expunged_pruned, ?) WHERE id=?", last, mailboxId);
        return uids.size();
    }
}
