package org.postern.smtp.outbound;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.postern.delivery.CrlfInputStream;
import org.postern.store.BlobStore;
import org.postern.store.OutboundQueue;

/**
 * Delivery status notifications (RFC 3464) as the sender asked for them (RFC 3461): built from
 * the original and queued from the null sender, never to the null sender. The delivery engine
 * uses {@link #notice}; the SMTP transactions, which deliver to local mailboxes at once, use
 * {@link #failed} and {@link #delivered}: a recipient whose account went away between RCPT and
 * the end of the data (once {@code 250} is sent the server must tell, RFC 5321 §6.1), and
 * {@code NOTIFY=SUCCESS} for a local delivery (RFC 3461 §5.2.3 "delivered").
 */
public final class Bounces {
    private Bounces() {}

    /** A recipient this server refused after accepting the message, with the reason in plain words. */
    public record Refused(String address, String reason) {}

    /** Opens the original message afresh (it is read once for its header, and again when RET=FULL returns it). */
    public interface Source {
        InputStream open() throws IOException;
    }

    /**
     * Queues a failure notice to the sender of {@code original} for those of {@code refused} whose
     * NOTIFY asks for failures; returns its queue id, or -1 when none is sent.
     */
    public static long failed(OutboundQueue queue, BlobStore blobs, String hostname, OutboundQueue.Envelope original,
                              List<Refused> refused, Source message, Instant arrival, Instant now) throws IOException {
        List<Result> results = refused.stream()
                .filter(r -> original.dsn(r.address()).wants(OutboundQueue.Notify.FAILURE))
                .map(r -> Result.permanent(r.address(), "5.1.1 <" + r.address() + ">: " + r.reason(), null)).toList();
        return queue(queue, notice(blobs, hostname, original, Dsn.Action.FAILED, results, arrival, now, now, message), now);
    }

    /**
     * Queues a "delivered" notice to the sender of {@code original} for those of {@code delivered}
     * (local mailboxes) that asked for NOTIFY=SUCCESS; returns its queue id, or -1 when none is sent.
     */
    public static long delivered(OutboundQueue queue, BlobStore blobs, String hostname, OutboundQueue.Envelope original,
                                 List<String> delivered, Source message, Instant arrival, Instant now) throws IOException {
        List<Result> results = delivered.stream().filter(a -> original.dsn(a).wants(OutboundQueue.Notify.SUCCESS))
                .map(a -> new Result(a, Result.Kind.DELIVERED, "250 2.0.0 delivered to a mailbox of this server", null)).toList();
        return queue(queue, notice(blobs, hostname, original, Dsn.Action.DELIVERED, results, arrival, now, now, message), now);
    }

    private static long queue(OutboundQueue queue, OutboundQueue.Notice n, Instant now) {
        return n == null ? -1 : queue.enqueue(n.blob(), n.envelope(), now.toEpochMilli());
    }

    /**
     * A notice about {@code results}, stored as a blob, with its envelope; null when there is
     * nobody to tell (no results, or the null sender: RFC 5321 §4.5.5, RFC 3461 §6.1).
     *
     * <p>A failure notice returns the whole message when the sender asked for RET=FULL (RFC 3461
     * §4.3), except a message sent with REQUIRETLS (RFC 8689 §5: as if RET=HDRS) or a binary one
     * (message/rfc822 cannot carry it); every other notice returns only the header.
     */
    static OutboundQueue.Notice notice(BlobStore blobs, String hostname, OutboundQueue.Envelope original, Dsn.Action action,
                                       List<Result> results, Instant arrival, Instant now, Instant retryUntil, Source message)
            throws IOException {
        String sender = original.mailFrom();
        if (sender.isEmpty() || results.isEmpty()) {
            return null;
        }
        byte[] header;
        try (InputStream in = new BufferedInputStream(message.open())) {
            header = Dsn.header(in);
        }
        Map<String, String> orcpt = new HashMap<>();
        for (Result r : results) {
            String o = original.dsn(r.address()).orcpt();
            if (o != null) {
                orcpt.put(r.address(), o);
            }
        }
        OutboundQueue.Options options = original.options();
        Dsn.Request request = new Dsn.Request(options.envid(), Collections.unmodifiableMap(orcpt));
        boolean full = action == Dsn.Action.FAILED && options.ret() == OutboundQueue.Ret.FULL && !options.requireTls()
                && original.body() != OutboundQueue.Body.BINARY_MIME;
        BlobStore.Blob blob;
        if (full) {
            Dsn.Frame f = Dsn.frame(hostname, sender, action, results, arrival, now, retryUntil, request,
                    !Dsn.isAscii(header), true);
            try (InputStream whole = message.open();
                 InputStream in = new SequenceInputStream(java.util.Collections.enumeration(List.of(
                         new ByteArrayInputStream(f.head()), new CrlfInputStream(whole), new ByteArrayInputStream(f.tail()))))) {
                blob = blobs.put(in, Long.MAX_VALUE); // bounded by the original, which the queue or the spool holds
            }
        } else {
            blob = blobs.put(Dsn.build(hostname, sender, action, results, arrival, now, retryUntil, request, header));
        }
        return new OutboundQueue.Notice(blob, envelope(sender, options.requireTls()));
    }

    /**
     * The envelope of a notice: from the null sender (RFC 3464 §2), SMTPUTF8 when the address needs
     * it (RFC 6533), and with REQUIRETLS when the original had it, so that the original's header
     * it returns is not relayed in the clear either.
     */
    static OutboundQueue.Envelope envelope(String sender, boolean requireTls) {
        boolean utf8 = sender.chars().anyMatch(c -> c >= 0x80);
        return new OutboundQueue.Envelope("", List.of(sender), OutboundQueue.Body.EIGHT_BIT_MIME, utf8, null,
                new OutboundQueue.Options(null, null, requireTls), Map.of());
    }
}
