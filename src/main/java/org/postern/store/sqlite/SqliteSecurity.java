package org.postern.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postern.store.OAuthGrants;
import org.postern.store.Security;
import org.postern.store.StoreException;

/** Account security in the SQLite database (schema/004-security.sql). */
public final class SqliteSecurity implements Security {
    /** Security events kept per account; older ones are dropped as new ones come. */
    static final int EVENTS_KEPT = 1000;

    private final Database db;
    private final Clock clock;
    private final SqliteOAuthGrants oauth;
    private final WebSessionRows webSessions;

    public SqliteSecurity(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
        this.oauth = new SqliteOAuthGrants(db, clock);
        this.webSessions = new WebSessionRows(db, clock);
    }

    @Override
    public OAuthGrants oauth() {
        return oauth;
    }

    // ------------------------------------------------------------------ 2-Step Verification

    @Override
    public Optional<String> totpSecret(long accountId) {
        return db.read(c -> {
            try (PreparedStatement ps = Sql.prepare(c, "SELECT totp_secret FROM accounts WHERE id=?", accountId);
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        });
    }

    @Override
    public void enableTwoStep(long accountId, String secretBase32, List<String> backupCodeHashes) {
        db.write(tx -> {
            Connection c = tx.connection();
            requireAccount(c, accountId);
            Sql.update(c, "UPDATE accounts SET totp_secret=?, totp_last_step=0 WHERE id=?", secretBase32, accountId);
            Sql.update(c, "DELETE FROM backup_codes WHERE account_id=?", accountId);
            for (String h : backupCodeHashes) {
                Sql.update(c, "INSERT INTO backup_codes (account_id, code_hash) VALUES (?,?)", accountId, h);
            }
            // Sessions that signed in with the account password no longer may (app passwords only).
            insertRevocation(c, accountId, PASSWORD, null);
            return null;
        });
    }

    @Override
    public void disableTwoStep(long accountId) {
        db.write(tx -> {
            Connection c = tx.connection();
            requireAccount(c, accountId);
            Sql.update(c, "UPDATE accounts SET totp_secret=NULL, totp_last_step=0 WHERE id=?", accountId);
            Sql.update(c, "DELETE FROM backup_codes WHERE account_id=?", accountId);
            // A change of 2-Step Verification signs the account's browsers out, as turning it on does.
            insertRevocation(c, accountId, PASSWORD, null);
            return null;
        });
    }

    @Override
    public boolean useTotpStep(long accountId, long step) {
        return db.write(tx -> Sql.update(tx.connection(),
                "UPDATE accounts SET totp_last_step=? WHERE id=? AND totp_last_step<?", step, accountId, step) == 1);
    }

    @Override
    public boolean useBackupCode(long accountId, String codeHash) {
        return db.write(tx -> Sql.update(tx.connection(),
                "UPDATE backup_codes SET used=? WHERE account_id=? AND code_hash=? AND used IS NULL",
                clock.millis(), accountId, codeHash) == 1);
    }

    @Override
    public int backupCodesLeft(long accountId) {
        long n = db.read(c -> Sql.queryLong(c, "SELECT COUNT(*) FROM backup_codes WHERE account_id=? AND used IS NULL", 0, accountId));
        return (int) n;
    }

    // ------------------------------------------------------------------ app passwords

    @Override
    public AppPassword addAppPassword(long accountId, String name, String hash) {
        return db.write(tx -> {
            Connection c = tx.connection();
            requireAccount(c, accountId);
            if (Sql.exists(c, "SELECT 1 FROM app_passwords WHERE account_id=? AND name=?", accountId, name)) {
                throw new StoreException(StoreException.Kind.EXISTS, "there is already an app password named \"" + name + "\"");
            }
            long id = Sql.insert(c, "INSERT INTO app_passwords (account_id, name, hash, created) VALUES (?,?,?,?)",
                    accountId, name, hash, clock.millis());
            return appPasswordWhere(c, "id=?", id).getFirst();
        });
    }

    @Override
    public List<AppPassword> appPasswords(long accountId) {
        return db.read(c -> appPasswordWhere(c, "account_id=? ORDER BY created", accountId));
    }

    @Override
    public Optional<AppPassword> appPasswordByHash(long accountId, String hash) {
        return db.read(c -> appPasswordWhere(c, "account_id=? AND hash=?", accountId, hash).stream().findFirst());
    }

    @Override
    public void revokeAppPassword(long accountId, String name) {
        db.write(tx -> {
            Connection c = tx.connection();
            List<AppPassword> found = appPasswordWhere(c, "account_id=? AND name=?", accountId, name);
            if (found.isEmpty()) {
                throw StoreException.notFound("no app password named \"" + name + "\"");
            }
            long id = found.getFirst().id();
            Sql.update(c, "DELETE FROM app_passwords WHERE id=?", id);
            Sql.update(c, "DELETE FROM devices WHERE account_id=? AND credential=?", accountId, Security.app(id));
            insertRevocation(c, accountId, Security.app(id), null);
            return null;
        });
    }

    private static List<AppPassword> appPasswordWhere(Connection c, String where, Object... args) throws SQLException {
        List<AppPassword> out = new ArrayList<>();
        try (PreparedStatement ps = Sql.prepare(c, "SELECT * FROM app_passwords WHERE " + where, args); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new AppPassword(rs.getLong("id"), rs.getLong("account_id"), rs.getString("name"), rs.getLong("created"),
                        Sql.nullableLong(rs, "last_used"), rs.getString("last_ip"), rs.getString("last_protocol"), rs.getString("last_client")));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ OAuth tokens

    @Override
    public Token addToken(long accountId, String hash, String client, long expires) {
        return db.write(tx -> {
            Connection c = tx.connection();
            requireAccount(c, accountId);
            long id = Sql.insert(c, "INSERT INTO oauth_tokens (account_id, hash, client, created, expires) VALUES (?,?,?,?,?)",
                    accountId, hash, client, clock.millis(), expires);
            return tokenWhere(c, "id=?", id).getFirst();
        });
    }

    @Override
    public Optional<Token> tokenByHash(String hash) {
        return db.read(c -> tokenWhere(c, "hash=?", hash).stream().findFirst());
    }

    @Override
    public List<Token> tokens(long accountId) {
        return db.read(c -> tokenWhere(c, "account_id=? ORDER BY created", accountId));
    }

    @Override
    public void revokeToken(long accountId, long tokenId) {
        db.write(tx -> {
            Connection c = tx.connection();
            List<Token> found = tokenWhere(c, "id=? AND account_id=? AND revoked IS NULL", tokenId, accountId);
            if (!found.isEmpty() && found.getFirst().grantId() != null) {
                SqliteOAuthGrants.revoke(c, clock.millis(), "id=?", found.getFirst().grantId());
                return null;
            }
            if (Sql.update(c, "UPDATE oauth_tokens SET revoked=? WHERE id=? AND account_id=? AND revoked IS NULL",
                    clock.millis(), tokenId, accountId) == 0) {
                throw StoreException.notFound("no valid token with id " + tokenId);
            }
            insertRevocation(c, accountId, Security.oauth(tokenId), null);
            return null;
        });
    }

    static List<Token> tokenWhere(Connection c, String where, Object... args) throws SQLException {
        List<Token> out = new ArrayList<>();
        try (PreparedStatement ps = Sql.prepare(c, "SELECT * FROM oauth_tokens WHERE " + where, args); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Token(rs.getLong("id"), rs.getLong("account_id"), rs.getString("client"), rs.getLong("created"),
                        rs.getLong("expires"), Sql.nullableLong(rs, "revoked"), Sql.nullableLong(rs, "grant_id")));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ events and devices

    @Override
    public boolean signedIn(long accountId, Event e) {
        return db.write(tx -> {
            Connection c = tx.connection();
            insertEvent(c, accountId, e);
            String client = e.client() == null ? "" : e.client();
            boolean isNew = Sql.update(c, "UPDATE devices SET last_seen=?, last_ip=?, last_protocol=? "
                    + "WHERE account_id=? AND credential=? AND client=?", e.time(), e.ip(), e.protocol(), accountId, e.credential(), client) == 0;
            if (isNew) {
                Sql.update(c, "INSERT INTO devices (account_id, credential, client, first_seen, last_seen, last_ip, last_protocol) "
                        + "VALUES (?,?,?,?,?,?,?)", accountId, e.credential(), client, e.time(), e.time(), e.ip(), e.protocol());
            }
            if (e.ip() != null) {
                Sql.update(c, "INSERT INTO known_ips (account_id, ip, last_seen) VALUES (?,?,?) "
                        + "ON CONFLICT(account_id, ip) DO UPDATE SET last_seen=excluded.last_seen", accountId, e.ip(), e.time());
            }
            if (e.credential() != null && e.credential().startsWith("app:")) {
                Sql.update(c, "UPDATE app_passwords SET last_used=?, last_ip=?, last_protocol=?, last_client=? WHERE id=?",
                        e.time(), e.ip(), e.protocol(), e.client(), Long.parseLong(e.credential().substring(4)));
            }
            return isNew;
        });
    }

    @Override
    public void refused(long accountId, Event e) {
        db.write(tx -> {
            insertEvent(tx.connection(), accountId, e);
            return null;
        });
    }

    private static void insertEvent(Connection c, long accountId, Event e) throws SQLException {
        Sql.update(c, "INSERT INTO security_events (account_id, time, protocol, ip, client, credential, success, reason) VALUES (?,?,?,?,?,?,?,?)",
                accountId, e.time(), e.protocol(), e.ip(), e.client(), e.credential(), e.success() ? 1 : 0, e.reason());
        // Keep the log bounded: drop what falls off the end.
        Sql.update(c, "DELETE FROM security_events WHERE account_id=? AND id <= "
                + "(SELECT id FROM security_events WHERE account_id=? ORDER BY id DESC LIMIT 1 OFFSET ?)", accountId, accountId, EVENTS_KEPT);
    }

    @Override
    public List<Event> events(long accountId, int limit) {
        return db.read(c -> {
            List<Event> out = new ArrayList<>();
            try (PreparedStatement ps = Sql.prepare(c, "SELECT * FROM security_events WHERE account_id=? ORDER BY id DESC LIMIT ?", accountId, limit);
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Event(rs.getLong("time"), rs.getString("protocol"), rs.getString("ip"), rs.getString("client"),
                            rs.getString("credential"), rs.getInt("success") != 0, rs.getString("reason")));
                }
            }
            return out;
        });
    }

    @Override
    public List<Device> devices(long accountId) {
        return db.read(c -> {
            List<Device> out = new ArrayList<>();
            try (PreparedStatement ps = Sql.prepare(c, "SELECT * FROM devices WHERE account_id=? ORDER BY last_seen DESC", accountId);
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Device(rs.getLong("id"), rs.getString("credential"), rs.getString("client"), rs.getLong("first_seen"),
                            rs.getLong("last_seen"), rs.getString("last_ip"), rs.getString("last_protocol")));
                }
            }
            return out;
        });
    }

    @Override
    public void signOutDevice(long accountId, long deviceId) {
        db.write(tx -> {
            Connection c = tx.connection();
            String credential;
            String client;
            try (PreparedStatement ps = Sql.prepare(c, "SELECT credential, client FROM devices WHERE id=? AND account_id=?", deviceId, accountId);
                 ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw StoreException.notFound("no device with id " + deviceId);
                }
                credential = rs.getString(1);
                client = rs.getString(2);
            }
            Sql.update(c, "DELETE FROM devices WHERE id=?", deviceId);
            insertRevocation(c, accountId, credential, client);
            return null;
        });
    }

    @Override
    public boolean knownAddress(long accountId, String ip) {
        return db.read(c -> Sql.exists(c, "SELECT 1 FROM known_ips WHERE account_id=? AND ip=?", accountId, ip));
    }

    // ------------------------------------------------------------------ web sessions

    @Override
    public void addWebSession(String idHash, long accountId, boolean needsCode, String ip, String client, long idleMillis,
                              long lifeMillis, int maxPerAccount) {
        webSessions.add(idHash, accountId, needsCode, ip, client, idleMillis, lifeMillis, maxPerAccount);
    }

    @Override
    public Optional<WebSessionRow> webSession(String idHash) {
        return webSessions.find(idHash);
    }

    @Override
    public void touchWebSession(String idHash) {
        webSessions.touch(idHash);
    }

    @Override
    public int webSessionCodeFailed(String idHash) {
        return webSessions.codeFailed(idHash);
    }

    @Override
    public void removeWebSession(String idHash) {
        webSessions.remove(idHash);
    }

    @Override
    public int webSessionCount() {
        return webSessions.count();
    }

    // ------------------------------------------------------------------ revocations

    @Override
    public void revoke(long accountId, String credential, String client) {
        db.write(tx -> {
            insertRevocation(tx.connection(), accountId, credential, client);
            return null;
        });
    }

    private void insertRevocation(Connection c, long accountId, String credential, String client) throws SQLException {
        insertRevocation(c, accountId, credential, client, clock.millis());
    }

    /**
     * Records a revocation — sessions of the credential (null: all) and client (null: all) end
     * when the server reads this row — and ends the stored web sessions it covers, in the
     * caller's transaction.
     */
    static void insertRevocation(Connection c, long accountId, String credential, String client, long now) throws SQLException {
        Sql.update(c, "INSERT INTO revocations (account_id, credential, client, time) VALUES (?,?,?,?)",
                accountId, credential, client, now);
        WebSessionRows.revoked(c, accountId, credential, client);
    }

    static void insertRevocation(Connection c, Clock clock, long accountId, String credential, String client) throws SQLException {
        insertRevocation(c, accountId, credential, client, clock.millis());
    }

    @Override
    public List<Revocation> revocationsAfter(long id) {
        return db.read(c -> {
            List<Revocation> out = new ArrayList<>();
            try (PreparedStatement ps = Sql.prepare(c, "SELECT * FROM revocations WHERE id>? ORDER BY id", id); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Revocation(rs.getLong("id"), rs.getLong("account_id"), rs.getString("credential"), rs.getString("client"),
                            rs.getLong("time")));
                }
            }
            return out;
        });
    }

    @Override
    public long lastRevocationId() {
        return db.read(c -> Sql.queryLong(c, "SELECT MAX(id) FROM revocations", 0));
    }

    static void requireAccount(Connection c, long accountId) throws SQLException {
        if (!Sql.exists(c, "SELECT 1 FROM accounts WHERE id=?", accountId)) {
            throw StoreException.notFound("no such account (id " + accountId + ")");
        }
    }
}
