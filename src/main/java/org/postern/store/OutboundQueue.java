package org.postern.store;

import java.util.List;

/**
 * The durable outbound queue: submitted mail for remote recipients, waiting for the outbound
 * client. Each message refers to its content blob and keeps one state per recipient.
 *
 * <p>{@link #enqueue} returns only once the queue rows are durably committed; the blob must
 * already be durable ({@link BlobStore#put}), so a {@code 250} sent after it is safe
 * (DESIGN.md, Durability). While a queue row refers to a blob, blob garbage collection keeps it.
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
    }

    record Recipient(String address, State state, int attempts, long nextAttempt, String lastReply) {}

    record Entry(long id, BlobStore.Blob blob, Envelope envelope, long created, long nextAttempt,
                 List<Recipient> recipients) {}

    /**
     * Queues a stored blob for the envelope's recipients, all pending, first attempt at
     * {@code nextAttempt} (epoch ms). Returns the queue id once durably committed.
     */
    long enqueue(BlobStore.Blob blob, Envelope envelope, long nextAttempt);

    /** Every queued message, oldest first. */
    List<Entry> entries();

    /** Makes every pending recipient of a message due at {@code now}; false when there is no such message. */
    boolean retryNow(long id, long now);

    /** Removes a message from the queue without delivering it or telling anyone; false when absent. */
    boolean delete(long id);
}
