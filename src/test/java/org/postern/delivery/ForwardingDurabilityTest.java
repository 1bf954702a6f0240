package org.postern.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postern.store.Flags;
import org.postern.store.Mailbox;
import org.postern.store.OutboundQueue;
import org.postern.store.PopSettings;
import org.postern.store.SpecialUse;
import org.postern.store.StoreException;
import org.postern.store.StoredMessage;
import org.postern.store.sqlite.SqliteQueue;
import org.postern.store.sqlite.TestStore;

/**
 * A forward is never lost and never queued twice (DESIGN.md, Durability): the delivery of a
 * message and the queue entry of its forward are one transaction. Proven with a fault injected
 * between the two writes (the queue insert fails after the message rows were written), and with a
 * process killed at random moments while it delivers forwarded mail.
 */
@Timeout(300)
class ForwardingDurabilityTest {
    static final String ALICE = "alice@example.org";
    static final String FAR = "far@example.net";

    @TempDir
    Path dir;

    private static long setUpForwarding(TestStore t, String to, PopSettings.AfterDownload keep) {
        long id = t.directory.account(ALICE).orElseGet(() -> t.directory.addAccount(ALICE, "x")).id();
        t.directory.requestForwarding(id, to, "token-" + to);
        assertThat(t.directory.confirmForwarding("token-" + to, 60_000)).isPresent();
        t.directory.setForwarding(id, to, keep);
        return id;
    }

