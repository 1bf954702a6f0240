package org.postern.store.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.postern.store.BlobStore;

/**
 * {@code postern check}: does the store agree with itself? It verifies, in this order:
 * SQLite's own {@code integrity_check} and {@code foreign_key_check}; every message row against
 * its blob file (present, of the recorded size, and hashing to its name); every blob file
 * against the rows (a file nothing refers to); every message against its memberships (a message
 * in no mailbox); every mailbox's UIDNEXT and HIGHESTMODSEQ against its rows and expunge
 * records (and its expunge prune point, which the MODSEQ must not fall below), and no UID both
 * present and expunged; the garbage list against live blobs. Expunge records that were pruned
 * (ExpungeHistory) are no problem: the counters stay above what they held.
 *
 * <p>With repair it fixes only what loses nothing: counters raised to what the rows say (so no UID
 * or MODSEQ is handed out twice), a message in no mailbox put back into its account's INBOX, a
 * file nothing refers to handed to the garbage collector (which deletes it after its grace
 * period, and not at all if a delivery claims it meanwhile), a live blob taken off the garbage
 * list, membership rows whose message row is gone recorded as expunged. What it cannot fix (a
 * missing or damaged message file, a damaged database) it reports, and the command fails.
 *
 * <p>It may run while the server runs: files younger than {@link #SETTLE} are left alone (a
 * delivery may be about to commit the row naming them), and repairs go through the writer.
 */
public final class StoreCheck {
    /** Blob files younger than this may belong to a delivery in flight. */
    static final Duration SETTLE = Duration.ofMinutes(10);

    /** One finding: what is wrong and, when repaired, what was done. */
    public record Finding(String problem, String repair) {
        public boolean repaired() {
            return repair != null;
        }
    }

    /** All findings; the store is consistent when none is left unrepaired. */
    public record Report(List<Finding> findings, long messages, long blobFiles, long mailboxes) {
        public long remaining() {
            return findings.stream().filter(f -> !f.repaired()).count();
        }
    }

    private final Database db;
    private final BlobStore blobs;
    private final Clock clock;
    private final boolean repair;
    private final List<Finding> findings = new ArrayList<>();

    public StoreCheck(Database db, BlobStore blobs, Clock clock, boolean repair) {
        this.db = db;
        this.blobs = blobs;
        this.clock = clock;
        this.repair = repair;
    }

    public Report run() throws IOException {
        // Files first, rows second: a file written and claimed between the two reads is then
        // seen as referenced, never as an orphan.
        Map<String, Long> files = blobFiles();
        if (!databaseIntact()) {
            return new Report(List.copyOf(findings), 0, files.size(), 0);
        }
        long messages = checkMessageBlobs();
        checkUnreferencedFiles(files);
        checkMessagesWithoutMailbox();
        checkDanglingMemberships();
        long mailboxes = checkCounters();
        checkGarbageList();
        return new Report(List.copyOf(findings), messages, files.size(), mailboxes);
    }

    private void problem(String problem) {
        findings.add(new Finding(problem, null));
    }

    private void repaired(String problem, String repair) {
        findings.add(new Finding(problem, repair));
    }

    // ------------------------------------------------------------------ the database itself

