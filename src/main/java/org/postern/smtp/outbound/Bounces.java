package org.postern.smtp.outbound;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import org.postern.store.BlobStore;
import org.postern.store.OutboundQueue;

/**
 * Failure notices for mail this server accepted and then could not deliver itself: a recipient
 * whose account went away between RCPT and the end of the data. Once {@code 250} is sent, the
 * server owns the message and must tell the sender (RFC 5321 §6.1), with the null sender and
 * never to the null sender.
 */
public final class Bounces {
    private Bounces() {}

    /** A recipient this server refused after accepting the message, with the reason in plain words. */
    public record Refused(String address, String reason) {}

    /**
     * Queues one RFC 3464 notice to {@code sender} for {@code refused}; returns its queue id, or
     * -1 when the sender is the null sender (then nothing is sent).
     *
     * @param message the message as accepted, for its header
     */
    public static long queue(OutboundQueue queue, BlobStore blobs, String hostname, String sender, List<Refused> refused,
                             InputStream message, Instant arrival, Instant now) throws IOException {
        if (sender.isEmpty() || refused.isEmpty()) {
            return -1;
        }
        List<Result> results = refused.stream()
                .map(r -> Result.permanent(r.address(), "5.1.1 <" + r.address() + ">: " + r.reason(), null)).toList();
        byte[] dsn = Dsn.build(hostname, sender, Dsn.Action.FAILED, results, arrival, now, now, Dsn.header(message));
        return queue.enqueue(blobs.put(dsn), envelope(sender), now.toEpochMilli());
    }

    /** The envelope of a notice: from the null sender (RFC 3464 §2), SMTPUTF8 when the address needs it (RFC 6533). */
    static OutboundQueue.Envelope envelope(String sender) {
        boolean utf8 = sender.chars().anyMatch(c -> c >= 0x80);
        return new OutboundQueue.Envelope("", List.of(sender), OutboundQueue.Body.EIGHT_BIT_MIME, utf8, null);
    }
}
