package org.postern.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Small JDBC helpers shared by the SQLite store classes. */
final class Sql {
    private Sql() {}

    /** Binds each value in order. */
    static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
        return ps;
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args)) {
            return ps.executeUpdate();
        }
    }

    /** Runs an INSERT and returns the new row id. */
    static long insert(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args)) {
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                if (!rs.next()) {
                    throw new SQLException("no row id returned by: " + sql);
                }
                return rs.getLong(1);
            }
        }
    }

    /** The first column of the first row as a long, or {@code orElse} when there is no row. */
    static long queryLong(Connection c, String sql, long orElse, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return orElse;
            }
            long v = rs.getLong(1);
            return rs.wasNull() ? orElse : v;
        }
    }

    /** The first column of every row, as longs in the order of the rows. */
    static long[] queryLongs(Connection c, String sql, Object... args) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /** A column that may be NULL, as a Long. */
    static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    static boolean exists(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    /**
     * A set of ids as a JSON array, to be used as {@code IN (SELECT value FROM json_each(?))}:
     * one statement whatever the count, instead of building a statement per size.
     */
    static String jsonIds(long[] ids) {
        StringBuilder sb = new StringBuilder(ids.length * 6 + 2).append('[');
        for (int i = 0; i < ids.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(ids[i]);
        }
        return sb.append(']').toString();
    }

    /** Keywords as stored: sorted, space-separated, or null when there are none. */
    static String keywords(Set<String> keywords) {
        if (keywords == null || keywords.isEmpty()) {
            return null;
        }
        return String.join(" ", keywords);
    }

    /**
     * Stored keywords as a read-only case-insensitive set; most messages have none, and they
     * share one empty set (sessions hold a row per message).
     */
    static Set<String> keywordSet(String stored) {
        return stored == null || stored.isEmpty() ? Set.of() : Collections.unmodifiableSet(keywords(stored));
    }

    /** Reads stored keywords into a case-insensitive sorted set (IMAP flags ignore case). */
    static TreeSet<String> keywords(String stored) {
        TreeSet<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        if (stored != null && !stored.isEmpty()) {
            set.addAll(Arrays.asList(stored.split(" ")));
        }
        return set;
    }
}
