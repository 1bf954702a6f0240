package org.postern.store.sqlite;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps a connection's prepared statements for reuse. SQLite compiles a statement on every
 * {@code prepareStatement}; the store runs the same few dozen statements all day, so compiling
 * them once per connection saves a good part of each command's CPU.
 *
 * <p>{@link #wrap} returns a connection whose {@code prepareStatement(String)} hands out a cached
 * statement; closing it puts it back (parameters cleared) instead of freeing it. A statement that is
 * still out — a caller iterating one query while running the same query again — is not shared:
 * the second caller gets a fresh statement, closed for real. Everything else goes to the real
 * connection. Each connection is used by one thread at a time (the writer, or one reader), so
 * the cache needs no locking.
 */
final class StatementCache implements InvocationHandler {
    /** Distinct statements kept per connection; the least recently used beyond it are closed. */
    static final int SIZE = 128;

    private final Connection real;
    private final Map<String, Cached> entries = new LinkedHashMap<>(SIZE * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            if (size() <= SIZE) {
                return false;
            }
            Cached e = eldest.getValue();
            if (!e.out) {
                closeQuietly(e.statement);
            } else {
                e.evicted = true; // closed when it comes back
            }
            return true;
        }
    };

    private StatementCache(Connection real) {
        this.real = real;
    }

    static Connection wrap(Connection real) {
        return (Connection) Proxy.newProxyInstance(StatementCache.class.getClassLoader(),
                new Class<?>[] {Connection.class}, new StatementCache(real));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        if (name.equals("prepareStatement") && args != null && args.length == 1 && args[0] instanceof String sql) {
            return take(sql);
        }
        if (name.equals("close") && (args == null || args.length == 0)) {
            for (Cached e : entries.values()) {
                closeQuietly(e.statement);
            }
            entries.clear();
        }
        if (name.equals("unwrap") && args != null && args[0] instanceof Class<?> c && c.isInstance(real)) {
            return real;
        }
        try {
            return method.invoke(real, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private PreparedStatement take(String sql) throws SQLException {
        Cached e = entries.get(sql);
        if (e == null) {
            e = new Cached(sql, real.prepareStatement(sql));
            entries.put(sql, e);
        } else if (e.out) {
            return real.prepareStatement(sql); // in use further up the stack: a one-off
        }
        e.out = true;
        return e.lent();
    }

    private static void closeQuietly(PreparedStatement s) {
        try {
            s.close();
        } catch (SQLException ignored) {
            // closing a statement of a connection being closed
        }
    }

    /** One cached statement and the proxy lent out for it. */
    private final class Cached implements InvocationHandler {
        final PreparedStatement statement;
        private final PreparedStatement lent;
        boolean out;
        boolean evicted;
        private ResultSet results;

        final String sql;

        Cached(String sql, PreparedStatement statement) {
            this.sql = sql;
            this.statement = statement;
            this.lent = (PreparedStatement) Proxy.newProxyInstance(StatementCache.class.getClassLoader(),
                    new Class<?>[] {PreparedStatement.class}, this);
        }

        PreparedStatement lent() {
            return lent;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (name.equals("close") && (args == null || args.length == 0)) {
                if (!out) {
                    return null; // closed twice
                }
                out = false;
                if (evicted) {
                    statement.close();
                    return null;
                }
                // A result set left open would keep the statement, and with it a read
                // transaction, alive: closing it resets the statement.
                if (results != null) {
                    results.close();
                    results = null;
                }
                statement.clearParameters();
                return null;
            }
            if (name.equals("isClosed") && (args == null || args.length == 0)) {
                return !out || statement.isClosed();
            }
            if (!out) {
                throw new SQLException("statement is closed");
            }
            Object value;
            try {
                value = method.invoke(statement, args);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof SQLException) {
                    // After an error (a full disk, an I/O error) the driver may have finalized
                    // the statement: never lend it again.
                    evicted = true;
                    entries.remove(sql, this);
                }
                throw e.getCause();
            }
            if (value instanceof ResultSet rs && rs.getStatement() == statement) {
                results = rs;
            }
            return value;
        }
    }
}
