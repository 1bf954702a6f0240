package org.postern.store;

import java.util.List;
import java.util.Optional;

/**
 * The durable outbound queue: mail for remote recipients (and delivery status notifications),
 * waiting for the delivery engine. Each message refers to its content blob and keeps one state
 * per recipient.
 *
 * <p>{@link #enqueue} returns only once the queue rows are durably committed; the blob must
 * already be durable ({@link BlobStore#put}), so a {@code 250} sent after it is safe
 * (DESIGN.md, Durability). While a queue row refers to a blob, blob garbage collection keeps it.
 *
 * <p>{@link #record} writes an attempt's results, the notices they cause (bounces, delay
 * warnings) and the removal of a finished message in one transaction: a crash leaves either the
 * recipient pending (it is tried again) or its result and its notice both recorded, never a
 * failure without its bounce.
 */
public interface OutboundQueue {

    /** The body type declared with MAIL FROM (RFC 6152 8BITMIME, RFC 3030 BINARYMIME). */
    enum Body { SEVEN_BIT, EIGHT_BIT_MIME, BINARY_MIME }

    /** One recipient's delivery state. */
    enum State { PENDING, DELIVERED, FAILED }

    /**
     * What the outbound client needs to send a message on.
     *
     * @param mailFrom   the reverse-path without angle brackets; empty for the null sender
     * @param recipients forward-paths without angle brackets, at least one
     * @param body       the declared body type
     * @param smtputf8   the message needs SMTPUTF8 at the next hop (RFC 6531)
     * @param accountId  the sending account, or null
     */
    record Envelope(String mailFrom, List<String> recipients, Body body, boolean smtputf8, Long accountId) {
        public Envelope {
            recipients = List.copyOf(recipients);
            if (recipients.isEmpty()) {
                throw new IllegalArgumentException("no recipients");
            }
        }

        public boolean nullSender() {
            return mailFrom.isEmpty();
        }
    }

    record Recipient(String address, State state, int attempts, long nextAttempt, String lastReply) {}

    /**
     * A queued message.
     *
     * @param delayNotified the sender has been told of the delay (once, RFC 3464 action=delayed)
     */
    record Entry(long id, BlobStore.Blob blob, Envelope envelope, long created, long nextAttempt,
                 List<Recipient> recipients, boolean delayNotified) {

        public List<Recipient> pending() {
            return recipients.stream().filter(r -> r.state() == State.PENDING).toList();
        }
    }

    /** A recipient's state after an attempt. */
    record Update(String address, State state, int attempts, long nextAttempt, String lastReply) {}

    /** A message to queue together with an attempt's results: a delivery status notification. */
    record Notice(BlobStore.Blob blob, Envelope envelope) {}

    /**
     * Queues a stored blob for the envelope's recipients, all pending, first attempt at
     * {@code nextAttempt} (epoch ms). Returns the queue id once durably committed.
     */
    long enqueue(BlobStore.Blob blob, Envelope envelope, long nextAttempt);

    /** Every queued message, oldest first. */
    List<Entry> entries();

    /** One queued message. */
    Optional<Entry> entry(long id);

    /** Messages with a pending recipient due at {@code now} (epoch ms) or before, most overdue first. */
    List<Entry> due(long now, int limit);

    /**
     * Records the results of an attempt on message {@code id} and queues {@code notices}, in one
     * durable transaction; {@code delayNotified} marks the delay warning as sent. A message
     * without pending recipients afterwards leaves the queue.
     */
    void record(long id, List<Update> updates, List<Notice> notices, boolean delayNotified, long now);

    /** Makes every pending recipient of a message due at {@code now}; false when there is no such message. */
    boolean retryNow(long id, long now);

    /** Removes a message from the queue without delivering it or telling anyone; false when absent. */
    boolean delete(long id);
}
