package org.postern.store.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.postern.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The SQLite database behind the embedded store: one writer thread that batches waiting
 * transactions into one commit (group commit), and a small pool of reader threads with a
 * connection each.
 *
 * <p>SQLite is reached through JNI, and a virtual thread inside a native call pins its carrier.
 * So every database call runs on one of these platform threads; virtual threads only wait for
 * the result. The database runs in WAL mode with {@code synchronous=FULL}: a commit returns only
 * after the WAL is fsynced, which is what lets a protocol acknowledge a message
 * (DESIGN.md, Durability).
 *
 * <p>Each write is a {@link Work} run inside a savepoint of the batch transaction. A work that
 * fails with a logical error (a {@link StoreException} that is not temporary, a constraint) is
 * rolled back to its savepoint alone; a database-level SQLite failure (disk full, I/O error, busy)
 * fails the whole batch with a temporary error, and nothing of it is committed.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    private static final int MAX_BATCH = 512;
    private static final int BUSY_TIMEOUT_MS = 5_000;

    /** A unit of work given a connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Tx tx) throws SQLException;
    }

    /** A read given a connection. */
    @FunctionalInterface
    public interface Read<T> {
        T run(Connection c) throws SQLException;
    }

    /** The write transaction as a work sees it. */
    public static final class Tx {
        private final Connection connection;
        private List<Runnable> afterCommit;

        Tx(Connection connection) {
            this.connection = connection;
        }

        public Connection connection() {
            return connection;
        }

        /**
         * Runs {@code action} on the writer thread once the batch holding this work is durably
         * committed, in commit order. Used to publish changes; it must not block.
         */
        public void afterCommit(Runnable action) {
            if (afterCommit == null) {
                afterCommit = new ArrayList<>(2);
            }
            afterCommit.add(action);
        }
    }

    private record Task<T>(Work<T> work, CompletableFuture<T> done) {}

    private final Path file;
    private final Connection writeConnection;
    private final BlockingQueue<Task<?>> queue = new ArrayBlockingQueue<>(16_384);
    private final Thread writer;
    private final ExecutorService readers;
    private final ThreadLocal<Connection> readConnection = new ThreadLocal<>();
    private final List<Connection> readConnections = new ArrayList<>();
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong committedWorks = new AtomicLong();
    private volatile boolean closing;

    private Database(Path file, Connection writeConnection, int readerThreads) {
        this.file = file;
        this.writeConnection = writeConnection;
        this.writer = Thread.ofPlatform().name("store-writer").daemon(true).unstarted(this::writeLoop);
        AtomicInteger n = new AtomicInteger();
        this.readers = Executors.newFixedThreadPool(readerThreads,
                r -> Thread.ofPlatform().name("store-reader-" + n.incrementAndGet()).daemon(true).unstarted(r));
    }

    /**
     * Opens (creating if needed) the database file, brings its schema up to date and starts the
     * writer and reader threads.
     */
    public static Database open(Path file) {
        return open(file, 4);
    }

    public static Database open(Path file, int readerThreads) {
        try {
            Connection c = connect(file);
            Migrations.apply(c, file);
            Database db = new Database(file, c, readerThreads);
            db.writer.start();
            return db;
        } catch (SQLException e) {
            Path folder = file.toAbsolutePath().getParent();
            if (folder != null && Files.isDirectory(folder) && !Files.isWritable(folder)) {
                throw StoreException.temporary("cannot open database " + file + ": the folder " + folder
                        + " is read-only; Postern must be able to write its database and message files there", e);
            }
            throw translate("cannot open database " + file, e);
        }
    }

    static Connection connect(Path file) throws SQLException {
        Properties p = new Properties();
        p.setProperty("busy_timeout", Integer.toString(BUSY_TIMEOUT_MS));
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), p);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout=" + BUSY_TIMEOUT_MS);
            s.execute("PRAGMA journal_mode=WAL");
            // FULL: a commit returns only when the WAL is on disk (DESIGN.md, Durability).
            s.execute("PRAGMA synchronous=FULL");
            s.execute("PRAGMA foreign_keys=ON");
        }
        return StatementCache.wrap(c);
    }

    public Path file() {
        return file;
    }

    /**
     * How many commits (fsyncs of the WAL) happened and how many works they carried, for
     * benchmarks: a batch rolled back is no commit, and a work undone to its savepoint was not
     * carried.
     */
    public long commits() {
        return commits.get();
    }

    public long committedWorks() {
        return committedWorks.get();
    }

    /**
     * Runs {@code work} in a write transaction and returns once it is durably committed. Many
     * concurrent callers share one commit.
     */
    public <T> T write(Work<T> work) {
        if (closing) {
            throw StoreException.temporary("the store is shutting down", null);
        }
        CompletableFuture<T> done = new CompletableFuture<>();
        try {
            queue.put(new Task<>(work, done));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StoreException.temporary("interrupted", e);
        }
        return await(done);
    }

    /** Runs {@code read} on a reader thread against the latest committed state. */
    public <T> T read(Read<T> read) {
        if (closing) {
            throw StoreException.temporary("the store is shutting down", null);
        }
        CompletableFuture<T> done = new CompletableFuture<>();
        readers.execute(() -> {
            try {
                done.complete(read.run(readerConnection()));
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return await(done);
    }

    private Connection readerConnection() throws SQLException {
        Connection c = readConnection.get();
        if (c == null) {
            c = connect(file);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA query_only=ON");
            }
            readConnection.set(c);
            synchronized (readConnections) {
                readConnections.add(c);
            }
        }
        return c;
    }

    private static <T> T await(CompletableFuture<T> done) {
        try {
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StoreException.temporary("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof StoreException se) {
                // Re-throw on the caller's thread so its stack shows who asked.
                throw new StoreException(se.kind(), se.getMessage(), se);
            }
            if (cause instanceof SQLException sql) {
                throw translate("database error", sql);
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        }
    }

    private void writeLoop() {
        List<Task<?>> batch = new ArrayList<>(MAX_BATCH);
        while (true) {
            try {
                Task<?> first = queue.take();
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                runBatch(batch);
            } catch (InterruptedException e) {
                if (queue.isEmpty()) {
                    return;
                }
            } catch (Throwable t) {
                log.error("store writer: unexpected failure", t);
                for (Task<?> task : batch) {
                    task.done().completeExceptionally(StoreException.temporary("store writer failure", t));
                }
            } finally {
                batch.clear();
            }
        }
    }

    private record Outcome(Object value, Throwable error, List<Runnable> afterCommit) {}

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void runBatch(List<Task<?>> batch) {
        Outcome[] outcomes = new Outcome[batch.size()];
        // A batch of one needs no savepoint: if its work fails, the whole transaction is its own.
        boolean savepoints = batch.size() > 1;
        boolean committed;
        try {
            exec("BEGIN IMMEDIATE");
            boolean open = true;
            try {
                for (int i = 0; i < batch.size(); i++) {
                    outcomes[i] = runOne(batch.get(i).work(), savepoints);
                }
                // A lone work that failed is rolled back whole: nothing is committed, nothing synced.
                committed = savepoints || outcomes[0].error() == null;
                exec(committed ? "COMMIT" : "ROLLBACK");
                open = false;
            } finally {
                if (open) {
                    rollbackQuietly();
                }
            }
        } catch (SQLException | RuntimeException e) {
            StoreException failure = e instanceof SQLException sql
                    ? translate("commit failed", sql)
                    : StoreException.temporary("commit failed", e);
            log.warn("store: a batch of {} writes failed and was rolled back: {}", batch.size(), failure.getMessage());
            for (Task<?> task : batch) {
                task.done().completeExceptionally(failure);
            }
            return;
        }
        if (committed) {
            commits.incrementAndGet();
            committedWorks.addAndGet(java.util.Arrays.stream(outcomes).filter(o -> o.error() == null).count());
        }
        for (int i = 0; i < batch.size(); i++) {
            Outcome o = outcomes[i];
            if (o.error() == null && o.afterCommit() != null) {
                for (Runnable r : o.afterCommit()) {
                    try {
                        r.run();
                    } catch (RuntimeException e) {
                        log.error("store: after-commit action failed", e);
                    }
                }
            }
            CompletableFuture done = batch.get(i).done();
            if (o.error() == null) {
                done.complete(o.value());
            } else {
                done.completeExceptionally(o.error());
            }
        }
    }

    /**
     * Runs one work, in its own savepoint when it shares the batch; a database-level failure
     * aborts the whole batch.
     */
    private Outcome runOne(Work<?> work, boolean savepoint) throws SQLException {
        if (savepoint) {
            exec("SAVEPOINT w");
        }
        Tx tx = new Tx(writeConnection);
        try {
            Object value = work.run(tx);
            if (savepoint) {
                exec("RELEASE w");
            }
            return new Outcome(value, null, tx.afterCommit);
        } catch (SQLException e) {
            if (isDatabaseLevel(e)) {
                throw e;
            }
            if (savepoint) {
                rollbackToSavepoint();
            }
            return new Outcome(null, translate("write failed", e), null);
        } catch (RuntimeException e) {
            // Thrown by our own code (a StoreException, a bug): the database is fine, so only
            // this work is undone.
            if (savepoint) {
                rollbackToSavepoint();
            }
            return new Outcome(null, e, null);
        }
    }

    /** Runs a statement on the writer's connection; its compiled form is kept (StatementCache). */
    private void exec(String sql) throws SQLException {
        try (PreparedStatement ps = writeConnection.prepareStatement(sql)) {
            ps.execute();
        }
    }

    private void rollbackToSavepoint() throws SQLException {
        exec("ROLLBACK TO w");
        exec("RELEASE w");
    }

    private void rollbackQuietly() {
        try {
            exec("ROLLBACK");
        } catch (SQLException ignored) {
            // SQLite may already have rolled back on its own (disk full, I/O error).
        }
    }

    private static boolean isDatabaseLevel(SQLException e) {
        if (e instanceof SQLiteException se) {
            return switch (se.getResultCode().code & 0xff) {
                case 5, 6, 7, 10, 11, 13, 14, 26 -> true; // BUSY LOCKED NOMEM IOERR CORRUPT FULL CANTOPEN NOTADB
                default -> false;
            };
        }
        return true;
    }

    /** Turns a SQLite error into a StoreException with words an administrator understands. */
    static StoreException translate(String what, SQLException e) {
        if (e instanceof SQLiteException se) {
            SQLiteErrorCode code = se.getResultCode();
            String reason = switch (code.code & 0xff) {
                case 5, 6 -> "the database is locked by another process";
                case 13 -> "the disk is full";
                case 10 -> "an I/O error on the database file";
                case 11, 26 -> "the database file is damaged";
                case 14 -> "the database file cannot be opened";
                default -> null;
            };
            if (reason != null) {
                return StoreException.temporary(what + ": " + reason + " (" + code.name() + ")", e);
            }
            if ((code.code & 0xff) == 19) { // CONSTRAINT
                return new StoreException(StoreException.Kind.EXISTS, what + ": " + e.getMessage(), e);
            }
        }
        return StoreException.temporary(what + ": " + e.getMessage(), e);
    }

    /** Reads a resource as UTF-8 text (used for migration scripts). */
    static String resource(String name) {
        try (InputStream in = Database.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + name, e);
        }
    }

    @Override
    public void close() {
        closing = true;
        writer.interrupt();
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        readers.shutdown();
        try {
            readers.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (readConnections) {
            for (Connection c : readConnections) {
                closeQuietly(c);
            }
        }
        try (Statement s = writeConnection.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(PASSIVE)");
        } catch (SQLException ignored) {
            // best effort; the WAL is replayed at the next open anyway
        }
        closeQuietly(writeConnection);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing
        }
    }
}
