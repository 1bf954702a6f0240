package org.postern.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.store.StoreException;

/** The writer's counters: {@link Database#commits()} counts only commits that happened. */
class DatabaseTest {
    @TempDir
    Path dir;
    Database db;

    @BeforeEach
    void open() {
        db = Database.open(dir.resolve("postern.db"));
        db.write(tx -> Sql.update(tx.connection(), "CREATE TABLE t (x INTEGER)"));
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void aLoneWorkThatFailsIsRolledBackAndCountsAsNoCommit() {
        long commits = db.commits();
        long works = db.committedWorks();
        assertThatThrownBy(() -> db.write(tx -> {
            Sql.update(tx.connection(), "INSERT INTO t VALUES (1)");
            throw new StoreException(StoreException.Kind.NOT_ALLOWED, "no");
        })).isInstanceOf(StoreException.class);
        assertThat(db.commits()).isEqualTo(commits);
        assertThat(db.committedWorks()).isEqualTo(works);
        assertThat(db.<Long>read(c -> Sql.queryLong(c, "SELECT count(*) FROM t", -1))).isZero();

        db.write(tx -> Sql.update(tx.connection(), "INSERT INTO t VALUES (2)"));
        assertThat(db.commits()).isEqualTo(commits + 1);
        assertThat(db.committedWorks()).isEqualTo(works + 1);
    }

    @Test
    void aBatchWithOneFailedWorkIsOneCommitCarryingOnlyTheOthers() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // Holds the writer so that the next two writes wait in its queue and form one batch.
        Thread holder = Thread.ofVirtual().start(() -> db.write(tx -> {
            running.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        running.await();
        long commits = db.commits() + 1; // the holder's own
        long works = db.committedWorks() + 1;
        Thread failing = Thread.ofVirtual().start(() -> {
            try {
                db.write(tx -> {
                    Sql.update(tx.connection(), "INSERT INTO t VALUES (1)");
                    throw new StoreException(StoreException.Kind.NOT_ALLOWED, "no");
                });
            } catch (StoreException expected) {
                // undone to its savepoint
            }
        });
        Thread fine = Thread.ofVirtual().start(() -> db.write(tx -> Sql.update(tx.connection(), "INSERT INTO t VALUES (2)")));
        waitUntilWaiting(failing);
        waitUntilWaiting(fine);
        release.countDown();
        holder.join();
        failing.join();
        fine.join();
        assertThat(db.commits()).isEqualTo(commits + 1);
        assertThat(db.committedWorks()).isEqualTo(works + 1);
        assertThat(db.<Long>read(c -> Sql.queryLong(c, "SELECT group_concat(x) FROM t", -1))).isEqualTo(2);
    }

    /** A thread waiting for the writer has put its work in the queue (put comes before the wait). */
    private static void waitUntilWaiting(Thread t) throws InterruptedException {
        for (int i = 0; i < 5_000 && t.getState() != Thread.State.WAITING; i++) {
            Thread.sleep(1);
        }
        assertThat(t.getState()).isEqualTo(Thread.State.WAITING);
    }
}