    private static byte[] message(String subject) {
        return ("From: someone@example.com\r\nTo: " + ALICE + "\r\nSubject: " + subject + "\r\nMessage-ID: <" + subject
                + "@durability.test>\r\n\r\nhello\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aFaultBetweenStoringAndQueueingCommitsNeitherAndTheRetryQueuesTheForwardOnce() throws Exception {
        try (TestStore t = new TestStore(dir)) {
            long alice = setUpForwarding(t, FAR, PopSettings.AfterDownload.KEEP);
            SqliteQueue queue = new SqliteQueue(t.db, t.blobs, Clock.systemUTC());
            LocalDelivery delivery = new LocalDelivery(t.store, t.directory, Clock.systemUTC(), 1 << 20, queue);
            // The fault: the writer's queue insert fails, after the message and its INBOX row were written.
            t.db.write(tx -> {
                try (Statement s = tx.connection().createStatement()) {
                    s.execute("CREATE TEMP TRIGGER fail_queue BEFORE INSERT ON main.queue_messages "
                            + "BEGIN SELECT RAISE(ABORT, 'injected fault: the queue cannot be written'); END");
                }
                return null;
            });
            assertThatThrownBy(() -> delivery.deliver(new ByteArrayInputStream(message("first")), List.of(ALICE),
                    LocalDelivery.Folder.INBOX)).isInstanceOf(StoreException.class);
            long inbox = t.inbox(alice);
            assertThat(t.store.messages(inbox)).as("not acknowledged, so not stored either").isEmpty();
            assertThat(queue.entries()).isEmpty();

            t.db.write(tx -> {
                try (Statement s = tx.connection().createStatement()) {
                    s.execute("DROP TRIGGER temp.fail_queue");
                }
                return null;
            });
            // The sender tries again.
            delivery.deliver(new ByteArrayInputStream(message("first")), List.of(ALICE), LocalDelivery.Folder.INBOX);
            List<StoredMessage> stored = t.store.messages(inbox);
            assertThat(stored).hasSize(1);
            List<OutboundQueue.Entry> queued = queue.entries();
            assertThat(queued).hasSize(1);
            assertThat(queued.getFirst().blob().sha256()).isEqualTo(stored.getFirst().blob());
            assertThat(queued.getFirst().envelope().recipients()).containsExactly(FAR);
            assertThat(queued.getFirst().envelope().mailFrom()).isEqualTo(ALICE);
        }
    }

    @Test
    void posternsCopyIsKeptMarkedReadArchivedOrTrashedWithTheForwardQueuedOnce() throws Exception {
        try (TestStore t = new TestStore(dir)) {
            SqliteQueue queue = new SqliteQueue(t.db, t.blobs, Clock.systemUTC());
            LocalDelivery delivery = new LocalDelivery(t.store, t.directory, Clock.systemUTC(), 1 << 20, queue);
            long alice = setUpForwarding(t, FAR, PopSettings.AfterDownload.KEEP);
            Map<SpecialUse, Long> boxes = t.store.mailboxes(alice).stream().filter(m -> m.specialUse() != null)
                    .collect(Collectors.toMap(Mailbox::specialUse, Mailbox::id, (a, b) -> a));
            long inbox = t.inbox(alice);
            record Case(PopSettings.AfterDownload keep, long mailbox, boolean seen) {}
            List<Case> cases = List.of(new Case(PopSettings.AfterDownload.KEEP, inbox, false),
                    new Case(PopSettings.AfterDownload.READ, inbox, true),
                    new Case(PopSettings.AfterDownload.ARCHIVE, boxes.get(SpecialUse.ARCHIVE), false),
                    new Case(PopSettings.AfterDownload.TRASH, boxes.get(SpecialUse.TRASH), false));
            for (Case c : cases) {
                t.directory.setForwarding(alice, FAR, c.keep());
                String subject = "keep-" + c.keep().word();
                var outcome = delivery.deliver(new ByteArrayInputStream(message(subject)), List.of(ALICE), LocalDelivery.Folder.INBOX);
                assertThat(outcome.delivered().getFirst().added().mailboxId()).as(subject).isEqualTo(c.mailbox());
                StoredMessage m = t.store.messages(c.mailbox()).getLast();
                assertThat((m.flags() & Flags.SEEN) != 0).as(subject + ": seen").isEqualTo(c.seen());
                assertThat(queue.entries().stream().filter(e -> e.blob().sha256().equals(m.blob()))).as(subject).hasSize(1);
            }
            assertThat(t.store.messages(inbox)).hasSize(2);
            assertThat(queue.entries()).hasSize(4);

            // Forwarding to a local account: one copy there, in the same transaction, and nothing queued.
            long bob = t.directory.addAccount("bob@example.org", "x").id();
            setUpForwarding(t, "bob@example.org", PopSettings.AfterDownload.ARCHIVE);
            delivery.deliver(new ByteArrayInputStream(message("to-bob")), List.of(ALICE, "bob@example.org"), LocalDelivery.Folder.INBOX);
            assertThat(t.store.messages(t.inbox(bob))).as("bob got it once, not once more as a forward").hasSize(1);
            assertThat(queue.entries()).hasSize(4);
            // Spam is not forwarded.
            delivery.deliver(new ByteArrayInputStream(message("spam")), List.of(ALICE), LocalDelivery.Folder.JUNK);
            assertThat(t.store.messages(t.inbox(bob))).hasSize(1);
        }
    }

    @Test
    void killedDeliveriesOfForwardedMailQueueEachForwardExactlyOnce() throws Exception {
        try (TestStore t = new TestStore(dir)) {
            setUpForwarding(t, FAR, PopSettings.AfterDownload.KEEP);
        }
        Random random = new Random(20261126);
        AcknowledgedMail acknowledged = new AcknowledgedMail(dir, ALICE);
        for (int round = 1; round <= 6; round++) {
            Set<String> acks = DeliveryLoopMain.runUntilKilled(random, dir.toString(), "f" + round, ALICE, "queue");
            acknowledged.add(acks);
            acknowledged.verify(round);
            try (TestStore t = new TestStore(dir)) {
                long inbox = t.inbox(t.directory.account(ALICE).orElseThrow().id());
                Set<String> stored = t.store.messages(inbox).stream().map(StoredMessage::blob).collect(Collectors.toSet());
                Map<String, Long> queued = new SqliteQueue(t.db, t.blobs, Clock.systemUTC()).entries().stream()
                        .collect(Collectors.groupingBy(e -> e.blob().sha256(), Collectors.counting()));
                assertThat(queued.keySet()).as("round %d: every stored message has its forward queued, and only those", round)
                        .isEqualTo(stored);
                assertThat(queued.values()).as("round %d: no forward is queued twice", round).allMatch(n -> n == 1);
            }
        }
        assertThat(acknowledged.count()).isGreaterThan(6);
    }
}
