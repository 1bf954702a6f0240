package org.postern.store.sqlite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import org.postern.store.BlobStore;
import org.postern.store.MessageData;

/** A real SQLite store in a folder, for tests: open, use, close, reopen. */
public final class TestStore implements AutoCloseable {
    public final Path dir;
    public final Database db;
    public final BlobStore blobs;
    public final SqliteMailStore store;
    public final SqliteDirectory directory;

    public TestStore(Path dir) {
        this(dir, Clock.systemUTC());
    }

    public TestStore(Path dir, Clock clock) {
        this.dir = dir;
        this.db = Database.open(dir.resolve("postern.db"));
        this.blobs = new BlobStore(dir.resolve("blobs"));
        this.store = new SqliteMailStore(db, blobs, clock);
        this.directory = new SqliteDirectory(db, store, clock);
    }

    /** A message whose blob is stored, with no parsed structure (the store does not read it). */
    public MessageData message(String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        BlobStore.Blob b = blobs.put(bytes);
        return new MessageData(b.sha256(), b.size(), System.currentTimeMillis(), null, null, null, null, null);
    }

    /**
     * A database file whose schema stops just before {@code script}, to test that migration,
     * holding one domain and the account old@example.org (id 1). The connection is the caller's
     * to add rows and close; the next {@link TestStore} of the folder migrates it.
     */
    static Connection schemaBefore(Path file, String script) throws SQLException {
        int before = Migrations.SCRIPTS.indexOf(script);
        Connection c = Database.connect(file);
        try (Statement s = c.createStatement()) {
            for (String earlier : Migrations.SCRIPTS.subList(0, before)) {
                for (String sql : Migrations.statements(Database.resource(earlier))) {
                    s.execute(sql);
                }
            }
            s.execute("PRAGMA user_version=" + before);
            s.execute("INSERT INTO domains (name, created) VALUES ('example.org', 0)");
            s.execute("INSERT INTO accounts (email, domain_id, password_hash, created, password_changed) "
                    + "VALUES ('old@example.org', 1, 'h', 0, 0)");
        }
        return c;
    }

    public long inbox(long accountId) {
        return store.mailbox(accountId, "INBOX").orElseThrow().id();
    }

    @Override
    public void close() {
        store.close();
    }
}
