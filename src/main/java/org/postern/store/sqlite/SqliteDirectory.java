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
import org.postern.store.Addresses.Address;
import org.postern.store.Directory;
import org.postern.store.Forwarding;
import org.postern.store.ImapOptions;
import org.postern.store.PopSettings;
import org.postern.store.Security;
import org.postern.store.StoreException;

/** Domains, accounts and aliases in the SQLite database. */
public final class SqliteDirectory implements Directory {
    private final Database db;
    private final SqliteMailStore store;
    private final Clock clock;
    private final WebSettings web;

    public SqliteDirectory(Database db, SqliteMailStore store, Clock clock) {
        this.db = db;
        this.store = store;
        this.clock = clock;
        this.web = new WebSettings(db, clock);
    }

    private static Address parse(String email) {
        return Addresses.parse(email).orElseThrow(() -> new StoreException(StoreException.Kind.NOT_ALLOWED,
                "not a valid mail address: " + email));
    }

    @Override
    public Account addAccount(String email, String passwordHash) {
        Address a = parse(email);
        if (a.local().indexOf('+') >= 0) {
            throw new StoreException(StoreException.Kind.NOT_ALLOWED,
                    "an account address cannot contain '+': it is used for subaddresses (alice+tag@...)");
        }
        String normalized = a.toString();
        return db.write(tx -> {
            Connection c = tx.connection();
            if (Sql.exists(c, "SELECT 1 FROM accounts WHERE email=?", normalized)
                    || Sql.exists(c, "SELECT 1 FROM aliases WHERE address=?", normalized)) {
                throw new StoreException(StoreException.Kind.EXISTS, "the address " + normalized + " is already in use");
            }
            long domainId = domainId(c, a.domain());
            long now = clock.millis();
            long id = Sql.insert(c, "INSERT INTO accounts (email, domain_id, password_hash, created, password_changed) VALUES (?,?,?,?,?)",
                    normalized, domainId, passwordHash, now, now);
            store.createDefaultMailboxes(c, id);
            return accountWhere(c, "id=?", id).orElseThrow();
        });
    }

    private long domainId(Connection c, String domain) throws SQLException {
        long id = Sql.queryLong(c, "SELECT id FROM domains WHERE name=?", -1, domain);
        if (id >= 0) {
            return id;
        }
        return Sql.insert(c, "INSERT INTO domains (name, created) VALUES (?,?)", domain, clock.millis());
    }

    @Override
    public Optional<Account> account(String email) {
        Optional<Address> a = Addresses.parse(email);
        if (a.isEmpty()) {
            return Optional.empty();
        }
        return db.read(c -> accountWhere(c, "email=?", a.get().toString()));
    }

    @Override
    public Optional<Account> account(long id) {
        return db.read(c -> accountWhere(c, "id=?", id));
    }

