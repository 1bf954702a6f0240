package org.postern.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postern.store.Addresses;
import org.postern.store.Forwarding;
import org.postern.store.ImapOptions;
import org.postern.store.PopSettings;
import org.postern.store.StoreException;

/**
 * The settings the web pages change (schema/005-web.sql): Gmail's IMAP options and forwarding.
 * {@link SqliteDirectory} delegates to it.
 */
final class WebSettings {
    private final Database db;
    private final Clock clock;

    WebSettings(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    ImapOptions imapOptions(long accountId) {
        return db.read(c -> {
            try (PreparedStatement ps = Sql.prepare(c, "SELECT imap_auto_expunge, imap_expunge, imap_folder_limit FROM accounts WHERE id=?",
                    accountId); ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw StoreException.notFound("no such account (id " + accountId + ")");
                }
                return new ImapOptions(rs.getInt(1) != 0, ImapOptions.ExpungeAction.fromWord(rs.getString(2))
                        .orElse(ImapOptions.ExpungeAction.DELETE), rs.getInt(3));
            }
        });
    }

    void setImapOptions(long accountId, ImapOptions o) {
        db.write(tx -> {
            if (Sql.update(tx.connection(), "UPDATE accounts SET imap_auto_expunge=?, imap_expunge=?, imap_folder_limit=? WHERE id=?",
                    o.autoExpunge() ? 1 : 0, o.onExpunge().word(), o.folderSizeLimit(), accountId) == 0) {
                throw StoreException.notFound("no such account (id " + accountId + ")");
            }
            return null;
        });
    }

    Forwarding forwarding(long accountId) {
        return db.read(c -> {
            String to;
            String keep;
            try (PreparedStatement ps = Sql.prepare(c, "SELECT forward_to, forward_keep FROM accounts WHERE id=?", accountId);
                 ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw StoreException.notFound("no such account (id " + accountId + ")");
                }
                to = rs.getString(1);
                keep = rs.getString(2);
            }
            List<Forwarding.Address> addresses = new ArrayList<>();
            try (PreparedStatement ps = Sql.prepare(c, "SELECT address, requested, confirmed FROM forwarding_addresses "
                    + "WHERE account_id=? ORDER BY address", accountId); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    addresses.add(new Forwarding.Address(rs.getString(1), rs.getLong(2), Sql.nullableLong(rs, "confirmed")));
                }
            }
            return new Forwarding(to, PopSettings.AfterDownload.fromWord(keep).orElse(PopSettings.AfterDownload.KEEP), addresses);
        });
    }

    void requestForwarding(long accountId, String address, String tokenHash) {
        String a = Addresses.parse(address).orElseThrow(() -> new StoreException(StoreException.Kind.NOT_ALLOWED,
                "not a valid mail address: " + address)).toString();
        db.write(tx -> {
            Connection c = tx.connection();
            if (Sql.exists(c, "SELECT 1 FROM accounts WHERE id=? AND email=?", accountId, a)) {
                throw new StoreException(StoreException.Kind.NOT_ALLOWED, "mail cannot be forwarded to the account's own address");
            }
            if (Sql.exists(c, "SELECT 1 FROM forwarding_addresses WHERE account_id=? AND address=? AND confirmed IS NOT NULL", accountId, a)) {
                throw new StoreException(StoreException.Kind.EXISTS, a + " is already a confirmed forwarding address");
            }
            Sql.update(c, "INSERT OR REPLACE INTO forwarding_addresses (account_id, address, token_hash, requested, confirmed) "
                    + "VALUES (?,?,?,?,NULL)", accountId, a, tokenHash, clock.millis());
            return null;
        });
    }

    Optional<Forwarding.Confirmed> confirmForwarding(String tokenHash, long maxAgeMillis) {
        return db.write(tx -> {
            Connection c = tx.connection();
            try (PreparedStatement ps = Sql.prepare(c, "SELECT account_id, address FROM forwarding_addresses "
                    + "WHERE token_hash=? AND confirmed IS NULL AND requested>=?", tokenHash, clock.millis() - maxAgeMillis);
                 ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Forwarding.Confirmed done = new Forwarding.Confirmed(rs.getLong(1), rs.getString(2));
                // The token is used up: a second visit of the same link confirms nothing more.
                Sql.update(c, "UPDATE forwarding_addresses SET confirmed=?, token_hash=? WHERE account_id=? AND address=?",
                        clock.millis(), "used:" + tokenHash, done.accountId(), done.address());
                return Optional.of(done);
            }
        });
    }

    void removeForwardingAddress(long accountId, String address) {
        db.write(tx -> {
            Connection c = tx.connection();
            if (Sql.update(c, "DELETE FROM forwarding_addresses WHERE account_id=? AND address=?", accountId, address.strip()) == 0) {
                throw StoreException.notFound("no such forwarding address: " + address);
            }
            Sql.update(c, "UPDATE accounts SET forward_to=NULL WHERE id=? AND forward_to=? COLLATE NOCASE", accountId, address.strip());
            return null;
        });
    }

    void setForwarding(long accountId, String to, PopSettings.AfterDownload keep) {
        db.write(tx -> {
            Connection c = tx.connection();
            String target = null;
            if (to != null) {
                try (PreparedStatement ps = Sql.prepare(c, "SELECT address FROM forwarding_addresses "
                        + "WHERE account_id=? AND address=? AND confirmed IS NOT NULL", accountId, to.strip());
                     ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new StoreException(StoreException.Kind.NOT_ALLOWED,
                                to + " is not a confirmed forwarding address of this account; add it and follow the link mailed to it first");
                    }
                    target = rs.getString(1);
                }
            }
            if (Sql.update(c, "UPDATE accounts SET forward_to=?, forward_keep=? WHERE id=?", target, keep.word(), accountId) == 0) {
                throw StoreException.notFound("no such account (id " + accountId + ")");
            }
            return null;
        });
    }

    static boolean admin(ResultSet rs) throws SQLException {
        return rs.getInt("admin") != 0;
    }
}
