package org.postern.store.sqlite;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.postern.store.BlobStore;
import org.postern.store.ChangeBus;
import org.postern.store.Flags;
import org.postern.store.ImapOptions;
import org.postern.store.MailStore;
import org.postern.store.Mailbox;
import org.postern.store.MailboxChange;
import org.postern.store.MessageData;
import org.postern.store.OutboundQueue;
import org.postern.store.PopSettings;
import org.postern.store.SpecialUse;
import org.postern.store.StoreException;
import org.postern.store.StoredMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The embedded store: SQLite metadata (see schema/001-initial.sql) and content-addressed blobs. */
public final class SqliteMailStore implements MailStore {
    private static final Logger log = LoggerFactory.getLogger(SqliteMailStore.class);

    /** The mailboxes every new account gets, in the order clients will list them. */
    record DefaultMailbox(String name, SpecialUse specialUse) {}

    static final List<DefaultMailbox> DEFAULT_MAILBOXES = List.of(
            new DefaultMailbox(Mailbox.INBOX, null),
            new DefaultMailbox("Sent", SpecialUse.SENT),
            new DefaultMailbox("Drafts", SpecialUse.DRAFTS),
            new DefaultMailbox("Trash", SpecialUse.TRASH),
            new DefaultMailbox("Junk", SpecialUse.JUNK),
            new DefaultMailbox("Archive", SpecialUse.ARCHIVE));

    private static final String MESSAGE_COLUMNS =
            "mm.uid, mm.message_id, mm.flags, mm.keywords, mm.modseq, mm.saved, m.blob, m.size, m.received";

    private final Database db;
    private final BlobStore blobs;
    private final ChangeBus changes = new ChangeBus();
    private final Clock clock;

    public SqliteMailStore(Database db, BlobStore blobs, Clock clock) {
        this.db = db;
        this.blobs = blobs;
        this.clock = clock;
    }

    public Database database() {
        return db;
    }

    @Override
    public ChangeBus changes() {
        return changes;
    }

    @Override
    public BlobStore blobs() {
        return blobs;
    }

    // ------------------------------------------------------------------ mailboxes

