package org.postern.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.postern.store.OAuthGrants;
import org.postern.store.Security;
import org.postern.store.StoreException;

/** The OAuth 2.0 authorization server's records in the SQLite database (schema/009-oauth.sql). */
final class SqliteOAuthGrants implements OAuthGrants {
    /** Used codes are kept this long past their expiry, so a late second use is still caught. */
    private static final long USED_CODES_KEPT_MS = 24 * 3600_000L;

    private final Database db;
    private final Clock clock;

    SqliteOAuthGrants(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    // ------------------------------------------------------------------ clients

    @Override
    public Client addClient(String id, String name, List<String> redirectUris, int max) {
        return db.write(tx -> {
            Connection c = tx.connection();
            long now = clock.millis();
            if (Sql.queryLong(c, "SELECT COUNT(*) FROM oauth_clients", 0) >= max) {
                // Forget the least recently used registration that no account relies on.
                int dropped = Sql.update(c, "DELETE FROM oauth_clients WHERE id = (SELECT id FROM oauth_clients k WHERE NOT EXISTS "
                        + "(SELECT 1 FROM oauth_grants g WHERE g.client_id=k.id AND g.revoked IS NULL AND g.expires>?) "
                        + "ORDER BY last_used LIMIT 1)", now);
                if (dropped == 0) {
                    throw new StoreException(StoreException.Kind.NOT_ALLOWED, "the server has as many registered clients as it keeps ("
                            + max + ")");
                }
            }
            Sql.update(c, "INSERT INTO oauth_clients (id, name, redirect_uris, created, last_used) VALUES (?,?,?,?,?)",
                    id, name, String.join("\n", redirectUris), now, now);
            return new Client(id, name, List.copyOf(redirectUris), now, now);
        });
    }

    @Override
    public Optional<Client> client(String id) {
        return db.read(c -> {
            try (PreparedStatement ps = Sql.prepare(c, "SELECT * FROM oauth_clients WHERE id=?", id); ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Client(rs.getString("id"), rs.getString("name"),
                        Arrays.asList(rs.getString("redirect_uris").split("\n")), rs.getLong("created"), rs.getLong("last_used")));
            }
        });
    }

    @Override
    public void clientUsed(String id) {
        db.write(tx -> Sql.update(tx.connection(), "UPDATE oauth_clients SET last_used=? WHERE id=?", clock.millis(), id));
    }

    // ------------------------------------------------------------------ codes

    @Override
    public void addCode(String hash, long accountId, String clientId, String redirectUri, String challenge, long expires) {
        db.write(tx -> {
            Connection c = tx.connection();
            Sql.update(c, "DELETE FROM oauth_codes WHERE expires<?", clock.millis() - USED_CODES_KEPT_MS);
            Sql.update(c, "INSERT INTO oauth_codes (hash, account_id, client_id, redirect_uri, challenge, expires) VALUES (?,?,?,?,?,?)",
                    hash, accountId, clientId, redirectUri, challenge, expires);
            return null;
        });
    }

    @Override
    public Optional<Code> takeCode(String hash) {
        return db.write(tx -> {
            Connection c = tx.connection();
            Optional<Code> found;
            try (PreparedStatement ps = Sql.prepare(c, "SELECT * FROM oauth_codes WHERE hash=?", hash); ResultSet rs = ps.executeQuery()) {
                found = rs.next() ? Optional.of(new Code(rs.getLong("account_id"), rs.getString("client_id"), rs.getString("redirect_uri"),
                        rs.getString("challenge"), rs.getLong("expires"), Sql.nullableLong(rs, "used"))) : Optional.empty();
            }
            if (found.isPresent() && found.get().used() == null) {
                Sql.update(c, "UPDATE oauth_codes SET used=? WHERE hash=?", clock.millis(), hash);
            }
            return found;
        });
    }

    // ------------------------------------------------------------------ grants

    @Override
    public Issued issue(long accountId, String clientId, String clientName, String codeHash, String refreshHash, long refreshExpires,
                        String accessHash, long accessExpires) {
        return db.write(tx -> {
            Connection c = tx.connection();
            SqliteSecurity.requireAccount(c, accountId);
            long now = clock.millis();
            long id = Sql.insert(c, "INSERT INTO oauth_grants (account_id, client_id, client_name, refresh_hash, code_hash, created, expires) "
                    + "VALUES (?,?,?,?,?,?,?)", accountId, clientId, clientName, refreshHash, codeHash, now, refreshExpires);
            return new Issued(grantWhere(c, "id=?", id).getFirst(), addToken(c, id, accessHash, accessExpires));
        });
    }

