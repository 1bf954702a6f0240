package org.postern.smtp;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postern.delivery.LocalDelivery;
import org.postern.smtp.outbound.Bounces;
import org.postern.store.Addresses;
import org.postern.store.OutboundQueue;
import org.postern.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One mail transaction, from MAIL FROM to the final reply: SubEthaSMTP's handler object
 * ({@code from}, {@code recipient}, {@code data(InputStream)}, {@code done}). The session makes
 * one per MAIL command, feeds it, and closes it; it never outlives its transaction.
 *
 * <p>{@link #data} spools the message to a file (never the heap) through a {@link HeaderFilter};
 * {@link #done} stores it durably and only then returns the {@code 250}. {@link #close} removes
 * every temporary file, whatever happened.
 */
abstract sealed class MailTransaction implements AutoCloseable permits InboundTransaction, SubmissionTransaction {
    private static final Logger log = LoggerFactory.getLogger(MailTransaction.class);

    protected final SmtpServices services;
    protected final Envelope envelope;
    protected final String id = TraceFields.transactionId();
    protected final List<Recipient> recipients = new ArrayList<>();
    private boolean recipientTried;
    private Path spool;
    private long size = -1;
    private Path chunks;
    private OutputStream chunkOut;
    private long chunkBytes;
    private Reply chunkFailure;

    MailTransaction(SmtpServices services, Envelope envelope) {
        this.services = services;
        this.envelope = envelope;
    }

    Envelope envelope() {
        return envelope;
    }

    List<Recipient> recipients() {
        return List.copyOf(recipients);
    }

    /** The queue's view of this transaction for {@code which} recipients: what queued mail and its notices need. */
    final OutboundQueue.Envelope queueEnvelope(List<Recipient> which) {
        return new OutboundQueue.Envelope(envelope.fromAddress(), which.stream().map(Recipient::address).toList(),
                envelope.body(), envelope.smtputf8(), envelope.account() == null ? null : envelope.account().id(),
                envelope.options(), dsn(which));
    }

    /**
     * Tells the sender, as NOTIFY asked (RFC 3461 §5.2.3), of the recipients just delivered into
     * local mailboxes and of those refused after the message was accepted (RFC 5321 §6.1). The
     * notices are queued before the {@code 250}, so a crash cannot lose them.
     */
    final void notifyLocal(Path message, List<String> delivered, List<Bounces.Refused> refused) throws IOException {
        if (recipients.isEmpty() || envelope.from() == null) {
            return; // never a notice to the null sender
        }
        OutboundQueue.Envelope original = queueEnvelope(recipients);
        java.time.Instant now = services.clock().instant();
        long a = Bounces.delivered(services.queue(), services.store().blobs(), services.settings().hostname(), original,
                delivered, () -> Files.newInputStream(message), now, now);
        long b = Bounces.failed(services.queue(), services.store().blobs(), services.settings().hostname(), original,
                refused, () -> Files.newInputStream(message), now, now);
        if (a > 0 || b > 0) {
            services.doorbell().ring();
        }
    }

    /** NOTIFY and ORCPT of the recipients that asked for something, by delivery address. */
    final java.util.Map<String, OutboundQueue.RecipientDsn> dsn(List<Recipient> which) {
        java.util.Map<String, OutboundQueue.RecipientDsn> out = new java.util.HashMap<>();
        for (Recipient r : which) {
            if (!r.dsn().equals(OutboundQueue.RecipientDsn.NONE)) {
                out.put(r.address(), r.dsn());
            }
        }
        return out;
    }

    /** Whether RCPT was tried at all (DATA then says "no valid recipients" rather than "need RCPT"). */
    boolean recipientTried() {
        return recipientTried;
    }

    /** Notes an RCPT that failed before it reached this transaction (a syntax error). */
    void rcptAttempted() {
        recipientTried = true;
    }

    /** Checks the reverse-path of MAIL FROM; throws the refusal. */
    abstract void from() throws SmtpException;

    /** Checks a forward-path; returns the recipient to add, or throws the refusal. */
    abstract Recipient check(MailPath to) throws SmtpException;

    /** Looks at the header while the message streams to the spool. */
    abstract HeaderFilter.Inspector inspector();

    /** Stores the spooled message durably for every recipient; the reply is the transaction's last. */
    abstract Reply store(Path message, long size) throws IOException, SmtpException;

    final void recipient(MailPath to, OutboundQueue.RecipientDsn dsn) throws SmtpException {
        recipientTried = true;
        Recipient r = check(to).with(dsn);
        // The same address twice is accepted once: one copy per mailbox, one queue row per address.
        if (recipients.stream().noneMatch(x -> x.address().equalsIgnoreCase(r.address()))) {
            recipients.add(r);
        }
    }

    /** Spools the message; a refusal found in it ({@link MessageRefused}) comes out as thrown. */
    final void data(InputStream message) throws IOException {
        spool = Files.createTempFile(services.settings().spoolDir(), "smtp-", ".eml");
        String received = TraceFields.received(envelope, services.settings().hostname(), id, recipients,
                Instant.now(services.clock()));
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(spool), 64 * 1024)) {
            HeaderFilter filter = new HeaderFilter(file, received, inspector());
            message.transferTo(filter);
            filter.finish();
        }
        size = Files.size(spool);
        if (size > services.settings().maxMessageSize() + SmtpSettings.TRACE_ROOM) {
            throw new MessageRefused(Replies.MESSAGE_TOO_BIG);
        }
    }

    /** Stores what {@link #data} spooled; the 250 comes back only once it is durable. */
    final Reply done() {
        if (size < 0) {
            throw new IllegalStateException("done() before data()");
        }
        try {
            return store(spool, size);
        } catch (SmtpException e) {
            return e.reply();
        } catch (LocalDelivery.TooLarge e) {
            return Replies.MESSAGE_TOO_BIG;
        } catch (IOException | StoreException e) {
            log.warn("[smtp] {} transaction {}: cannot store the message: {}", envelope.connection(), id, e.getMessage());
            return Replies.TEMPORARY;
        } catch (RuntimeException e) {
            log.error("[smtp] {} transaction {}: storing failed", envelope.connection(), id, e);
            return Replies.TEMPORARY; // the client keeps the message and tries again
        }
    }

    // ---- BDAT (RFC 3030): the chunks wait in their own file until LAST, then go through data()

    /** Where the next BDAT chunk goes; the session reads exactly the chunk's bytes into it. */
    final OutputStream chunkSink(long chunkSize) throws IOException {
        if (chunkOut == null) {
            chunks = Files.createTempFile(services.settings().spoolDir(), "bdat-", ".part");
            chunkOut = new BufferedOutputStream(Files.newOutputStream(chunks), 64 * 1024);
        }
        chunkBytes += chunkSize;
        return chunkOut;
    }

    /** Bytes of BDAT received so far (also those refused). */
    final long chunkBytes() {
        return chunkBytes;
    }

    final boolean inChunks() {
        return chunks != null || chunkFailure != null;
    }

    final Optional<Reply> chunkFailure() {
        return Optional.ofNullable(chunkFailure);
    }

    final void failChunks(Reply r, long discarded) {
        chunkFailure = r;
        chunkBytes += discarded;
    }

    /** After BDAT LAST: the chunks, as one message, through {@link #data}. */
    final void chunksComplete() throws IOException {
        chunkOut.close();
        chunkOut = null;
        try (InputStream in = Files.newInputStream(chunks)) {
            data(in);
        }
    }

    /** The addresses an account may use: its own and its aliases, +tags removed, as Addresses compares them. */
    static Optional<Addresses.Address> normalised(String address) {
        return Addresses.parse(address).map(Addresses::withoutTag)
                .map(a -> new Addresses.Address(a.local().toLowerCase(java.util.Locale.ROOT), a.domain()));
    }

    @Override
    public void close() {
        try {
            if (chunkOut != null) {
                chunkOut.close();
            }
        } catch (IOException ignored) {
            // removed below anyway
        }
        delete(chunks);
        delete(spool);
    }

    private void delete(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            log.warn("[smtp] cannot remove the temporary file {}: {}", p, e.getMessage());
        }
    }
}