    @Override
    public List<Mailbox> mailboxes(long accountId) {
        return db.read(c -> {
            try (PreparedStatement ps = Sql.prepare(c, "SELECT * FROM mailboxes WHERE account_id=? ORDER BY name", accountId);
                 ResultSet rs = ps.executeQuery()) {
                List<Mailbox> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mailbox(rs));
                }
                return out;
            }
        });
    }

    @Override
    public Optional<Mailbox> mailbox(long accountId, String name) {
        return db.read(c -> findMailbox(c, accountId, Mailbox.normalize(name)));
    }

    @Override
    public Mailbox mailbox(long mailboxId) {
        return db.read(c -> mailboxById(c, mailboxId));
    }

    @Override
    public Mailbox createMailbox(long accountId, String name, SpecialUse specialUse) {
        String n = Mailbox.normalize(name);
        return db.write(tx -> {
            Connection c = tx.connection();
            if (findMailbox(c, accountId, n).isPresent()) {
                throw new StoreException(StoreException.Kind.EXISTS, "mailbox already exists: " + n);
            }
            return insertMailbox(c, accountId, n, specialUse);
        });
    }

    /**
     * Creates the default mailboxes of a new account inside the caller's transaction, subscribed:
     * clients that show only subscribed mailboxes show these from the start. (A mailbox a client
     * creates is not subscribed; the client subscribes it itself.)
     */
    void createDefaultMailboxes(Connection c, long accountId) throws SQLException {
        for (DefaultMailbox d : DEFAULT_MAILBOXES) {
            insertMailbox(c, accountId, d.name(), d.specialUse());
            Sql.update(c, "INSERT OR IGNORE INTO subscriptions (account_id, name) VALUES (?,?)", accountId, d.name());
        }
    }

    Mailbox insertMailbox(Connection c, long accountId, String name, SpecialUse use) throws SQLException {
        long uidValidity = nextUidValidity(c);
        long id = Sql.insert(c, "INSERT INTO mailboxes (account_id, name, special_use, uidvalidity, created) VALUES (?,?,?,?,?)",
                accountId, name, use == null ? null : use.attribute(), uidValidity, clock.millis());
        return mailboxById(c, id);
    }

    /**
     * A UIDVALIDITY never handed out before in this database: the time in seconds, or one more
     * than the last when that is not larger (RFC 9051 §2.3.1.1: a recreated mailbox must differ).
     */
    private long nextUidValidity(Connection c) throws SQLException {
        long last = Sql.queryLong(c, "SELECT value FROM meta WHERE key='uidvalidity'", 0);
        long next = Math.max(last + 1, clock.millis() / 1000);
        Sql.update(c, "INSERT INTO meta (key, value) VALUES ('uidvalidity', ?) "
                + "ON CONFLICT(key) DO UPDATE SET value=excluded.value", next);
        return next;
    }

    @Override
    public void deleteMailbox(long accountId, String name) {
        String n = Mailbox.normalize(name);
        if (n.equals(Mailbox.INBOX)) {
            throw new StoreException(StoreException.Kind.NOT_ALLOWED, "INBOX cannot be deleted");
        }
        db.write(tx -> {
            Connection c = tx.connection();
            Mailbox m = findMailbox(c, accountId, n).orElseThrow(() -> StoreException.notFound("no such mailbox: " + n));
            List<Long> messageIds = new ArrayList<>();
            try (PreparedStatement ps = Sql.prepare(c, "SELECT message_id FROM mailbox_messages WHERE mailbox_id=?", m.id());
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    messageIds.add(rs.getLong(1));
                }
            }
            Sql.update(c, "DELETE FROM mailboxes WHERE id=?", m.id());
            dropUnreferencedMessages(c, messageIds);
            tx.afterCommit(() -> changes.publish(new MailboxChange.Gone(m.id(), m.highestModSeq() + 1)));
            return null;
        });
    }

    @Override
    public void renameMailbox(long accountId, String from, String to) {
        String f = Mailbox.normalize(from);
        String t = Mailbox.normalize(to);
        db.write(tx -> {
            Connection c = tx.connection();
            Mailbox source = findMailbox(c, accountId, f).orElseThrow(() -> StoreException.notFound("no such mailbox: " + f));
            if (findMailbox(c, accountId, t).isPresent()) {
                throw new StoreException(StoreException.Kind.EXISTS, "mailbox already exists: " + t);
            }
            if (t.startsWith(f + Mailbox.SEPARATOR)) {
                throw new StoreException(StoreException.Kind.NOT_ALLOWED, "cannot move a mailbox into itself");
            }
            if (source.isInbox()) {
                renameInbox(tx, source, t);
                return null;
            }
            List<Mailbox> moved = new ArrayList<>();
            moved.add(source);
            try (PreparedStatement ps = Sql.prepare(c, "SELECT * FROM mailboxes WHERE account_id=? AND substr(name,1,?)=?",
                    accountId, f.length() + 1, f + Mailbox.SEPARATOR); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    moved.add(mailbox(rs));
                }
            }
            for (Mailbox m : moved) {
                String newName = t + m.name().substring(f.length());
                if (m.id() != source.id() && findMailbox(c, accountId, newName).isPresent()) {
                    throw new StoreException(StoreException.Kind.EXISTS, "mailbox already exists: " + newName);
                }
                Sql.update(c, "UPDATE mailboxes SET name=? WHERE id=?", newName, m.id());
            }
            renameSubscriptions(c, accountId, f, t);
            return null;
        });
    }

    /**
     * The subscriptions of a renamed name and of the names below it follow the rename, those of
     * names without a mailbox too: the client's list keeps pointing at the same folders. A name
     * already subscribed under the new name stays once.
     */
    private static void renameSubscriptions(Connection c, long accountId, String from, String to) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = Sql.prepare(c, "SELECT name FROM subscriptions WHERE account_id=? AND (name=? OR substr(name,1,?)=?)",
                accountId, from, from.length() + 1, from + Mailbox.SEPARATOR); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        for (String n : names) {
            Sql.update(c, "DELETE FROM subscriptions WHERE account_id=? AND name=?", accountId, n);
        }
        for (String n : names) {
            Sql.update(c, "INSERT OR IGNORE INTO subscriptions (account_id, name) VALUES (?,?)",
                    accountId, to + n.substring(from.length()));
        }
    }

    /** RFC 9051 §6.3.6: renaming INBOX moves its messages to a new mailbox; INBOX stays, empty. */
    private void renameInbox(Database.Tx tx, Mailbox inbox, String to) throws SQLException {
        Connection c = tx.connection();
        Mailbox target = insertMailbox(c, inbox.accountId(), to, null);
        long[] uids = uids(c, inbox.id());
        long modSeq = inbox.highestModSeq() + 1;
        Sql.update(c, "UPDATE mailbox_messages SET mailbox_id=?, modseq=? WHERE mailbox_id=?", target.id(), 1, inbox.id());
        // The messages keep their UIDs, and with them whether a session has seen them as \Recent.
        Sql.update(c, "UPDATE mailboxes SET uidnext=?, highest_modseq=?, unclaimed_uid=? WHERE id=?",
                inbox.uidNext(), 1, Sql.queryLong(c, "SELECT unclaimed_uid FROM mailboxes WHERE id=?", 1, inbox.id()), target.id());
        ExpungeHistory.record(c, inbox.id(), uids, modSeq, clock.millis());
        Sql.update(c, "UPDATE mailboxes SET highest_modseq=? WHERE id=?", modSeq, inbox.id());
        tx.afterCommit(() -> changes.publish(new MailboxChange.Expunged(inbox.id(), uids, modSeq)));
    }

    @Override
    public void setSubscribed(long accountId, String name, boolean subscribed) {
        String n = Mailbox.normalize(name);
        db.write(tx -> {
            if (subscribed) {
                Sql.update(tx.connection(), "INSERT OR IGNORE INTO subscriptions (account_id, name) VALUES (?,?)", accountId, n);
            } else {
                Sql.update(tx.connection(), "DELETE FROM subscriptions WHERE account_id=? AND name=?", accountId, n);
            }
            return null;
        });
    }

    @Override
    public SortedSet<String> subscriptions(long accountId) {
        return db.read(c -> {
            try (PreparedStatement ps = Sql.prepare(c, "SELECT name FROM subscriptions WHERE account_id=?", accountId);
                 ResultSet rs = ps.executeQuery()) {
                SortedSet<String> out = new TreeSet<>();
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
                return Collections.unmodifiableSortedSet(out);
            }
        });
    }

    static Optional<Mailbox> findMailbox(Connection c, long accountId, String name) throws SQLException {
        try (PreparedStatement ps = Sql.prepare(c, "SELECT * FROM mailboxes WHERE account_id=? AND name=?", accountId, name);
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(mailbox(rs)) : Optional.empty();
        }
    }

    static Mailbox mailboxById(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = Sql.prepare(c, "SELECT * FROM mailboxes WHERE id=?", id);
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw StoreException.notFound("no such mailbox (id " + id + ")");
            }
            return mailbox(rs);
        }
    }

    static Mailbox mailbox(ResultSet rs) throws SQLException {
        String use = rs.getString("special_use");
        return new Mailbox(rs.getLong("id"), rs.getLong("account_id"), rs.getString("name"),
                use == null ? null : SpecialUse.fromAttribute(use).orElse(null),
                rs.getLong("uidvalidity"), rs.getLong("uidnext"), rs.getLong("highest_modseq"));
    }

    // ------------------------------------------------------------------ adding messages

    @Override
    public Added append(long mailboxId, MessageData data, int flags, Set<String> keywords) {
        return db.write(tx -> {
            Connection c = tx.connection();
            Mailbox m = mailboxById(c, mailboxId);
            checkBlob(data);
            long messageId = insertMessage(c, m.accountId(), data);
            return addRow(tx, m, messageId, flags, keywords);
        });
    }

    @Override
    public List<Added> deliver(MessageData data, List<Long> mailboxIds) {
        return deliver(data, mailboxIds.stream().map(id -> new Copy(id, 0)).toList(), List.of());
    }

    @Override
    public List<Added> deliver(MessageData data, List<Copy> copies, List<OutboundQueue.Envelope> outbound) {
        return db.write(tx -> {
            Connection c = tx.connection();
            checkBlob(data);
            Map<Long, Long> messageOfAccount = new LinkedHashMap<>();
            List<Added> out = new ArrayList<>(copies.size());
            for (Copy copy : copies) {
                Mailbox m = mailboxById(c, copy.mailboxId());
                Long messageId = messageOfAccount.get(m.accountId());
                if (messageId == null) {
                    messageId = insertMessage(c, m.accountId(), data);
                    messageOfAccount.put(m.accountId(), messageId);
                }
                out.add(addRow(tx, m, messageId, copy.flags(), Set.of()));
            }
            long now = clock.millis();
            for (OutboundQueue.Envelope e : outbound) {
                SqliteQueue.insert(c, blobs, now, new BlobStore.Blob(data.blob(), data.size()), e, now);
            }
            return out;
        });
    }

    /**
     * The blob must be on disk before a row may refer to it; it may have been collected as
     * garbage between its write and this transaction, which then fails (temporarily).
     */
    private void checkBlob(MessageData data) throws SQLException {
        if (!blobs.exists(data.blob())) {
            throw StoreException.temporary("message file " + data.blob() + " vanished before commit", null);
        }
    }

    private long insertMessage(Connection c, long accountId, MessageData d) throws SQLException {
        Sql.update(c, "DELETE FROM blob_garbage WHERE blob=?", d.blob());
        return Sql.insert(c, "INSERT INTO messages (account_id, blob, size, received, sent, subject, from_addr, message_id, structure) "
                        + "VALUES (?,?,?,?,?,?,?,?,?)",
                accountId, d.blob(), d.size(), d.received(), d.sent(), d.subject(), d.from(), d.messageId(), d.structure());
    }

    /** Adds a membership row with the mailbox's next UID and MODSEQ; publishes after commit. */
    private Added addRow(Database.Tx tx, Mailbox m, long messageId, int flags, Set<String> keywords) throws SQLException {
        Connection c = tx.connection();
        // Read the counters inside the transaction: earlier works of this batch may have moved them.
        long[] counters = counters(c, m.id());
        long uid = counters[0];
        long modSeq = counters[1] + 1;
        TreeSet<String> kw = Sql.keywords(Sql.keywords(keywords));
        Sql.update(c, "INSERT INTO mailbox_messages (mailbox_id, uid, message_id, flags, keywords, modseq, saved) VALUES (?,?,?,?,?,?,?)",
                m.id(), uid, messageId, flags, Sql.keywords(kw), modSeq, clock.millis());
        Sql.update(c, "UPDATE mailboxes SET uidnext=?, highest_modseq=? WHERE id=?", uid + 1, modSeq, m.id());
        Set<String> published = Collections.unmodifiableSet(kw);
        tx.afterCommit(() -> changes.publish(new MailboxChange.Appended(m.id(), uid, modSeq, messageId, flags, published)));
        return new Added(m.id(), m.uidValidity(), uid, modSeq, messageId);
    }

    /** {uidnext, highest_modseq} of a mailbox as this transaction sees them. */
    private static long[] counters(Connection c, long mailboxId) throws SQLException {
        try (PreparedStatement ps = Sql.prepare(c, "SELECT uidnext, highest_modseq FROM mailboxes WHERE id=?", mailboxId);
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw StoreException.notFound("no such mailbox (id " + mailboxId + ")");
            }
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    // ------------------------------------------------------------------ reading messages

    @Override
    public List<StoredMessage> messages(long mailboxId) {
        return db.read(c -> {
            try (PreparedStatement ps = Sql.prepare(c, "SELECT " + MESSAGE_COLUMNS
                    + " FROM mailbox_messages mm JOIN messages m ON m.id=mm.message_id WHERE mm.mailbox_id=? ORDER BY mm.uid", mailboxId)) {
                return storedMessages(ps);
            }
        });
    }

    @Override
    public Snapshot snapshot(long mailboxId) {
        return db.read(c -> {
            try (java.sql.Statement s = c.createStatement()) {
                s.execute("BEGIN"); // one read transaction: the row and the messages agree
                try {
                    Mailbox m = mailboxById(c, mailboxId);
                    try (PreparedStatement ps = Sql.prepare(c, "SELECT " + MESSAGE_COLUMNS
                            + " FROM mailbox_messages mm JOIN messages m ON m.id=mm.message_id WHERE mm.mailbox_id=? ORDER BY mm.uid",
                            mailboxId)) {
                        return new Snapshot(m, storedMessages(ps));
                    }
                } finally {
                    s.execute("COMMIT");
                }
            }
        });
    }

    @Override
    public List<StoredMessage> messages(long mailboxId, long[] uids) {
        return db.read(c -> {
            try (PreparedStatement ps = Sql.prepare(c, "SELECT " + MESSAGE_COLUMNS
                    + " FROM mailbox_messages mm JOIN messages m ON m.id=mm.message_id"
                    + " WHERE mm.mailbox_id=? AND mm.uid IN (SELECT value FROM json_each(?)) ORDER BY mm.uid",
                    mailboxId, Sql.jsonIds(uids))) {
                return storedMessages(ps);
            }
        });
    }

    private static List<StoredMessage> storedMessages(PreparedStatement ps) throws SQLException {
        List<StoredMessage> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new StoredMessage(rs.getLong(1), rs.getLong(2), rs.getInt(3),
                        Sql.keywordSet(rs.getString(4)),
                        rs.getLong(5), rs.getLong(6), rs.getString(7), rs.getLong(8), rs.getLong(9)));
            }
        }
        return out;
    }

    @Override
    public byte[] structure(long messageId) {
        return db.read(c -> {
            try (PreparedStatement ps = Sql.prepare(c, "SELECT structure FROM messages WHERE id=?", messageId);
                 ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw StoreException.notFound("no such message (id " + messageId + ")");
                }
                return rs.getBytes(1);
            }
        });
    }

    @Override
    public Counts counts(long mailboxId) {
        return db.read(c -> {
            try (PreparedStatement ps = Sql.prepare(c, "SELECT COUNT(*), TOTAL((mm.flags & 1) = 0), TOTAL((mm.flags & 8) != 0), "
                    + "TOTAL(m.size) FROM mailbox_messages mm JOIN messages m ON m.id=mm.message_id WHERE mm.mailbox_id=?", mailboxId);
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Counts(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
            }
        });
    }

    @Override
    public long reclaimableBytes(long mailboxId) {
        return db.read(c -> Sql.queryLong(c, "SELECT TOTAL(m.size) FROM messages m WHERE m.id IN "
                + "(SELECT message_id FROM mailbox_messages WHERE mailbox_id=? AND (flags & 8) != 0) AND NOT EXISTS "
                + "(SELECT 1 FROM mailbox_messages o WHERE o.message_id=m.id AND (o.mailbox_id != ? OR (o.flags & 8) = 0))",
                0, mailboxId, mailboxId));
    }

    @Override
    public long usedBytes(long accountId) {
        return db.read(c -> Sql.queryLong(c, "SELECT SUM(size) FROM messages WHERE account_id=?", 0, accountId));
    }

    // ------------------------------------------------------------------ flags

    @Override
    public FlagResult setFlags(long mailboxId, long[] uids, FlagOp op, int flags, Set<String> keywords, long unchangedSince) {
        return db.write(tx -> setFlagsIn(tx, mailboxId, uids, op, flags, keywords, unchangedSince));
    }

    /** {@link #setFlags} inside the caller's transaction. */
    FlagResult setFlagsIn(Database.Tx tx, long mailboxId, long[] uids, FlagOp op, int flags, Set<String> keywords,
                          long unchangedSince) throws SQLException {
        Connection c = tx.connection();
        long modSeq = counters(c, mailboxId)[1] + 1;
        List<MailboxChange.FlagsChanged> changed = new ArrayList<>();
        List<Long> modified = new ArrayList<>();
        try (PreparedStatement ps = Sql.prepare(c, "SELECT uid, flags, keywords, modseq FROM mailbox_messages "
                + "WHERE mailbox_id=? AND uid IN (SELECT value FROM json_each(?)) ORDER BY uid", mailboxId, Sql.jsonIds(uids));
             ResultSet rs = ps.executeQuery();
             PreparedStatement upd = c.prepareStatement(
                     "UPDATE mailbox_messages SET flags=?, keywords=?, modseq=? WHERE mailbox_id=? AND uid=?")) {
            while (rs.next()) {
                long uid = rs.getLong(1);
                int oldFlags = rs.getInt(2);
                TreeSet<String> kw = Sql.keywords(rs.getString(3));
                if (unchangedSince >= 0 && rs.getLong(4) > unchangedSince) {
                    modified.add(uid); // RFC 7162 §3.1.3: left alone, reported as MODIFIED
                    continue;
                }
                String oldKw = Sql.keywords(kw);
                int newFlags = switch (op) {
                    case SET -> flags;
                    case ADD -> oldFlags | flags;
                    case REMOVE -> oldFlags & ~flags;
                };
                switch (op) {
                    case SET -> {
                        kw.clear();
                        kw.addAll(keywords);
                    }
                    case ADD -> kw.addAll(keywords);
                    case REMOVE -> kw.removeAll(keywords);
                }
                String newKw = Sql.keywords(kw);
                if (newFlags == oldFlags && java.util.Objects.equals(oldKw, newKw)) {
                    continue; // no change, no new MODSEQ
                }
                upd.setInt(1, newFlags);
                upd.setString(2, newKw);
                upd.setLong(3, modSeq);
                upd.setLong(4, mailboxId);
                upd.setLong(5, uid);
                upd.addBatch();
                changed.add(new MailboxChange.FlagsChanged(mailboxId, uid, modSeq, newFlags, Collections.unmodifiableSet(kw)));
            }
            if (!changed.isEmpty()) {
                upd.executeBatch();
            }
        }
        if (!changed.isEmpty()) {
            Sql.update(c, "UPDATE mailboxes SET highest_modseq=? WHERE id=?", modSeq, mailboxId);
            tx.afterCommit(() -> changed.forEach(changes::publish));
        }
        return new FlagResult(List.copyOf(changed), modified.stream().mapToLong(Long::longValue).toArray());
    }

    // ------------------------------------------------------------------ expunge, copy, move

    @Override
    public long[] expunge(long mailboxId, long[] uids) {
        return db.write(tx -> expungeIn(tx, mailboxId, uids));
    }

    @Override
    public long[] expunge(long mailboxId, long[] uids, ImapOptions.ExpungeAction action) {
        if (action == ImapOptions.ExpungeAction.DELETE) {
            return expunge(mailboxId, uids);
        }
        return db.write(tx -> {
            Connection c = tx.connection();
            Mailbox from = mailboxById(c, mailboxId);
            Mailbox to = action == ImapOptions.ExpungeAction.ARCHIVE
                    ? new PopUpdates(this, clock).target(c, from.accountId(), SpecialUse.ARCHIVE, "Archive")
                    : new PopUpdates(this, clock).target(c, from.accountId(), SpecialUse.TRASH, "Trash");
            if (to.id() != mailboxId) {
                // The rows whose message no other mailbox holds: their last visible folder.
                long[] last = Sql.queryLongs(c, "SELECT mm.uid FROM mailbox_messages mm WHERE mm.mailbox_id=? "
                        + "AND mm.uid IN (SELECT value FROM json_each(?)) AND NOT EXISTS (SELECT 1 FROM mailbox_messages o "
                        + "WHERE o.message_id=mm.message_id AND o.mailbox_id<>mm.mailbox_id) ORDER BY mm.uid",
                        mailboxId, Sql.jsonIds(uids));
                if (last.length > 0) {
                    CopyResult kept = copyIn(tx, mailboxId, last, to.id());
                    setFlagsIn(tx, to.id(), kept.targetUids(), FlagOp.REMOVE, Flags.DELETED, Set.of(), -1);
                }
            }
            return expungeIn(tx, mailboxId, uids);
        });
    }

    private long[] expungeIn(Database.Tx tx, long mailboxId, long[] uids) throws SQLException {
        Connection c = tx.connection();
        List<Long> found = new ArrayList<>();
        List<Long> messageIds = new ArrayList<>();
        try (PreparedStatement ps = Sql.prepare(c, "SELECT uid, message_id FROM mailbox_messages "
                + "WHERE mailbox_id=? AND uid IN (SELECT value FROM json_each(?)) ORDER BY uid", mailboxId, Sql.jsonIds(uids));
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                found.add(rs.getLong(1));
                messageIds.add(rs.getLong(2));
            }
        }
        long[] removed = found.stream().mapToLong(Long::longValue).toArray();
        if (removed.length == 0) {
            return removed;
        }
        long modSeq = counters(c, mailboxId)[1] + 1;
        Sql.update(c, "DELETE FROM mailbox_messages WHERE mailbox_id=? AND uid IN (SELECT value FROM json_each(?))",
                mailboxId, Sql.jsonIds(removed));
        ExpungeHistory.record(c, mailboxId, removed, modSeq, clock.millis());
        Sql.update(c, "UPDATE mailboxes SET highest_modseq=? WHERE id=?", modSeq, mailboxId);
        dropUnreferencedMessages(c, messageIds);
        tx.afterCommit(() -> changes.publish(new MailboxChange.Expunged(mailboxId, removed, modSeq)));
        return removed;
    }

    /**
     * Deletes the message rows no mailbox holds any more, and marks their blobs as garbage
     * when no message of any account refers to them.
     */
    private void dropUnreferencedMessages(Connection c, List<Long> messageIds) throws SQLException {
        if (messageIds.isEmpty()) {
            return;
        }
        String ids = Sql.jsonIds(messageIds.stream().mapToLong(Long::longValue).distinct().toArray());
        List<String> blobsOfDropped = new ArrayList<>();
        try (PreparedStatement ps = Sql.prepare(c, "SELECT DISTINCT blob FROM messages WHERE id IN (SELECT value FROM json_each(?)) "
                + "AND NOT EXISTS (SELECT 1 FROM mailbox_messages mm WHERE mm.message_id=messages.id)", ids);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                blobsOfDropped.add(rs.getString(1));
            }
        }
        Sql.update(c, "DELETE FROM messages WHERE id IN (SELECT value FROM json_each(?)) "
                + "AND NOT EXISTS (SELECT 1 FROM mailbox_messages mm WHERE mm.message_id=messages.id)", ids);
        long now = clock.millis();
        for (String blob : blobsOfDropped) {
            if (!Sql.exists(c, "SELECT 1 FROM messages WHERE blob=? LIMIT 1", blob)) {
                Sql.update(c, "INSERT OR IGNORE INTO blob_garbage (blob, since) VALUES (?,?)", blob, now);
            }
        }
    }

    @Override
    public CopyResult copy(long fromMailboxId, long[] uids, long toMailboxId) {
        return db.write(tx -> copyIn(tx, fromMailboxId, uids, toMailboxId));
    }

    @Override
    public CopyResult move(long fromMailboxId, long[] uids, long toMailboxId) {
        return db.write(tx -> moveIn(tx, fromMailboxId, uids, toMailboxId));
    }

    /** {@link #move} inside the caller's transaction. */
    CopyResult moveIn(Database.Tx tx, long fromMailboxId, long[] uids, long toMailboxId) throws SQLException {
        CopyResult r = copyIn(tx, fromMailboxId, uids, toMailboxId);
        if (r.sourceUids().length > 0) {
            expungeIn(tx, fromMailboxId, r.sourceUids());
        }
        return r;
    }

    private CopyResult copyIn(Database.Tx tx, long fromMailboxId, long[] uids, long toMailboxId) throws SQLException {
        Connection c = tx.connection();
        Mailbox from = mailboxById(c, fromMailboxId);
        Mailbox to = mailboxById(c, toMailboxId);
        if (from.accountId() != to.accountId()) {
            throw new StoreException(StoreException.Kind.NOT_ALLOWED, "messages can only be copied within one account");
        }
        record Row(long uid, long messageId, int flags, String keywords) {}
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = Sql.prepare(c, "SELECT uid, message_id, flags, keywords FROM mailbox_messages "
                + "WHERE mailbox_id=? AND uid IN (SELECT value FROM json_each(?)) ORDER BY uid", fromMailboxId, Sql.jsonIds(uids));
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new Row(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getString(4)));
            }
        }
        long[] source = new long[rows.size()];
        long[] target = new long[rows.size()];
        if (rows.isEmpty()) {
            return new CopyResult(to.uidValidity(), source, target);
        }
        long[] counters = counters(c, toMailboxId);
        long uid = counters[0];
        long modSeq = counters[1] + 1;
        long now = clock.millis();
        List<MailboxChange> published = new ArrayList<>(rows.size());
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO mailbox_messages "
                + "(mailbox_id, uid, message_id, flags, keywords, modseq, saved) VALUES (?,?,?,?,?,?,?)")) {
            for (int i = 0; i < rows.size(); i++) {
                Row r = rows.get(i);
                source[i] = r.uid();
                target[i] = uid;
                ins.setLong(1, toMailboxId);
                ins.setLong(2, uid);
                ins.setLong(3, r.messageId());
                ins.setInt(4, r.flags());
                ins.setString(5, r.keywords());
                ins.setLong(6, modSeq);
                ins.setLong(7, now);
                ins.addBatch();
                published.add(new MailboxChange.Appended(toMailboxId, uid, modSeq, r.messageId(), r.flags(),
                        Sql.keywordSet(r.keywords())));
                uid++;
            }
            ins.executeBatch();
        }
        Sql.update(c, "UPDATE mailboxes SET uidnext=?, highest_modseq=? WHERE id=?", uid, modSeq, toMailboxId);
        tx.afterCommit(() -> published.forEach(changes::publish));
        return new CopyResult(to.uidValidity(), source, target);
    }

    @Override
    public long claimRecent(long mailboxId, long belowUid) {
        // Most calls find nothing left to claim (another session was told first, or nothing
        // arrived): a read answers them without taking the write lock.
        long unclaimed = unclaimedUid(mailboxId);
        if (unclaimed >= belowUid) {
            return unclaimed;
        }
        return db.write(tx -> {
            Connection c = tx.connection();
            long first = Sql.queryLong(c, "SELECT unclaimed_uid FROM mailboxes WHERE id=?", -1, mailboxId);
            if (first < 0) {
                throw StoreException.notFound("no such mailbox (id " + mailboxId + ")");
            }
            if (first < belowUid) {
                Sql.update(c, "UPDATE mailboxes SET unclaimed_uid=? WHERE id=?", belowUid, mailboxId);
            }
            return first;
        });
    }

    private long unclaimedUid(long mailboxId) {
        long first = db.read(c -> Sql.queryLong(c, "SELECT unclaimed_uid FROM mailboxes WHERE id=?", -1, mailboxId));
        if (first < 0) {
            throw StoreException.notFound("no such mailbox (id " + mailboxId + ")");
        }
        return first;
    }

    @Override
    public Unclaimed unclaimedRecent(long mailboxId) {
        return db.read(c -> {
            long first = Sql.queryLong(c, "SELECT unclaimed_uid FROM mailboxes WHERE id=?", -1, mailboxId);
            if (first < 0) {
                throw StoreException.notFound("no such mailbox (id " + mailboxId + ")");
            }
            long count = Sql.queryLong(c, "SELECT COUNT(*) FROM mailbox_messages WHERE mailbox_id=? AND uid>=?", 0, mailboxId, first);
            return new Unclaimed(first, count);
        });
    }

    @Override
    public Optional<long[]> expungedSince(long mailboxId, long modSeq) {
        return db.read(c -> ExpungeHistory.since(c, mailboxId, modSeq));
    }

    /**
     * Forgets the expunge records {@code policy} no longer keeps, in short write transactions
     * (see {@link ExpungeHistory}); returns how many were forgotten.
     */
    public long pruneExpunged(ExpungeHistory.Policy policy) {
        return ExpungeHistory.prune(db, policy, clock.millis(), ExpungeHistory.BATCH);
    }

    private static long[] uids(Connection c, long mailboxId) throws SQLException {
        return Sql.queryLongs(c, "SELECT uid FROM mailbox_messages WHERE mailbox_id=? ORDER BY uid", mailboxId);
    }

    // ------------------------------------------------------------------ POP

    @Override
    public long[] popDownloaded(long mailboxId) {
        return db.read(c -> PopUpdates.downloaded(c, mailboxId));
    }

    @Override
    public long[] popUpdate(long mailboxId, long[] uids, PopSettings.AfterDownload after) {
        return db.write(tx -> new PopUpdates(this, clock).update(tx, mailboxId, uids, after));
    }

    // ------------------------------------------------------------------ blob garbage

    /**
     * Deletes the files of blobs that no message has referred to for longer than {@code grace}
     * and that no outbound queue entry refers to,
     * so that a session that opened one just before its last message was expunged can finish.
     * Returns how many were removed.
     */
    public int collectGarbage(Duration grace) {
        long before = clock.millis() - grace.toMillis();
        return db.write(tx -> {
            Connection c = tx.connection();
            List<String> doomed = new ArrayList<>();
            try (PreparedStatement ps = Sql.prepare(c, "SELECT blob FROM blob_garbage WHERE since<? "
                    + "AND NOT EXISTS (SELECT 1 FROM messages WHERE messages.blob=blob_garbage.blob) "
                    + "AND NOT EXISTS (SELECT 1 FROM queue_messages WHERE queue_messages.blob=blob_garbage.blob)", before);
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    doomed.add(rs.getString(1));
                }
            }
            for (String blob : doomed) {
                Sql.update(c, "DELETE FROM blob_garbage WHERE blob=?", blob);
                // Deleted inside the work, not after commit: a delivery later in this same batch
                // that found the file must see it gone (see checkBlob).
                try {
                    blobs.delete(blob);
                } catch (IOException e) {
                    log.warn("cannot delete unreferenced message file {}: {}", blob, e.getMessage());
                }
            }
            return doomed.size();
        });
    }

    @Override
    public void close() {
        db.close();
    }
}