    private Security.Token addToken(Connection c, long grantId, String accessHash, long accessExpires) throws SQLException {
        long id = Sql.insert(c, "INSERT INTO oauth_tokens (account_id, hash, client, created, expires, grant_id) "
                + "SELECT account_id, ?, client_name, ?, ?, id FROM oauth_grants WHERE id=?", accessHash, clock.millis(), accessExpires, grantId);
        return SqliteSecurity.tokenWhere(c, "id=?", id).getFirst();
    }

    @Override
    public Optional<Issued> refresh(String refreshHash, String clientId, String newRefreshHash, long refreshExpires,
                                    String accessHash, long accessExpires) {
        return db.write(tx -> {
            Connection c = tx.connection();
            long now = clock.millis();
            List<Grant> found = grantWhere(c, "refresh_hash=? AND client_id=? AND revoked IS NULL AND expires>?", refreshHash, clientId, now);
            if (found.isEmpty()) {
                return Optional.<Issued>empty();
            }
            long id = found.getFirst().id();
            Sql.update(c, "UPDATE oauth_grants SET refresh_hash=?, refreshed=?, expires=? WHERE id=?", newRefreshHash, now, refreshExpires, id);
            // Access tokens that expired long ago are of no more use to anyone.
            Sql.update(c, "DELETE FROM oauth_tokens WHERE grant_id=? AND expires<?", id, now - 24 * 3600_000L);
            Security.Token token = addToken(c, id, accessHash, accessExpires);
            return Optional.of(new Issued(grantWhere(c, "id=?", id).getFirst(), token));
        });
    }

    @Override
    public Optional<Grant> grantByRefresh(String refreshHash) {
        return db.read(c -> grantWhere(c, "refresh_hash=?", refreshHash).stream().findFirst());
    }

    @Override
    public Optional<Grant> grantOfToken(long tokenId) {
        return db.read(c -> grantWhere(c, "id=(SELECT grant_id FROM oauth_tokens WHERE id=?)", tokenId).stream().findFirst());
    }

    @Override
    public List<Grant> grants(long accountId) {
        return db.read(c -> grantWhere(c, "account_id=? AND revoked IS NULL AND expires>? ORDER BY created DESC", accountId, clock.millis()));
    }

    @Override
    public void revokeGrant(long accountId, long grantId) {
        db.write(tx -> {
            if (!revoke(tx.connection(), clock.millis(), "id=? AND account_id=?", grantId, accountId)) {
                throw StoreException.notFound("no app with access has id " + grantId);
            }
            return null;
        });
    }

    @Override
    public void revokeGrantOfCode(String codeHash) {
        db.write(tx -> revoke(tx.connection(), clock.millis(), "code_hash=?", codeHash));
    }

    /** Revokes the valid grants {@code where} says, their access tokens, and the sessions of those. */
    static boolean revoke(Connection c, long now, String where, Object... args) throws SQLException {
        List<Grant> grants = grantWhere(c, where + " AND revoked IS NULL", args);
        for (Grant g : grants) {
            Sql.update(c, "UPDATE oauth_grants SET revoked=?, refresh_hash=NULL WHERE id=?", now, g.id());
            Sql.update(c, "UPDATE oauth_tokens SET revoked=? WHERE grant_id=? AND revoked IS NULL", now, g.id());
            Sql.update(c, "DELETE FROM devices WHERE account_id=? AND credential=?", g.accountId(), Security.grant(g.id()));
            SqliteSecurity.insertRevocation(c, g.accountId(), Security.grant(g.id()), null, now);
        }
        return !grants.isEmpty();
    }

