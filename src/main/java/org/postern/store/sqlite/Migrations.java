package org.postern.store.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.postern.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema migrations. The schema version is SQLite's {@code user_version}; migration N
 * is the resource {@code schema/NNN-*.sql} and brings the schema from version N-1 to N, in one
 * transaction. A database newer than this program refuses to open rather than be misread.
 */
final class Migrations {
    private static final Logger log = LoggerFactory.getLogger(Migrations.class);

    /**
     * In order; the position in the list (1-based) is the version the script produces, and the
     * number in each file name is that position.
     */
    static final List<String> SCRIPTS = List.of(
            "schema/001-initial.sql", "schema/002-pop.sql", "schema/003-queue.sql", "schema/004-security.sql",
            "schema/005-queue-delivery.sql", "schema/006-queue-dsn.sql", "schema/007-recent.sql",
            "schema/008-web.sql", "schema/009-oauth.sql", "schema/010-web-sessions.sql", "schema/011-mta-sts.sql",
            "schema/012-subscriptions.sql", "schema/013-expunged-prune.sql");

    private Migrations() {}

    static int latest() {
        return SCRIPTS.size();
    }

    static void apply(Connection c, Path file) throws SQLException {
        int current = version(c);
        if (current > latest()) {
            throw new StoreException(StoreException.Kind.NOT_ALLOWED, "the database " + file + " has schema version "
                    + current + ", newer than this Postern knows (" + latest() + "); upgrade Postern");
        }
        for (int v = current + 1; v <= latest(); v++) {
            String sql = Database.resource(SCRIPTS.get(v - 1));
            try (Statement s = c.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
                try {
                    for (String statement : statements(sql)) {
                        s.execute(statement);
                    }
                    s.execute("PRAGMA user_version=" + v);
                    s.execute("COMMIT");
                } catch (SQLException e) {
                    s.execute("ROLLBACK");
                    throw e;
                }
            }
            if (current > 0) {
                log.info("database {}: schema migrated to version {}", file, v);
            }
        }
    }

    static int version(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    /**
     * Splits a script at semicolons that end a line, after removing {@code --} comments (whole
     * lines and line ends). Scripts keep semicolons and "--" out of strings, and triggers out of
     * the schema. (sqlite-jdbc runs only the first statement of a string, so a statement that
     * was not split off would be skipped silently.)
     */
    static List<String> statements(String sql) {
        StringBuilder clean = new StringBuilder();
        for (String line : sql.split("\n")) {
            int comment = line.indexOf("--");
            clean.append(comment >= 0 ? line.substring(0, comment) : line).append('\n');
        }
        return java.util.Arrays.stream(clean.toString().split(";\\s*\n"))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
