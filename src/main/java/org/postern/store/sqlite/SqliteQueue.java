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
import java.util.Optional;
import org.postern.store.BlobStore;
import org.postern.store.OutboundQueue;
import org.postern.store.StoreException;

/**
 * The outbound queue in SQLite: tables {@code queue_messages} and {@code queue_recipients}
 * (schemas 003, 005 and 008). A message whose recipients are all delivered or failed is deleted and
 * its blob handed to blob garbage collection.
 */
public final class SqliteQueue implements OutboundQueue {
    private static final String MESSAGE_COLUMNS = "id, blob, size, mail_from, body, smtputf8, account_id, created, "
            + "next_attempt, delay_notified, dsn_ret, dsn_envid, require_tls";

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
        return db.write(tx -> insert(tx.connection(), blobs, clock.millis(), blob, e, nextAttempt));
    }

    /**
     * Queues a message within the caller's transaction (local delivery queues a forward in the
     * transaction that stores the message).
     */
    static long insert(Connection c, BlobStore blobs, long now, BlobStore.Blob blob, Envelope e, long nextAttempt) throws SQLException {
        // The blob must be on disk before a row refers to it (it may have been collected in between).
        if (!blobs.exists(blob.sha256())) {
            throw StoreException.temporary("message file " + blob.sha256() + " vanished before commit", null);
        }
        Sql.update(c, "DELETE FROM blob_garbage WHERE blob=?", blob.sha256());
        Options o = e.options();
        long id = Sql.insert(c, "INSERT INTO queue_messages (blob, size, account_id, mail_from, body, smtputf8, created, next_attempt, "
                + "dsn_ret, dsn_envid, require_tls) VALUES (?,?,?,?,?,?,?,?,?,?,?)", blob.sha256(), blob.size(), e.accountId(),
                e.mailFrom(), word(e.body()), e.smtputf8() ? 1 : 0, now, nextAttempt,
                o.ret() == null ? null : o.ret().name(), o.envid(), o.requireTls() ? 1 : 0);
        for (String r : e.recipients()) {
            RecipientDsn d = e.dsn(r);
            Sql.update(c, "INSERT INTO queue_recipients (message_id, address, next_attempt, dsn_notify, dsn_orcpt) VALUES (?,?,?,?,?)",
                    id, r, nextAttempt, d.notifyWord(), d.orcpt());
        }
        return id;
    }

    @Override
    public List<Entry> entries() {
        return db.read(c -> load(c, "SELECT " + MESSAGE_COLUMNS + " FROM queue_messages ORDER BY id"));
    }

    @Override
    public Optional<Entry> entry(long id) {
        return db.read(c -> load(c, "SELECT " + MESSAGE_COLUMNS + " FROM queue_messages WHERE id=?", id)).stream().findFirst();
    }

    @Override
    public List<Entry> due(long now, int limit) {
        return db.read(c -> load(c, "SELECT " + MESSAGE_COLUMNS + " FROM queue_messages WHERE id IN "
                + "(SELECT message_id FROM queue_recipients WHERE state='pending' AND next_attempt<=?) "
                + "ORDER BY next_attempt, id LIMIT ?", now, limit));
    }

    private List<Entry> load(Connection c, String sql, Object... args) throws SQLException {
        List<Entry> out = new ArrayList<>();
        Map<Long, Object[]> rows = new LinkedHashMap<>();
        try (PreparedStatement ps = Sql.prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long account = rs.getLong(7);
                Long accountId = rs.wasNull() ? null : account;
                rows.put(rs.getLong(1), new Object[] {rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                        rs.getInt(6) != 0, accountId, rs.getLong(8), rs.getLong(9), rs.getInt(10) != 0,
                        new Options(rs.getString(11) == null ? null : Ret.valueOf(rs.getString(11)), rs.getString(12),
                                rs.getInt(13) != 0)});
            }
        }
        for (var row : rows.entrySet()) {
            long id = row.getKey();
            Object[] v = row.getValue();
            List<Recipient> recipients = new ArrayList<>();
            Map<String, RecipientDsn> dsn = new LinkedHashMap<>();
            try (PreparedStatement ps = Sql.prepare(c, "SELECT address, state, attempts, next_attempt, last_reply, dsn_notify, "
                    + "dsn_orcpt FROM queue_recipients WHERE message_id=? ORDER BY id", id);
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    recipients.add(new Recipient(rs.getString(1), State.valueOf(rs.getString(2).toUpperCase(Locale.ROOT)),
                            rs.getInt(3), rs.getLong(4), rs.getString(5)));
                    if (rs.getString(6) != null || rs.getString(7) != null) {
                        dsn.put(rs.getString(1), new RecipientDsn(RecipientDsn.parseNotify(rs.getString(6)), rs.getString(7)));
                    }
                }
            }
            if (recipients.isEmpty()) {
                continue; // cannot happen: rows go together; an envelope needs a recipient
            }
            Envelope env = new Envelope((String) v[2], recipients.stream().map(Recipient::address).toList(),
                    body((String) v[3]), (Boolean) v[4], (Long) v[5], (Options) v[9], dsn);
            out.add(new Entry(id, new BlobStore.Blob((String) v[0], (Long) v[1]), env, (Long) v[6], (Long) v[7],
                    List.copyOf(recipients), (Boolean) v[8]));
        }
        return out;
    }

    @Override
    public void record(long id, List<Update> updates, List<Notice> notices, boolean delayNotified, long now) {
        db.write(tx -> {
            Connection c = tx.connection();
            for (Notice n : notices) {
                insert(c, blobs, clock.millis(), n.blob(), n.envelope(), now);
            }
            for (Update u : updates) {
                Sql.update(c, "UPDATE queue_recipients SET state=?, attempts=?, next_attempt=?, last_attempt=?, last_reply=? "
                        + "WHERE message_id=? AND address=?", u.state().name().toLowerCase(Locale.ROOT), u.attempts(),
                        u.nextAttempt(), now, u.lastReply(), id, u.address());
            }
            if (delayNotified) {
                Sql.update(c, "UPDATE queue_messages SET delay_notified=1 WHERE id=?", id);
            }
            finishOrReschedule(c, id, now);
            return null;
        });
    }

    /** Removes a message with nothing pending; otherwise sets its next attempt to its earliest pending recipient's. */
    private static void finishOrReschedule(Connection c, long id, long now) throws SQLException {
        long next = Sql.queryLong(c, "SELECT MIN(next_attempt) FROM queue_recipients WHERE message_id=? AND state='pending'",
                Long.MIN_VALUE, id);
        boolean pending = Sql.exists(c, "SELECT 1 FROM queue_recipients WHERE message_id=? AND state='pending'", id);
        if (pending) {
            Sql.update(c, "UPDATE queue_messages SET next_attempt=? WHERE id=?", next, id);
        } else {
            remove(c, id, now);
        }
    }

    private static boolean remove(Connection c, long id, long now) throws SQLException {
        String blob = null;
        try (PreparedStatement ps = Sql.prepare(c, "SELECT blob FROM queue_messages WHERE id=?", id);
             ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                blob = rs.getString(1);
            }
        }
        if (blob == null) {
            return false;
        }
        Sql.update(c, "DELETE FROM queue_recipients WHERE message_id=?", id);
        Sql.update(c, "DELETE FROM queue_messages WHERE id=?", id);
        // The collector still checks that no message and no queue row refers to it.
        Sql.update(c, "INSERT OR IGNORE INTO blob_garbage (blob, since) VALUES (?,?)", blob, now);
        return true;
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
        return db.write(tx -> remove(tx.connection(), id, clock.millis()));
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
}
