package org.postern.smtp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.postern.delivery.LocalDelivery;
import org.postern.smtp.dmarc.InboundChecks;
import org.postern.smtp.outbound.Bounces;
import org.postern.store.Addresses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A transaction on the MX (port 25): mail from anywhere, for this server's domains only. Every
 * address that could make the server pass mail on elsewhere is refused with {@code 550 5.7.1}
 * (an open relay is the one mistake an MX must never make): remote domains, address literals,
 * and local parts that route onwards ({@code %}, {@code !}, or {@code @} inside quotes). A source
 * route is accepted and ignored (RFC 5321 §4.1.1.3, Appendix C), so only the final mailbox counts.
 *
 * <p>SPF, DKIM and DMARC run as the message streams to the spool ({@link InboundChecks}); their
 * verdict goes on top as Authentication-Results, and the sender domain's DMARC policy decides
 * between the INBOX, Junk and a 550 as {@code smtp.dmarc-policy} allows.
 */
final class InboundTransaction extends MailTransaction {
    private static final Logger log = LoggerFactory.getLogger(InboundTransaction.class);

    private final InboundChecks.Message checks;

    InboundTransaction(SmtpServices services, Envelope envelope) {
        super(services, envelope);
        this.checks = services.checks().begin(envelope.remote(), envelope.fromAddress(), envelope.helo());
    }

    @Override
    void from() {
        // Any sender, the null sender included (bounces); SPF is checked with DKIM and DMARC at the end of the data.
    }

    @Override
    Recipient check(MailPath to) throws SmtpException {
        String written = to.address();
        if (to.addressLiteral() || routesOnwards(to.localPart())) {
            throw new SmtpException(Replies.relayDenied(written));
        }
        String address = to.localPart() + "@" + to.domain();
        Optional<Addresses.Address> parsed = Addresses.parse(address);
        if (parsed.isEmpty() || services.directory().domain(parsed.get().domain()).isEmpty()) {
            throw new SmtpException(Replies.relayDenied(written));
        }
        if (services.directory().resolve(address).isEmpty()) {
            throw new SmtpException(Replies.noSuchUser(written, services.settings().hostname()));
        }
        return new Recipient(to, address, true);
    }

    /** The %-hack, UUCP bang paths and quoted {@code "user@elsewhere"}: local parts that name another host. */
    static boolean routesOnwards(String localPart) {
        return localPart.indexOf('%') >= 0 || localPart.indexOf('!') >= 0 || localPart.indexOf('@') >= 0;
    }

    @Override
    HeaderFilter.Inspector inspector() {
        return new HeaderFilter.Inspector() {
            @Override
            public void field(String name, String value) {
                // the raw field goes to the checks, below
            }

            @Override
            public boolean keep(byte[] raw) {
                return checks.field(raw); // a forged Authentication-Results of ours is dropped (RFC 8601 §5)
            }

            @Override
            public void oversized(String name) {
                checks.oversized();
            }

            @Override
            public String endOfHeader(Set<String> seen) {
                return ""; // an MX passes the message on as it came (RFC 5321 §4.4: only trace fields are added)
            }

            @Override
            public OutputStream body() {
                return checks.body(); // the DKIM body hashes, as the body streams to the spool
            }
        };
    }

    @Override
    Reply store(Path message, long size) throws IOException {
        List<String> addresses = recipients.stream().map(Recipient::address).toList();
        InboundChecks.Verdict verdict = checks.finish();
        log.info("[smtp] {} transaction {}: spf={} dkim={} dmarc={} -> {}", envelope.connection(), id,
                verdict.spf().status().word(), verdict.dkim().stream().map(d -> d.status().word()).toList(),
                verdict.dmarc().status().word(), verdict.disposition());
        if (verdict.disposition() == InboundChecks.Disposition.REJECT) { // RFC 7489 §6.7, §10.3
            return Reply.of(550, "5.7.1", "Unauthenticated email from " + verdict.dmarc().fromDomain() + " is not accepted due to "
                    + "the domain's DMARC policy. For more information, go to https://" + services.settings().hostname()
                    + "/help/dmarc");
        }
        LocalDelivery.Folder folder = verdict.disposition() == InboundChecks.Disposition.JUNK
                ? LocalDelivery.Folder.JUNK : LocalDelivery.Folder.INBOX;
        LocalDelivery.Outcome outcome;
        byte[] top = verdict.authenticationResults().getBytes(StandardCharsets.UTF_8);
        try (InputStream in = new SequenceInputStream(new ByteArrayInputStream(top), Files.newInputStream(message))) {
            outcome = services.delivery().deliver(in, addresses, folder);
        }
        for (LocalDelivery.Refused r : outcome.refused()) {
            log.warn("[smtp] {} transaction {}: {} refused after RCPT: {}", envelope.connection(), id, r.recipient(), r.reason());
        }
        if (outcome.delivered().isEmpty()) {
            return Replies.noSuchUser(addresses.getFirst(), services.settings().hostname());
        }
        // An account that went away between RCPT and the end of DATA: the 250 below makes the message ours, so the
        // sender is told (RFC 5321 §6.1), as are those who asked for NOTIFY=SUCCESS (RFC 3461 §5.2.3).
        notifyLocal(message, outcome.delivered().stream().map(LocalDelivery.Delivered::recipient).toList(),
                outcome.refused().stream().map(r -> new Bounces.Refused(r.recipient(), r.reason())).toList());
        return Reply.of(250, "2.0.0", "OK " + id);
    }
}
