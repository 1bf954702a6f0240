package org.postern.smtp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.postern.delivery.CrlfInputStream;
import org.postern.delivery.LocalDelivery;
import org.postern.mime.Address;
import org.postern.mime.Envelope;
import org.postern.store.Addresses;
import org.postern.store.BlobStore;
import org.postern.store.Flags;
import org.postern.store.Mailbox;
import org.postern.smtp.outbound.Bounces;
import org.postern.store.OutboundQueue;
import org.postern.store.SpecialUse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A transaction on submission (587, 465) by an authenticated account (RFC 6409): the envelope
 * sender and every From address must be the account's own or one of its aliases; Date and
 * Message-ID are added when missing (RFC 6409 §8.2-8.3). Local recipients get the message at
 * once, remote ones through the durable outbound queue, DKIM-signed for the From domain with both
 * of its keys, and the sender's Sent mailbox keeps a copy marked \Seen, as Gmail does.
 */
final class SubmissionTransaction extends MailTransaction {
    private static final Logger log = LoggerFactory.getLogger(SubmissionTransaction.class);

    private final List<Addresses.Address> owned = new ArrayList<>();
    /** The domain of the From header: the DKIM signing domain (d=). */
    private String fromDomain;

    SubmissionTransaction(SmtpServices services, org.postern.smtp.Envelope envelope) {
        super(services, envelope);
        String email = envelope.account().email();
        normalised(email).ifPresent(owned::add);
        for (String alias : services.directory().aliases(email)) {
            normalised(alias).ifPresent(owned::add);
        }
    }

    private boolean owns(String address) {
        Optional<Addresses.Address> a = normalised(address);
        return a.isPresent() && owned.contains(a.get());
    }

    @Override
    void from() throws SmtpException {
        MailPath from = envelope.from();
        if (from == null) {
            throw new SmtpException(Replies.NULL_SENDER_SUBMISSION);
        }
        if (from.quoted() || from.addressLiteral() || !owns(from.localPart() + "@" + from.domain())) {
            throw new SmtpException(Replies.senderNotYours(from.address(), services.settings().hostname()));
        }
    }

    @Override
    Recipient check(MailPath to) throws SmtpException {
        String address = to.localPart() + "@" + to.domain();
        Optional<Addresses.Address> parsed = to.addressLiteral() || to.quoted() ? Optional.empty() : Addresses.parse(address);
        boolean local = parsed.isPresent() && services.directory().domain(parsed.get().domain()).isPresent();
        if (!local) {
            return new Recipient(to, to.address(), false); // the route, if any, is ignored (RFC 5321 §4.1.1.3)
        }
        if (services.directory().resolve(address).isEmpty()) {
            throw new SmtpException(Replies.noSuchUser(to.address(), services.settings().hostname()));
        }
        return new Recipient(to, address, true);
    }

    @Override
    HeaderFilter.Inspector inspector() {
        String host = services.settings().hostname();
        return new HeaderFilter.Inspector() {
            @Override
            public void field(String name, String value) throws MessageRefused {
                if (name.equals("from")) {
                    List<Address.Mailbox> from = Envelope.mailboxes(Address.parseList(value));
                    if (from.isEmpty() || !from.stream().allMatch(m -> owns(m.address()))) {
                        throw new MessageRefused(Replies.fromNotYours(host));
                    }
                    String a = from.getFirst().address();
                    fromDomain = a.substring(a.lastIndexOf('@') + 1).toLowerCase(java.util.Locale.ROOT);
                }
            }

            @Override
            public void oversized(String name) throws MessageRefused {
                if ("from".equals(name)) {
                    throw new MessageRefused(Replies.fromNotYours(host));
                }
            }

            @Override
            public String endOfHeader(Set<String> seen) throws MessageRefused {
                if (!seen.contains("from")) {
                    throw new MessageRefused(Reply.of(550, "5.6.0", "The message has no From header field (RFC 5322 §3.6)"));
                }
                StringBuilder add = new StringBuilder();
                if (!seen.contains("date")) {
                    add.append("Date: ").append(TraceFields.date(Instant.now(services.clock()))).append("\r\n");
                }
                if (!seen.contains("message-id")) {
                    add.append("Message-ID: ").append(TraceFields.messageId(host)).append("\r\n");
                }
                return add.toString();
            }
        };
    }

    @Override
    Reply store(Path message, long size) throws IOException {
        List<Recipient> remoteRecipients = recipients.stream().filter(r -> !r.local()).toList();
        List<String> remote = remoteRecipients.stream().map(Recipient::address).toList();
        List<String> local = recipients.stream().filter(Recipient::local).map(Recipient::address).toList();
        long now = services.clock().millis();
        if (!remote.isEmpty()) {
            // DKIM-signed (RFC 6376) as it will go on the wire: CR LF line ends, also for a BDAT message with bare LFs
            String signature = services.signer().sign(fromDomain, wire(message));
            BlobStore.Blob blob;
            try (InputStream in = new SequenceInputStream(new ByteArrayInputStream(signature.getBytes(StandardCharsets.US_ASCII)),
                    wire(message))) {
                blob = services.store().blobs().put(in, services.settings().maxMessageSize() + 2 * SmtpSettings.TRACE_ROOM);
            }
            long queued = services.queue().enqueue(blob, queueEnvelope(remoteRecipients), now);
            log.info("[smtp] {} transaction {}: signed for {} and queued as {} for {} remote recipients", envelope.connection(),
                    id, fromDomain, queued, remote.size());
            services.doorbell().ring();
        }
        if (!local.isEmpty()) {
            LocalDelivery.Outcome outcome;
            try (InputStream in = Files.newInputStream(message)) {
                outcome = services.delivery().deliver(in, local, LocalDelivery.Folder.INBOX);
            }
            notifyLocal(message, outcome.delivered().stream().map(LocalDelivery.Delivered::recipient).toList(),
                    outcome.refused().stream().map(r -> new Bounces.Refused(r.recipient(), r.reason())).toList());
        }
        keepSentCopy(message, now);
        return Reply.of(250, "2.0.0", "OK " + id);
    }

    /** The spooled message as it goes out: binary as it is (BINARYMIME), anything else with CR LF line ends. */
    private InputStream wire(Path message) throws IOException {
        InputStream in = Files.newInputStream(message);
        return envelope.body() == OutboundQueue.Body.BINARY_MIME ? in : new CrlfInputStream(in);
    }

    /** Gmail keeps what an account sends in its Sent mailbox, read; a failure here loses no mail, so it only logs. */
    private void keepSentCopy(Path message, long now) {
        long accountId = envelope.account().id();
        Optional<Mailbox> sent = services.store().mailboxes(accountId).stream()
                .filter(m -> m.specialUse() == SpecialUse.SENT).findFirst();
        if (sent.isEmpty()) {
            log.warn("[smtp] {} transaction {}: {} has no \\Sent mailbox; no copy kept", envelope.connection(), id,
                    envelope.account().email());
            return;
        }
        try (InputStream in = Files.newInputStream(message)) {
            services.delivery().append(sent.get().id(), in, Flags.SEEN, Set.of(), now);
        } catch (IOException | RuntimeException e) {
            log.warn("[smtp] {} transaction {}: cannot keep the Sent copy: {}", envelope.connection(), id, e.getMessage());
        }
    }
}
