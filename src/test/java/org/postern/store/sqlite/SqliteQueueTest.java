package org.postern.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.store.BlobStore;
import org.postern.store.MailStore.Added;
import org.postern.store.MessageData;
import org.postern.store.OutboundQueue;
import org.postern.store.StoreException;

/** The outbound queue (schema 003): durable rows that survive a reopen, and blobs kept from garbage collection. */
class SqliteQueueTest {
    @TempDir
    Path dir;

    @Test
    void queuedMessagesSurviveAReopenWithTheirEnvelopeAndPerRecipientState() throws Exception {
        BlobStore.Blob blob;
        long id;
        try (TestStore t = new TestStore(dir)) {
            SqliteQueue q = new SqliteQueue(t.db, t.blobs, Clock.systemUTC());
            blob = t.blobs.put("Subject: out\r\n\r\nx\r\n".getBytes());
            long accountId = t.directory.addAccount("alice@postern.test", "x").id();
            id = q.enqueue(blob, new OutboundQueue.Envelope("alice@postern.test", List.of("a@remote.example", "b@other.example"),
                    OutboundQueue.Body.BINARY_MIME, true, accountId), 1234);
        }
        try (TestStore t = new TestStore(dir)) {
            List<OutboundQueue.Entry> entries = new SqliteQueue(t.db, t.blobs, Clock.systemUTC()).entries();
            assertThat(entries).hasSize(1);
            OutboundQueue.Entry e = entries.getFirst();
            assertThat(e.id()).isEqualTo(id);
            assertThat(e.blob()).isEqualTo(blob);
            assertThat(e.nextAttempt()).isEqualTo(1234);
            assertThat(e.envelope().mailFrom()).isEqualTo("alice@postern.test");
            assertThat(e.envelope().body()).isEqualTo(OutboundQueue.Body.BINARY_MIME);
            assertThat(e.envelope().smtputf8()).isTrue();
            assertThat(e.recipients()).extracting(OutboundQueue.Recipient::address).containsExactly("a@remote.example", "b@other.example");
            assertThat(e.recipients()).allMatch(r -> r.state() == OutboundQueue.State.PENDING && r.nextAttempt() == 1234
                    && r.lastReply() == null);
        }
    }

    @Test
    void dsnRequestsAndRequireTlsSurviveAReopen() throws Exception {
        try (TestStore t = new TestStore(dir)) {
            SqliteQueue q = new SqliteQueue(t.db, t.blobs, Clock.systemUTC());
            BlobStore.Blob blob = t.blobs.put("Subject: dsn\r\n\r\nx\r\n".getBytes());
            q.enqueue(blob, new OutboundQueue.Envelope("a@postern.test", List.of("a@remote.example", "b@remote.example",
                    "c@remote.example"), OutboundQueue.Body.SEVEN_BIT, false, null,
                    new OutboundQueue.Options(OutboundQueue.Ret.HDRS, "QQ314159 +x", true), Map.of(
                    "a@remote.example", new OutboundQueue.RecipientDsn(Set.of(OutboundQueue.Notify.SUCCESS,
                            OutboundQueue.Notify.FAILURE), "rfc822;Alias@remote.example"),
                    "b@remote.example", new OutboundQueue.RecipientDsn(Set.of(), null))), 0);
        }
        try (TestStore t = new TestStore(dir)) {
            OutboundQueue.Envelope e = new SqliteQueue(t.db, t.blobs, Clock.systemUTC()).entries().getFirst().envelope();
            assertThat(e.options()).isEqualTo(new OutboundQueue.Options(OutboundQueue.Ret.HDRS, "QQ314159 +x", true));
            assertThat(e.dsn("a@remote.example").notifyWord()).isEqualTo("SUCCESS,FAILURE");
            assertThat(e.dsn("a@remote.example").orcpt()).isEqualTo("rfc822;Alias@remote.example");
            assertThat(e.dsn("b@remote.example").notifyWord()).isEqualTo("NEVER");
            assertThat(e.dsn("b@remote.example").wants(OutboundQueue.Notify.FAILURE)).isFalse();
            assertThat(e.dsn("c@remote.example")).isEqualTo(OutboundQueue.RecipientDsn.NONE);
            assertThat(e.dsn("c@remote.example").wants(OutboundQueue.Notify.DELAY)).isTrue();
            assertThat(e.dsn("c@remote.example").wants(OutboundQueue.Notify.SUCCESS)).isFalse();
        }
    }

    @Test
    void aBlobAQueueRowRefersToIsNotCollectedWhenItsLastMessageGoes() throws Exception {
        try (TestStore t = new TestStore(dir)) {
            SqliteQueue q = new SqliteQueue(t.db, t.blobs, Clock.systemUTC());
            long alice = t.directory.addAccount("alice@postern.test", "x").id();
            MessageData m = t.message("Subject: both\r\n\r\nsent and queued\r\n");
            Added a = t.store.append(t.inbox(alice), m, 0, Set.of());
            q.enqueue(new BlobStore.Blob(m.blob(), m.size()),
                    new OutboundQueue.Envelope("", List.of("x@remote.example"), OutboundQueue.Body.SEVEN_BIT, false, null), 0);
            t.store.expunge(t.inbox(alice), new long[] {a.uid()});
            assertThat(t.store.collectGarbage(Duration.ofMillis(-1))).isZero();
            assertThat(t.blobs.exists(m.blob())).isTrue();
        }
    }

    @Test
    void aBlobThatIsGoneCannotBeQueued() {
        try (TestStore t = new TestStore(dir)) {
            SqliteQueue q = new SqliteQueue(t.db, t.blobs, Clock.systemUTC());
            assertThatThrownBy(() -> q.enqueue(new BlobStore.Blob("ab".repeat(32), 1),
                    new OutboundQueue.Envelope("", List.of("x@remote.example"), OutboundQueue.Body.SEVEN_BIT, false, null), 0))
                    .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.temporary()).isTrue());
            assertThat(q.entries()).isEmpty();
        }
    }
}