    @Override
    public List<Account> accounts() {
        return db.read(c -> {
            List<Account> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM accounts ORDER BY email"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(account(rs));
                }
            }
            return out;
        });
    }

    private static Optional<Account> accountWhere(Connection c, String where, Object arg) throws SQLException {
        try (PreparedStatement ps = Sql.prepare(c, "SELECT * FROM accounts WHERE " + where, arg); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(account(rs)) : Optional.empty();
        }
    }

    private static Account account(ResultSet rs) throws SQLException {
        return new Account(rs.getLong("id"), rs.getString("email"), rs.getString("password_hash"),
                rs.getInt("imap_enabled") != 0, rs.getInt("pop_enabled") != 0, rs.getLong("quota_bytes"),
                rs.getLong("created"), rs.getLong("password_changed"), WebSettings.admin(rs));
    }

    private static Account require(Connection c, String email) throws SQLException {
        Address a = parse(email);
        return accountWhere(c, "email=?", a.toString())
                .orElseThrow(() -> StoreException.notFound("no such account: " + a));
    }

    @Override
    public void removeAccount(String email) {
        db.write(tx -> {
            Connection c = tx.connection();
            Account account = require(c, email);
            List<String> blobs = new ArrayList<>();
            try (PreparedStatement ps = Sql.prepare(c, "SELECT DISTINCT blob FROM messages WHERE account_id=?", account.id());
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    blobs.add(rs.getString(1));
                }
            }
            Sql.update(c, "UPDATE domains SET catch_all=NULL WHERE catch_all=?", account.id());
            Sql.update(c, "DELETE FROM mailbox_messages WHERE mailbox_id IN (SELECT id FROM mailboxes WHERE account_id=?)", account.id());
            Sql.update(c, "DELETE FROM accounts WHERE id=?", account.id());
            // Every live session of the account ends (the server polls revocations).
            SqliteSecurity.insertRevocation(c, clock, account.id(), null, null);
            long now = clock.millis();
            for (String blob : blobs) {
                if (!Sql.exists(c, "SELECT 1 FROM messages WHERE blob=? LIMIT 1", blob)) {
                    Sql.update(c, "INSERT OR IGNORE INTO blob_garbage (blob, since) VALUES (?,?)", blob, now);
                }
            }
            return null;
        });
    }

    @Override
    public void setPassword(String email, String passwordHash) {
        db.write(tx -> {
            Connection c = tx.connection();
            Account account = require(c, email);
            Sql.update(c, "UPDATE accounts SET password_hash=?, password_changed=? WHERE id=?", passwordHash, clock.millis(), account.id());
            // Sessions signed in with the old password end, as Gmail signs them out.
            SqliteSecurity.insertRevocation(c, clock, account.id(), Security.PASSWORD, null);
            // As Gmail does with mail scopes: apps given access with the old password must ask again.
            SqliteOAuthGrants.revoke(c, clock.millis(), "account_id=?", account.id());
            return null;
        });
    }

    @Override
    public Account update(String email, Settings s) {
        return db.write(tx -> {
            Connection c = tx.connection();
            Account a = require(c, email);
            Sql.update(c, "UPDATE accounts SET imap_enabled=?, pop_enabled=?, quota_bytes=? WHERE id=?",
                    bit(s.imapEnabled() == null ? a.imapEnabled() : s.imapEnabled()),
                    bit(s.popEnabled() == null ? a.popEnabled() : s.popEnabled()),
                    s.quotaBytes() == null ? a.quotaBytes() : s.quotaBytes(), a.id());
            if (s.popSince() != null) {
                if (s.popSince() < 0) {
                    throw new StoreException(StoreException.Kind.NOT_ALLOWED, "POP 'since' must be 0 or a time: " + s.popSince());
                }
                Sql.update(c, "UPDATE accounts SET pop_since=? WHERE id=?", s.popSince(), a.id());
            }
            if (s.admin() != null) {
                Sql.update(c, "UPDATE accounts SET admin=? WHERE id=?", bit(s.admin()), a.id());
            }
            if (s.popAfter() != null) {
                Sql.update(c, "UPDATE accounts SET pop_after=? WHERE id=?", s.popAfter().word(), a.id());
            }
            return accountWhere(c, "id=?", a.id()).orElseThrow();
        });
    }

    @Override
    public PopSettings popSettings(long accountId) {
        return db.read(c -> {
            try (PreparedStatement ps = Sql.prepare(c, "SELECT pop_since, pop_after FROM accounts WHERE id=?", accountId);
                 ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw StoreException.notFound("no such account (id " + accountId + ")");
                }
                return new PopSettings(rs.getLong(1), PopSettings.AfterDownload.fromWord(rs.getString(2))
                        .orElse(PopSettings.AfterDownload.KEEP));
            }
        });
    }

    @Override
    public ImapOptions imapOptions(long accountId) {
        return web.imapOptions(accountId);
    }

    @Override
    public void setImapOptions(long accountId, ImapOptions options) {
        web.setImapOptions(accountId, options);
    }

    @Override
    public Forwarding forwarding(long accountId) {
        return web.forwarding(accountId);
    }

    @Override
    public void requestForwarding(long accountId, String address, String tokenHash) {
        web.requestForwarding(accountId, address, tokenHash);
    }

    @Override
    public Optional<Forwarding.Confirmed> confirmForwarding(String tokenHash, long maxAgeMillis) {
        return web.confirmForwarding(tokenHash, maxAgeMillis);
    }

    @Override
    public void removeForwardingAddress(long accountId, String address) {
        web.removeForwardingAddress(accountId, address);
    }

    @Override
    public void setForwarding(long accountId, String to, PopSettings.AfterDownload keep) {
        web.setForwarding(accountId, to, keep);
    }

    private static int bit(boolean b) {
        return b ? 1 : 0;
    }

    @Override
    public Optional<Domain> domain(String name) {
        return db.read(c -> {
            try (PreparedStatement ps = Sql.prepare(c, "SELECT * FROM domains WHERE name=?", name); ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(domain(rs)) : Optional.empty();
            }
        });
    }

    @Override
    public List<Domain> domains() {
        return db.read(c -> {
            List<Domain> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM domains ORDER BY name"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(domain(rs));
                }
            }
            return out;
        });
    }

    private static Domain domain(ResultSet rs) throws SQLException {
        return new Domain(rs.getLong("id"), rs.getString("name"), rs.getInt("imap_enabled") != 0,
                rs.getInt("pop_enabled") != 0, Sql.nullableLong(rs, "catch_all"));
    }

    @Override
    public void addAlias(String alias, String accountEmail) {
        Address a = parse(alias);
        db.write(tx -> {
            Connection c = tx.connection();
            Account target = require(c, accountEmail);
            if (Sql.exists(c, "SELECT 1 FROM accounts WHERE email=?", a.toString())
                    || Sql.exists(c, "SELECT 1 FROM aliases WHERE address=?", a.toString())) {
                throw new StoreException(StoreException.Kind.EXISTS, "the address " + a + " is already in use");
            }
            domainId(c, a.domain());
            Sql.update(c, "INSERT INTO aliases (address, account_id) VALUES (?,?)", a.toString(), target.id());
            return null;
        });
    }

    @Override
    public void removeAlias(String alias) {
        Address a = parse(alias);
        db.write(tx -> {
            if (Sql.update(tx.connection(), "DELETE FROM aliases WHERE address=?", a.toString()) == 0) {
                throw StoreException.notFound("no such alias: " + a);
            }
            return null;
        });
    }

    @Override
    public List<String> aliases(String accountEmail) {
        return db.read(c -> {
            Account a = require(c, accountEmail);
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = Sql.prepare(c, "SELECT address FROM aliases WHERE account_id=? ORDER BY address", a.id());
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    @Override
    public void setCatchAll(String domain, String accountEmail) {
        String d = parse("postmaster@" + domain).domain();
        db.write(tx -> {
            Connection c = tx.connection();
            Long target = null;
            if (accountEmail != null) {
                Account a = require(c, accountEmail);
                if (!parse(a.email()).domain().equals(d)) {
                    throw new StoreException(StoreException.Kind.NOT_ALLOWED, "the catch-all account must be in " + d);
                }
                target = a.id();
            }
            if (Sql.update(c, "UPDATE domains SET catch_all=? WHERE name=?", target, d) == 0) {
                throw StoreException.notFound("no such domain: " + d);
            }
            return null;
        });
    }

    @Override
    public Domain setDomainAccess(String domain, Boolean imapEnabled, Boolean popEnabled) {
        String d = parse("postmaster@" + domain).domain();
        return db.write(tx -> {
            Connection c = tx.connection();
            if (Sql.update(c, "UPDATE domains SET imap_enabled=COALESCE(?, imap_enabled), pop_enabled=COALESCE(?, pop_enabled) WHERE name=?",
                    imapEnabled == null ? null : bit(imapEnabled), popEnabled == null ? null : bit(popEnabled), d) == 0) {
                throw StoreException.notFound("no such domain: " + d);
            }
            try (PreparedStatement ps = Sql.prepare(c, "SELECT * FROM domains WHERE name=?", d); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return domain(rs);
            }
        });
    }

    @Override
    public Optional<Account> resolve(String address) {
        Optional<Address> parsed = Addresses.parse(address);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        Address exact = parsed.get();
        Address base = Addresses.withoutTag(exact);
        return db.read(c -> {
            for (Address a : exact.equals(base) ? List.of(exact) : List.of(exact, base)) {
                Optional<Account> found = accountWhere(c, "email=?", a.toString());
                if (found.isEmpty()) {
                    found = accountWhere(c, "id=(SELECT account_id FROM aliases WHERE address=?)", a.toString());
                }
                if (found.isPresent()) {
                    return found;
                }
            }
            return accountWhere(c, "id=(SELECT catch_all FROM domains WHERE name=?)", exact.domain());
        });
    }
}
