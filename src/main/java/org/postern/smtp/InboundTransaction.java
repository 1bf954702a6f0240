package org.postern.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.postern.delivery.LocalDelivery;
import org.postern.store.Addresses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A transaction on the MX (port 25): mail from anywhere, for this server's domains only. Every
 * address that could make the server pass mail on elsewhere is refused with {@code 550 5.7.1}
 * (an open relay is the one mistake an MX must never make): remote domains, address literals,
 * and local parts that route onwards ({@code %}, {@code !}, or {@code @} inside quotes). A source
 * route is accepted and ignored (RFC 5321 §4.1.1.3, Appendix C), so only the final mailbox counts.
 */
final class InboundTransaction extends MailTransaction {
    private static final Logger log = LoggerFactory.getLogger(InboundTransaction.class);

    InboundTransaction(SmtpServices services, Envelope envelope) {
        super(services, envelope);
    }

    @Override
    void from() {
        // Any sender, the null sender included (bounces); SPF and DMARC come later.
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
                // Nothing to check yet (SPF/DKIM/DMARC come with the outbound work).
            }

            @Override
            public void oversized(String name) {
            }

            @Override
            public String endOfHeader(Set<String> seen) {
                return ""; // an MX passes the message on as it came (RFC 5321 §4.4: only trace fields are added)
            }
        };
    }

    @Override
    Reply store(Path message, long size) throws IOException {
        List<String> addresses = recipients.stream().map(Recipient::address).toList();
        LocalDelivery.Outcome outcome;
        try (InputStream in = Files.newInputStream(message)) {
            outcome = services.delivery().deliver(in, addresses, LocalDelivery.Folder.INBOX);
        }
        for (LocalDelivery.Refused r : outcome.refused()) {
            // The account went away between RCPT and the end of DATA; a bounce needs the outbound client.
            log.warn("[smtp] {} transaction {}: {} refused after RCPT: {}", envelope.connection(), id, r.recipient(), r.reason());
        }
        if (outcome.delivered().isEmpty()) {
            return Replies.noSuchUser(addresses.getFirst(), services.settings().hostname());
        }
        return Reply.of(250, "2.0.0", "OK " + id);
    }
}