    private boolean databaseIntact() {
        List<String> damage = db.read(c -> {
            List<String> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA integrity_check(20)")) {
                while (rs.next()) {
                    if (!"ok".equals(rs.getString(1))) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
        for (String d : damage) {
            problem("database damaged (" + db.file() + "): " + d + "; restore it from a backup");
        }
        if (!damage.isEmpty()) {
            return false;
        }
        List<String> broken = db.read(c -> {
            List<String> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA foreign_key_check")) {
                while (rs.next()) {
                    if (!"mailbox_messages".equals(rs.getString(1)) || !"messages".equals(rs.getString(3))) {
                        out.add("table " + rs.getString(1) + " row " + rs.getLong(2) + " refers to a missing row of " + rs.getString(3));
                    }
                }
            }
            return out;
        });
        broken.forEach(this::problem); // mailbox_messages -> messages is checked (and repaired) below
        return true;
    }

    // ------------------------------------------------------------------ blobs and message rows

    private record MessageRow(long id, long accountId, String blob, long size) {}

    private long checkMessageBlobs() throws IOException {
        List<MessageRow> rows = db.read(c -> {
            List<MessageRow> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, account_id, blob, size FROM messages UNION ALL "
                            + "SELECT id, -1, blob, size FROM queue_messages ORDER BY 3");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new MessageRow(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4)));
                }
            }
            return out;
        });
        String verified = null;
        String verdict = null;
        for (MessageRow m : rows) {
            String what = m.accountId() < 0 ? "outbound queue message " + m.id() : "message " + m.id() + " of account " + m.accountId();
            if (!m.blob().equals(verified)) {
                verified = m.blob();
                verdict = verify(m.blob(), m.size());
            }
            if (verdict != null) {
                problem(what + ": " + verdict + "; the message cannot be read (restore the file from a backup)");
            }
        }
        return rows.size();
    }

    /** Null when the file is there with this size and content; else what is wrong with it. */
    private String verify(String sha256, long size) throws IOException {
        Path p;
        try {
            p = blobs.path(sha256);
        } catch (IllegalArgumentException e) {
            return "the recorded file name '" + sha256 + "' is not a SHA-256";
        }
        MessageDigest md = BlobStore.sha256();
        long n = 0;
        try (InputStream in = new DigestInputStream(Files.newInputStream(p), md)) {
            byte[] buf = new byte[64 * 1024];
            for (int r; (r = in.read(buf)) >= 0; ) {
                n += r;
            }
        } catch (NoSuchFileException e) {
            return "its file " + p + " is missing";
        }
        if (n != size) {
            return "its file " + p + " has " + n + " bytes, the store recorded " + size;
        }
        String actual = HexFormat.of().formatHex(md.digest());
        if (!actual.equals(sha256)) {
            return "its file " + p + " is damaged (its content hashes to " + actual + ")";
        }
        return null;
    }

    /** The blob files under blobs/ab/, by name, with their last-modified times. */
    private Map<String, Long> blobFiles() throws IOException {
        Map<String, Long> out = new HashMap<>();
        Path root = blobs.root();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> all = Files.walk(root, 2)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (root.relativize(p).getNameCount() == 2 && Files.isRegularFile(p)
                        && p.getFileName().toString().length() == 64) {
                    out.put(p.getFileName().toString(), Files.getLastModifiedTime(p).toMillis());
                }
            }
        }
        return out;
    }

    private void checkUnreferencedFiles(Map<String, Long> files) {
        Set<String> referenced = db.read(c -> {
            Set<String> out = new HashSet<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT blob FROM messages UNION SELECT blob FROM queue_messages "
                         + "UNION SELECT blob FROM blob_garbage")) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
        long settled = clock.millis() - SETTLE.toMillis();
        List<String> orphans = files.entrySet().stream()
                .filter(f -> f.getValue() < settled && !referenced.contains(f.getKey()))
                .map(Map.Entry::getKey).sorted().toList();
        if (orphans.isEmpty()) {
            return;
        }
        if (!repair) {
            orphans.forEach(f -> problem("file " + blobs.path(f) + " belongs to no message"));
            return;
        }
        long now = clock.millis();
        db.write(tx -> {
            for (String f : orphans) {
                Sql.update(tx.connection(), "INSERT OR IGNORE INTO blob_garbage (blob, since) VALUES (?,?)", f, now);
            }
            return null;
        });
        orphans.forEach(f -> repaired("file " + blobs.path(f) + " belongs to no message",
                "handed to the garbage collector, which deletes it after its grace period unless a message claims it"));
    }

    // ------------------------------------------------------------------ messages and mailboxes

    private void checkMessagesWithoutMailbox() {
        String sql = "SELECT m.id, m.account_id, (SELECT id FROM mailboxes WHERE account_id=m.account_id AND name='INBOX') "
                + "FROM messages m WHERE NOT EXISTS (SELECT 1 FROM mailbox_messages mm WHERE mm.message_id=m.id)";
        List<long[]> homeless = db.read(c -> {
            List<long[]> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    long inbox = rs.getLong(3);
                    out.add(new long[] {rs.getLong(1), rs.getLong(2), rs.wasNull() ? -1 : inbox});
                }
            }
            return out;
        });
        for (long[] h : homeless) {
            String what = "message " + h[0] + " of account " + h[1] + " is in no mailbox";
            if (!repair || h[2] < 0) {
                problem(what + (repair ? " and the account has no INBOX" : ""));
                continue;
            }
            // The same statements as a delivery: next UID, next MODSEQ, counters moved on.
            long uid = db.write(tx -> {
                Connection c = tx.connection();
                if (Sql.exists(c, "SELECT 1 FROM mailbox_messages WHERE message_id=?", h[0])) {
                    return -1L; // the server put it somewhere meanwhile
                }
                long next = Sql.queryLong(c, "SELECT uidnext FROM mailboxes WHERE id=?", 1, h[2]);
                long modSeq = Sql.queryLong(c, "SELECT highest_modseq FROM mailboxes WHERE id=?", 1, h[2]) + 1;
                Sql.update(c, "INSERT INTO mailbox_messages (mailbox_id, uid, message_id, flags, keywords, modseq, saved) "
                        + "VALUES (?,?,?,0,NULL,?,?)", h[2], next, h[0], modSeq, clock.millis());
                Sql.update(c, "UPDATE mailboxes SET uidnext=?, highest_modseq=? WHERE id=?", next + 1, modSeq, h[2]);
                return next;
            });
            repaired(what, uid < 0 ? "it is in a mailbox now (the server placed it)" : "put back into INBOX as UID " + uid);
        }
    }

    private void checkDanglingMemberships() {
        String sql = "SELECT mailbox_id, uid FROM mailbox_messages mm "
                + "WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.id=mm.message_id) ORDER BY 1, 2";
        List<long[]> dangling = db.read(c -> {
            List<long[]> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    out.add(new long[] {rs.getLong(1), rs.getLong(2)});
                }
            }
            return out;
        });
        for (long[] d : dangling) {
            String what = "mailbox " + d[0] + " UID " + d[1] + " refers to a message row that does not exist";
            if (!repair) {
                problem(what);
                continue;
            }
            db.write(tx -> {
                Connection c = tx.connection();
                long modSeq = Sql.queryLong(c, "SELECT highest_modseq FROM mailboxes WHERE id=?", 0, d[0]) + 1;
                Sql.update(c, "DELETE FROM mailbox_messages WHERE mailbox_id=? AND uid=?", d[0], d[1]);
                ExpungeHistory.record(c, d[0], new long[] {d[1]}, modSeq, clock.millis());
                Sql.update(c, "UPDATE mailboxes SET highest_modseq=? WHERE id=?", modSeq, d[0]);
                return null;
            });
            repaired(what, "recorded as expunged (clients drop it at their next sync)");
        }
    }

    private long checkCounters() {
        String sql = "SELECT b.id, b.name, b.uidnext, b.highest_modseq, "
                + "max(coalesce((SELECT max(uid) FROM mailbox_messages WHERE mailbox_id=b.id), 0), "
                + "    coalesce((SELECT max(uid) FROM expunged WHERE mailbox_id=b.id), 0)), "
                + "max(coalesce((SELECT max(modseq) FROM mailbox_messages WHERE mailbox_id=b.id), 0), "
                + "    coalesce((SELECT max(modseq) FROM expunged WHERE mailbox_id=b.id), 0), b.expunged_pruned), "
                + "(SELECT count(*) FROM mailbox_messages mm JOIN expunged e ON e.mailbox_id=mm.mailbox_id AND e.uid=mm.uid "
                + "    WHERE mm.mailbox_id=b.id) "
                + "FROM mailboxes b ORDER BY b.id";
        record Counters(long id, String name, long uidNext, long highestModSeq, long maxUid, long maxModSeq, long reused) {}
        List<Counters> all = db.read(c -> {
            List<Counters> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    out.add(new Counters(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                            rs.getLong(5), rs.getLong(6), rs.getLong(7)));
                }
            }
            return out;
        });
        for (Counters b : all) {
            String box = "mailbox " + b.id() + " (" + b.name() + ")";
            if (b.reused() > 0) {
                problem(box + ": " + b.reused() + " UID(s) both present and recorded as expunged: a UID was used twice");
            }
            if (b.uidNext() <= b.maxUid()) {
                String what = box + ": UIDNEXT " + b.uidNext() + " but UID " + b.maxUid() + " is taken";
                if (repair) {
                    db.write(tx -> Sql.update(tx.connection(), "UPDATE mailboxes SET uidnext=max(uidnext, ?) WHERE id=?",
                            b.maxUid() + 1, b.id()));
                    repaired(what, "UIDNEXT raised to " + (b.maxUid() + 1));
                } else {
                    problem(what);
                }
            }
            if (b.highestModSeq() < b.maxModSeq()) {
                String what = box + ": HIGHESTMODSEQ " + b.highestModSeq() + " but MODSEQ " + b.maxModSeq() + " is taken";
                if (repair) {
                    db.write(tx -> Sql.update(tx.connection(), "UPDATE mailboxes SET highest_modseq=max(highest_modseq, ?) WHERE id=?",
                            b.maxModSeq(), b.id()));
                    repaired(what, "HIGHESTMODSEQ raised to " + b.maxModSeq());
                } else {
                    problem(what);
                }
            }
        }
        return all.size();
    }

    private void checkGarbageList() {
        List<String> live = db.read(c -> {
            List<String> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT blob FROM blob_garbage g WHERE EXISTS (SELECT 1 FROM messages m WHERE m.blob=g.blob) ORDER BY 1")) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
        for (String blob : live) {
            String what = "file " + blob + " is listed as garbage but a message refers to it";
            if (repair) {
                db.write(tx -> Sql.update(tx.connection(), "DELETE FROM blob_garbage WHERE blob=?", blob));
                repaired(what, "taken off the garbage list");
            } else {
                problem(what);
            }
        }
    }

    /** A finding as the command prints it. */
    public static String describe(Finding f) {
        return f.repaired() ? "repaired: " + f.problem() + " -> " + f.repair() : "problem: " + f.problem();
    }
}