    /** Grants with their last use: the later of the last refresh and the last sign-in with their tokens. */
    private static List<Grant> grantWhere(Connection c, String where, Object... args) throws SQLException {
        List<Grant> out = new ArrayList<>();
        String sql = "SELECT g.*, (SELECT MAX(d.last_seen) FROM devices d WHERE d.account_id=g.account_id AND d.credential='grant:'||g.id) "
                + "AS signed_in FROM oauth_grants g WHERE " + where;
        try (PreparedStatement ps = Sql.prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Long refreshed = Sql.nullableLong(rs, "refreshed");
                Long signedIn = Sql.nullableLong(rs, "signed_in");
                Long lastUsed = refreshed == null ? signedIn : signedIn == null ? refreshed : Long.valueOf(Math.max(refreshed, signedIn));
                out.add(new Grant(rs.getLong("id"), rs.getLong("account_id"), rs.getString("client_id"), rs.getString("client_name"),
                        rs.getLong("created"), lastUsed, rs.getLong("expires"), Sql.nullableLong(rs, "revoked")));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ device codes

    @Override
    public void addDeviceCode(String hash, String userCode, String clientId, long expires, long intervalSeconds) {
        db.write(tx -> {
            Connection c = tx.connection();
            Sql.update(c, "DELETE FROM oauth_device_codes WHERE expires<?", clock.millis() - USED_CODES_KEPT_MS);
            if (Sql.exists(c, "SELECT 1 FROM oauth_device_codes WHERE user_code=?", userCode)) {
                throw new StoreException(StoreException.Kind.EXISTS, "that user code is taken");
            }
            Sql.update(c, "INSERT INTO oauth_device_codes (hash, user_code, client_id, expires, interval) VALUES (?,?,?,?,?)",
                    hash, userCode, clientId, expires, intervalSeconds);
            return null;
        });
    }

    @Override
    public Optional<DeviceCode> pendingDeviceCode(String userCode) {
        return db.read(c -> deviceWhere(c, "user_code=? AND state='pending' AND expires>?", userCode, clock.millis()));
    }

    @Override
    public boolean decideDeviceCode(String userCode, Long accountId) {
        return db.write(tx -> Sql.update(tx.connection(), "UPDATE oauth_device_codes SET state=?, account_id=? "
                + "WHERE user_code=? AND state='pending' AND expires>?", accountId == null ? "denied" : "allowed", accountId,
                userCode, clock.millis()) == 1);
    }

    @Override
    public Poll pollDeviceCode(String hash, String clientId, long slowDownSeconds) {
        return db.write(tx -> {
            Connection c = tx.connection();
            long now = clock.millis();
            Optional<DeviceCode> found = deviceWhere(c, "hash=? AND client_id=?", hash, clientId);
            if (found.isEmpty()) {
                return new Poll(PollOutcome.UNKNOWN, null);
            }
            DeviceCode d = found.get();
            if (d.state() == DeviceState.ISSUED) {
                return new Poll(PollOutcome.ALREADY_ISSUED, d);
            }
            if (d.expires() <= now) {
                return new Poll(PollOutcome.EXPIRED, d);
            }
            if (d.state() == DeviceState.PENDING && now - d.lastPoll() < d.intervalSeconds() * 1000) {
                Sql.update(c, "UPDATE oauth_device_codes SET interval=interval+?, last_poll=? WHERE hash=?", slowDownSeconds, now, hash);
                return new Poll(PollOutcome.SLOW_DOWN, d);
            }
            Sql.update(c, "UPDATE oauth_device_codes SET last_poll=?, state=CASE state WHEN 'allowed' THEN 'issued' ELSE state END "
                    + "WHERE hash=?", now, hash);
            return new Poll(switch (d.state()) {
                case PENDING -> PollOutcome.PENDING;
                case DENIED -> PollOutcome.DENIED;
                case ALLOWED -> PollOutcome.ALLOWED;
                case ISSUED -> PollOutcome.ALREADY_ISSUED;
            }, d);
        });
    }

    private static Optional<DeviceCode> deviceWhere(Connection c, String where, Object... args) throws SQLException {
        try (PreparedStatement ps = Sql.prepare(c, "SELECT * FROM oauth_device_codes WHERE " + where, args); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new DeviceCode(rs.getString("user_code"), rs.getString("client_id"), rs.getLong("expires"),
                    rs.getLong("interval"), rs.getLong("last_poll"), Sql.nullableLong(rs, "account_id"),
                    DeviceState.valueOf(rs.getString("state").toUpperCase(Locale.ROOT))));
        }
    }
}
