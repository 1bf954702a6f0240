package org.postern.store.sqlite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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

    public long inbox(long accountId) {
        return store.mailbox(accountId, "INBOX").orElseThrow().id();
    }

    @Override
    public void close() {
        store.close();
    }
}
