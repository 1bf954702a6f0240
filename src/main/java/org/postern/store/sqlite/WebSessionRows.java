package org.postern.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import org.postern.store.Security;
import org.postern.store.Security.WebSessionRow;
import org.postern.store.StoreException;

/**
 * Web sessions in SQLite (schema/010-web-sessions.sql), for {@link SqliteSecurity}. Only a
 * SHA-256 of each cookie value is kept. Reads are one primary-key lookup on a reader; a request
 * writes only when its session was last written a minute or more ago.
 */
final class WebSessionRows {
    /** last_seen is written at most this often: the idle limit is hours, a minute more or less is nothing. */
    static final long TOUCH_EVERY_MS = 60_000;

    private final Database db;
    private final Clock clock;

    WebSessionRows(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    void add(String idHash, long accountId, boolean needsCode, String ip, String client, long idleMillis, long lifeMillis,
             int maxPerAccount) {
        if (idleMillis <= 0 || lifeMillis <= 0 || maxPerAccount <= 0) {
            throw new IllegalArgumentException("web session limits must be positive");
        }
        db.write(tx -> {
            Connection c = tx.connection();
            long now = clock.millis();
            if (!Sql.exists(c, "SELECT 1 FROM accounts WHERE id=?", accountId)) {
                throw StoreException.notFound("no such account (id " + accountId + ")");
            }
            Sql.update(c, "DELETE FROM web_sessions WHERE expires<=?", now);
            long ends = now + lifeMillis;
            Sql.update(c, "INSERT INTO web_sessions (id_hash, account_id, needs_code, created, last_seen, ends, idle_ms, expires, ip, client) "
                    + "VALUES (?,?,?,?,?,?,?,?,?,?)", idHash, accountId, needsCode ? 1 : 0, now, now, ends, idleMillis,
                    Math.min(ends, now + idleMillis), ip, client == null ? "" : client);
            // Bounded per account: the least recently used beyond the limit go.
            Sql.update(c, "DELETE FROM web_sessions WHERE account_id=? AND id_hash IN (SELECT id_hash FROM web_sessions "
                    + "WHERE account_id=? ORDER BY last_seen DESC, created DESC LIMIT -1 OFFSET ?)", accountId, accountId, maxPerAccount);
            return null;
        });
    }

    Optional<WebSessionRow> find(String idHash) {
        long now = clock.millis();
        return db.read(c -> {
            try (PreparedStatement ps = Sql.prepare(c, "SELECT w.*, a.email, a.admin FROM web_sessions w JOIN accounts a ON a.id=w.account_id "
                    + "WHERE w.id_hash=? AND w.expires>?", idHash, now); ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new WebSessionRow(rs.getString("id_hash"), rs.getLong("account_id"), rs.getString("email"),
                        rs.getInt("admin") != 0, rs.getInt("needs_code") != 0, rs.getLong("created"), rs.getLong("last_seen"),
                        rs.getLong("expires"), rs.getString("ip"), rs.getString("client"), rs.getInt("code_failures")));
            }
        });
    }

    void touch(String idHash) {
        long now = clock.millis();
        db.write(tx -> Sql.update(tx.connection(), "UPDATE web_sessions SET last_seen=?, expires=MIN(ends, ?+idle_ms) "
                + "WHERE id_hash=? AND expires>?", now, now, idHash, now));
    }

    int codeFailed(String idHash) {
        return db.write(tx -> {
            Connection c = tx.connection();
            if (Sql.update(c, "UPDATE web_sessions SET code_failures=code_failures+1 WHERE id_hash=?", idHash) == 0) {
                return 0;
            }
            return (int) Sql.queryLong(c, "SELECT code_failures FROM web_sessions WHERE id_hash=?", 0, idHash);
        });
    }

    void remove(String idHash) {
        db.write(tx -> Sql.update(tx.connection(), "DELETE FROM web_sessions WHERE id_hash=?", idHash));
    }

    int count() {
        long now = clock.millis();
        return (int) (long) db.read(c -> Sql.queryLong(c, "SELECT COUNT(*) FROM web_sessions WHERE expires>?", 0, now));
    }

    /**
     * Deletes the web sessions a revocation covers, inside the revocation's transaction: web
     * sessions sign in with the account password, from the client named in the device list.
     */
    static void revoked(Connection c, long accountId, String credential, String client) throws SQLException {
        if (credential != null && !credential.equals(Security.PASSWORD)) {
            return;
        }
        if (client == null) {
            Sql.update(c, "DELETE FROM web_sessions WHERE account_id=?", accountId);
        } else {
            Sql.update(c, "DELETE FROM web_sessions WHERE account_id=? AND client=?", accountId, client);
        }
    }
}
