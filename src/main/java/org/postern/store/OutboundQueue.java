package org.postern.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
    record Envelope(String mailFrom, List<String> recipients, Body body, boolean smtputf8, Long accountId,
                    Options options, Map<String, RecipientDsn> dsn) {
        public Envelope {
            recipients = List.copyOf(recipients);
            if (recipients.isEmpty()) {
                throw new IllegalArgumentException("no recipients");
            }
            options = options == null ? Options.NONE : options;
            dsn = Map.copyOf(dsn);
        }

        /** An envelope without DSN requests and without REQUIRETLS. */
        public Envelope(String mailFrom, List<String> recipients, Body body, boolean smtputf8, Long accountId) {
            this(mailFrom, recipients, body, smtputf8, accountId, Options.NONE, Map.of());
        }

        /** What the sender asked of the notices about one recipient; the defaults when nothing was asked. */
        public RecipientDsn dsn(String recipient) {
            return dsn.getOrDefault(recipient, RecipientDsn.NONE);
        }

        public boolean nullSender() {
            return mailFrom.isEmpty();
        }
    }

    /** RET of MAIL FROM (RFC 3461 §4.3): the whole message or only its header in a failure notice. */
    enum Ret { FULL, HDRS }

    /**
     * The per-message options of MAIL FROM beyond the body type.
     *
     * @param ret        RET (RFC 3461 §4.3), or null when not given
     * @param envid      ENVID (RFC 3461 §4.4), xtext-decoded, or null
     * @param requireTls REQUIRETLS (RFC 8689): relay only over verified TLS to hosts that offer REQUIRETLS
     */
    record Options(Ret ret, String envid, boolean requireTls) {
        public static final Options NONE = new Options(null, null, false);
    }

    /** The notices a sender can ask for per recipient (RFC 3461 §4.1). */
    enum Notify { SUCCESS, FAILURE, DELAY }

    /**
     * NOTIFY and ORCPT of one RCPT TO (RFC 3461 §4.1, §4.2).
     *
     * @param notifications what NOTIFY asks to report; null when NOTIFY was not given, empty for NOTIFY=NEVER
     * @param orcpt  the original recipient as {@code addr-type;address}, xtext-decoded, or null
     */
    record RecipientDsn(Set<Notify> notifications, String orcpt) {
        public static final RecipientDsn NONE = new RecipientDsn(null, null);

        public RecipientDsn {
            notifications = notifications == null ? null : Set.copyOf(notifications);
        }

        /** §4.1: without NOTIFY, failures and delays are reported (the MTA's choice; Postern takes both). */
        public boolean wants(Notify n) {
            return notifications == null ? n != Notify.SUCCESS : notifications.contains(n);
        }

        /** NOTIFY as it goes on the wire, or null when it was not given. */
        public String notifyWord() {
            if (notifications == null) {
                return null;
            }
            if (notifications.isEmpty()) {
                return "NEVER";
            }
            return java.util.Arrays.stream(Notify.values()).filter(notifications::contains).map(Enum::name)
                    .collect(java.util.stream.Collectors.joining(","));
        }

        /** Reads {@link #notifyWord()} back. */
        public static Set<Notify> parseNotify(String word) {
            if (word == null) {
                return null;
            }
            if (word.equals("NEVER")) {
                return Set.of();
            }
            return java.util.Arrays.stream(word.split(",")).map(Notify::valueOf).collect(java.util.stream.Collectors.toSet());
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
