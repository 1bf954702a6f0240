package org.postern.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import org.postern.store.Flags;
import org.postern.store.MailStore;
import org.postern.store.Mailbox;
import org.postern.store.PopSettings;
import org.postern.store.SpecialUse;

/**
 * The POP side of the store (schema/002-pop.sql): which messages POP has downloaded, and what a
 * POP session's QUIT does to them, inside one write transaction of {@link SqliteMailStore}.
 */
final class PopUpdates {
    private final SqliteMailStore store;
    private final Clock clock;

    PopUpdates(SqliteMailStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    static long[] downloaded(Connection c, long mailboxId) throws SQLException {
        try (PreparedStatement ps = Sql.prepare(c, "SELECT DISTINCT mm.message_id FROM mailbox_messages mm "
                + "JOIN pop_downloaded d ON d.message_id=mm.message_id WHERE mm.mailbox_id=? ORDER BY mm.message_id", mailboxId);
             ResultSet rs = ps.executeQuery()) {
            java.util.List<Long> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
            return out.stream().mapToLong(Long::longValue).toArray();
        }
    }

    long[] update(Database.Tx tx, long mailboxId, long[] uids, PopSettings.AfterDownload after) throws SQLException {
        Connection c = tx.connection();
        Mailbox from = SqliteMailStore.mailboxById(c, mailboxId);
        java.util.List<Long> present = new java.util.ArrayList<>();
        try (PreparedStatement ps = Sql.prepare(c, "SELECT uid, message_id FROM mailbox_messages "
                + "WHERE mailbox_id=? AND uid IN (SELECT value FROM json_each(?)) ORDER BY uid", mailboxId, Sql.jsonIds(uids));
             ResultSet rs = ps.executeQuery();
             PreparedStatement mark = c.prepareStatement("INSERT OR IGNORE INTO pop_downloaded (message_id, downloaded) VALUES (?,?)")) {
            long now = clock.millis();
            while (rs.next()) {
                present.add(rs.getLong(1));
                mark.setLong(1, rs.getLong(2));
                mark.setLong(2, now);
                mark.addBatch();
            }
            mark.executeBatch();
        }
        long[] handled = present.stream().mapToLong(Long::longValue).toArray();
        if (handled.length == 0) {
            return handled;
        }
        switch (after) {
            case KEEP -> { }
            case READ -> store.setFlagsIn(tx, mailboxId, handled, MailStore.FlagOp.ADD, Flags.SEEN, Set.of(), -1);
            case ARCHIVE -> moveTo(tx, from, handled, target(c, from.accountId(), SpecialUse.ARCHIVE, "Archive"));
            case TRASH -> moveTo(tx, from, handled, target(c, from.accountId(), SpecialUse.TRASH, "Trash"));
        }
        return handled;
    }

    private void moveTo(Database.Tx tx, Mailbox from, long[] uids, Mailbox to) throws SQLException {
        if (to.id() != from.id()) {
            store.moveIn(tx, from.id(), uids, to.id());
        }
    }

    /** The account's mailbox with this special use; else the one with the usual name; else a new one. */
    Mailbox target(Connection c, long accountId, SpecialUse use, String usualName) throws SQLException {
        try (PreparedStatement ps = Sql.prepare(c, "SELECT * FROM mailboxes WHERE account_id=? AND special_use=? ORDER BY id LIMIT 1",
                accountId, use.attribute());
             ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                return SqliteMailStore.mailbox(rs);
            }
        }
        Optional<Mailbox> named = SqliteMailStore.findMailbox(c, accountId, usualName);
        return named.isPresent() ? named.get() : store.insertMailbox(c, accountId, usualName, use);
    }
}
