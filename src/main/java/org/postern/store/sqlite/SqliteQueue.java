package org.postern.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.postern.store.BlobStore;
import org.postern.store.OutboundQueue;
import org.postern.store.StoreException;

/** The outbound queue in SQLite: tables {@code queue_messages} and {@code queue_recipients} (schema 003). */
public final class SqliteQueue implements OutboundQueue {
    private final Database db;
    private final BlobStore blobs;
    private final Clock clock;

    public SqliteQueue(Database db, BlobStore blobs, Clock clock) {
        this.db = db;
        this.blobs = blobs;
        this.clock = clock;
    }

    @Override
    public long enqueue(BlobStore.Blob blob, Envelope e, long nextAttempt) {
        return db.write(tx -> {
            Connection c = tx.connection();
            // The blob must be on disk before a row refers to it (it may have been collected in between).
            if (!blobs.exists(blob.sha256())) {
                throw StoreException.temporary("message file " + blob.sha256() + " vanished before commit", null);
            }
            Sql.update(c, "DELETE FROM blob_garbage WHERE blob=?", blob.sha256());
            long id = Sql.insert(c, "INSERT INTO queue_messages (blob, size, account_id, mail_from, body, smtputf8, created, next_attempt) "
                    + "VALUES (?,?,?,?,?,?,?,?)", blob.sha256(), blob.size(), e.accountId(), e.mailFrom(), word(e.body()),
                    e.smtputf8() ? 1 : 0, clock.millis(), nextAttempt);
            for (String r : e.recipients()) {
                Sql.update(c, "INSERT INTO queue_recipients (message_id, address, next_attempt) VALUES (?,?,?)", id, r, nextAttempt);
            }
            return id;
        });
    }

    @Override
    public List<Entry> entries() {
        return db.read(c -> {
            Map<Long, List<Recipient>> recipients = new LinkedHashMap<>();
            try (PreparedStatement ps = Sql.prepare(c, "SELECT message_id, address, state, attempts, next_attempt, last_reply "
                    + "FROM queue_recipients ORDER BY id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    recipients.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new Recipient(rs.getString(2),
                            State.valueOf(rs.getString(3).toUpperCase(Locale.ROOT)), rs.getInt(4), rs.getLong(5), rs.getString(6)));
                }
            }
            List<Entry> out = new ArrayList<>();
            try (PreparedStatement ps = Sql.prepare(c, "SELECT id, blob, size, mail_from, body, smtputf8, account_id, created, "
                    + "next_attempt FROM queue_messages ORDER BY id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    List<Recipient> rs2 = recipients.getOrDefault(id, List.of());
                    long account = rs.getLong(7);
                    Long accountId = rs.wasNull() ? null : account;
                    Envelope env = new Envelope(rs.getString(4), rs2.stream().map(Recipient::address).toList(),
                            body(rs.getString(5)), rs.getInt(6) != 0, accountId);
                    out.add(new Entry(id, new BlobStore.Blob(rs.getString(2), rs.getLong(3)), env, rs.getLong(8),
                            rs.getLong(9), List.copyOf(rs2)));
                }
            }
            return out;
        });
    }

    private static String word(Body b) {
        return switch (b) {
            case SEVEN_BIT -> "7BIT";
            case EIGHT_BIT_MIME -> "8BITMIME";
            case BINARY_MIME -> "BINARYMIME";
        };
    }

    private static Body body(String word) throws SQLException {
        return switch (word) {
            case "7BIT" -> Body.SEVEN_BIT;
            case "8BITMIME" -> Body.EIGHT_BIT_MIME;
            case "BINARYMIME" -> Body.BINARY_MIME;
            default -> throw new SQLException("unknown body type in queue: " + word);
        };
    }

    @Override
    public boolean retryNow(long id, long now) {
        return db.write(tx -> {
            Connection c = tx.connection();
            int n = Sql.update(c, "UPDATE queue_recipients SET next_attempt=? WHERE message_id=? AND state='pending'", now, id);
            if (n > 0) {
                Sql.update(c, "UPDATE queue_messages SET next_attempt=? WHERE id=?", now, id);
            }
            return n > 0;
        });
    }

    @Override
    public boolean delete(long id) {
        return db.write(tx -> {
            Connection c = tx.connection();
            String blob = null;
            try (java.sql.PreparedStatement ps = Sql.prepare(c, "SELECT blob FROM queue_messages WHERE id=?", id);
                 java.sql.ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    blob = rs.getString(1);
                }
            }
            if (blob == null) {
                return false;
            }
            Sql.update(c, "DELETE FROM queue_recipients WHERE message_id=?", id);
            Sql.update(c, "DELETE FROM queue_messages WHERE id=?", id);
            // The file goes with the last reference to it (after the usual grace period).
            if (!Sql.exists(c, "SELECT 1 FROM queue_messages WHERE blob=? LIMIT 1", blob)
                    && !Sql.exists(c, "SELECT 1 FROM messages WHERE blob=? LIMIT 1", blob)) {
                Sql.update(c, "INSERT OR IGNORE INTO blob_garbage (blob, since) VALUES (?,?)", blob, clock.millis());
            }
            return true;
        });
    }
}
