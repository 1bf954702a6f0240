package org.postern.store.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.postern.store.MtaStsCache;

/** The MTA-STS policy cache in SQLite: table {@code mta_sts_policies} (schema/011-mta-sts.sql). */
public final class SqliteMtaStsCache implements MtaStsCache {
    private final Database db;

    public SqliteMtaStsCache(Database db) {
        this.db = db;
    }

    @Override
    public Optional<Policy> get(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        return db.read(c -> {
            try (PreparedStatement ps = Sql.prepare(c, "SELECT policy_id, mode, mx, max_age, fetched_at FROM mta_sts_policies "
                    + "WHERE domain=?", d); ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String mx = rs.getString(3);
                return Optional.of(new Policy(d, rs.getString(1), rs.getString(2),
                        mx.isEmpty() ? List.of() : Arrays.asList(mx.split("\n")), rs.getLong(4), rs.getLong(5)));
            }
        });
    }

    @Override
    public void put(Policy p) {
        db.write(tx -> Sql.update(tx.connection(), "INSERT OR REPLACE INTO mta_sts_policies "
                + "(domain, policy_id, mode, mx, max_age, fetched_at) VALUES (?,?,?,?,?,?)",
                p.domain(), p.id(), p.mode(), String.join("\n", p.mx()), p.maxAge(), p.fetchedAt()));
    }

    @Override
    public int forgetExpired(long now) {
        return db.write(tx -> Sql.update(tx.connection(), "DELETE FROM mta_sts_policies WHERE fetched_at + max_age * 1000 <= ?", now));
    }
}
