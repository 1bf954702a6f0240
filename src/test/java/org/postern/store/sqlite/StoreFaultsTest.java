package org.postern.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.store.BlobStore;
import org.postern.store.MessageData;
import org.postern.store.StoreException;

/** Faults of the issue: a database locked by another process, a full disk, a missing blob. */
class StoreFaultsTest {
    @TempDir
    Path dir;
    TestStore t;
    long inbox;

    @BeforeEach
    void open() {
        t = new TestStore(dir);
        inbox = t.inbox(t.directory.addAccount("alice@example.org", "x").id());
    }

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void aDatabaseLockedByAnotherProcessGivesATemporaryErrorAndThenRecovers() throws Exception {
        MessageData m = t.message("while locked");
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("postern.db"));
             Statement s = other.createStatement()) {
            s.execute("BEGIN EXCLUSIVE");
            assertThatThrownBy(() -> t.store.append(inbox, m, 0, Set.of()))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("locked by another process")
                    .matches(e -> ((StoreException) e).temporary());
            // Reads still work while another process writes (WAL).
            assertThat(t.store.messages(inbox)).isEmpty();
            s.execute("ROLLBACK");
        }
        assertThat(t.store.append(inbox, m, 0, Set.of()).uid()).isEqualTo(1);
    }

    @Test
    void aFullDiskGivesATemporaryErrorCommitsNothingAndThenRecovers() throws Exception {
        t.store.append(inbox, t.message("before"), 0, Set.of());
        long pages = t.db.write(tx -> Sql.queryLong(tx.connection(), "PRAGMA page_count", 0));
        // SQLite answers SQLITE_FULL exactly as on a full disk once max_page_count is reached.
        t.db.write(tx -> {
            try (Statement s = tx.connection().createStatement()) {
                s.execute("PRAGMA max_page_count=" + pages);
            }
            return null;
        });
        MessageData big = new MessageData(t.message("x").blob(), 1, 0, null, "s".repeat(200_000), null, null, new byte[300_000]);
        assertThatThrownBy(() -> t.store.append(inbox, big, 0, Set.of()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("disk is full")
                .matches(e -> ((StoreException) e).temporary());
        assertThat(t.store.messages(inbox)).hasSize(1);
        assertThat(t.store.mailbox(inbox).uidNext()).isEqualTo(2);
        t.db.write(tx -> {
            try (Statement s = tx.connection().createStatement()) {
                s.execute("PRAGMA max_page_count=1073741823");
            }
            return null;
        });
        assertThat(t.store.append(inbox, big, 0, Set.of()).uid()).isEqualTo(2);
    }

    @Test
    void aMissingBlobIsATemporaryErrorNamingTheFile() throws Exception {
        t.store.append(inbox, t.message("soon missing"), 0, Set.of());
        String blob = t.store.messages(inbox).getFirst().blob();
        Files.delete(t.blobs.path(blob));
        assertThatThrownBy(() -> t.blobs.open(blob))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("message file missing").hasMessageContaining(blob)
                .matches(e -> ((StoreException) e).temporary());
    }

    @Test
    void aBlobWriteThatFailsLeavesNoFileBehind() throws Exception {
        java.io.InputStream failing = new java.io.InputStream() {
            int n;

            @Override
            public int read() throws java.io.IOException {
                if (n++ > 100_000) {
                    throw new java.io.IOException("connection reset");
                }
                return 'x';
            }
        };
        assertThatThrownBy(() -> t.blobs.put(failing, Long.MAX_VALUE)).hasMessageContaining("connection reset");
        try (var files = Files.walk(t.blobs.root())) {
            assertThat(files.filter(Files::isRegularFile).filter(p -> !p.endsWith(BlobStore.FLAT_MARKER)).toList()).isEmpty();
        }
    }
}
