package org.postern.smtp.dmarc;

import java.io.OutputStream;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.postern.dns.Dns;
import org.postern.mime.Address;
import org.postern.smtp.dkim.DkimResult;
import org.postern.smtp.dkim.DkimVerifier;
import org.postern.smtp.dkim.HeaderField;
import org.postern.smtp.spf.Spf;
import org.postern.smtp.spf.SpfResult;

/**
 * SPF, DKIM and DMARC for mail arriving on the MX, and what to do with it. One instance per
 * server; one {@link Message} per transaction.
 */
public final class InboundChecks {
    /** How much header is kept for DKIM; a larger header gets DKIM permerror. */
    static final int MAX_HEADER_BYTES = 1 << 20;

    /** {@code smtp.dmarc-policy}: how far a sender domain's DMARC policy is followed. */
    public enum Mode { HONOUR, QUARANTINE_ONLY, IGNORE }

    /** What becomes of the message. */
    public enum Disposition { INBOX, JUNK, REJECT }

    /** The outcome: the Authentication-Results field to put on top, and where the message goes. */
    public record Verdict(String authenticationResults, Disposition disposition, SpfResult spf, List<DkimResult> dkim,
                          DmarcResult dmarc) {}

    private final String hostname;
    private final Spf spf;
    private final DkimVerifier dkim;
    private final Dmarc dmarc;
    private final Mode mode;

    public InboundChecks(String hostname, Dns dns, java.time.Clock clock, Mode mode) {
        this.hostname = hostname;
        this.spf = new Spf(dns);
        this.dkim = new DkimVerifier(dns, clock);
        this.dmarc = new Dmarc(dns, () -> ThreadLocalRandom.current().nextInt(100));
        this.mode = mode;
    }

    public static Mode mode(String word) {
        return switch (word.toLowerCase(Locale.ROOT)) {
            case "honour", "honor" -> Mode.HONOUR;
            case "quarantine-only" -> Mode.QUARANTINE_ONLY;
            case "ignore" -> Mode.IGNORE;
            default -> throw new IllegalArgumentException("dmarc policy mode " + word);
        };
    }

    public Message begin(InetAddress client, String mailFrom, String helo) {
        return new Message(client, mailFrom, helo);
    }

    /** One message's checks, fed as it is spooled. */
    public final class Message {
        private final InetAddress client;
        private final String mailFrom;
        private final String helo;
        private final List<HeaderField> fields = new ArrayList<>();
        private final List<String> fromDomains = new ArrayList<>();
        private int headerBytes;
        private boolean headerTooLarge;
        private DkimVerifier.Pending pending;

        private Message(InetAddress client, String mailFrom, String helo) {
            this.client = client;
            this.mailFrom = mailFrom;
            this.helo = helo == null ? "" : helo;
        }

        /**
         * A header field as received. Returns false when it must not be passed on: an
         * Authentication-Results field that claims to come from this server (RFC 8601 §5).
         */
        public boolean field(byte[] raw) {
            HeaderField f = HeaderField.of(raw);
            headerBytes += raw.length;
            if (headerBytes > MAX_HEADER_BYTES) {
                headerTooLarge = true;
            } else {
                fields.add(f);
            }
            if (f.name().equals("from")) {
                for (Address.Mailbox m : org.postern.mime.Envelope.mailboxes(Address.parseList(f.value()))) {
                    String a = m.address();
                    fromDomains.add(a.substring(a.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT));
                }
            }
            return !(f.name().equals("authentication-results") && AuthenticationResults.authservId(f.value()).equals(hostname));
        }

        /** A field too long to be shown whole (see the package invariants). */
        public void oversized() {
            headerTooLarge = true;
        }

        /** The header is complete; the body goes to the stream returned. */
        public OutputStream body() {
            pending = dkim.begin(fields);
            return pending.body();
        }

        public Verdict finish() {
            if (pending == null) {
                body();
            }
            SpfResult s = spf.check(client, mailFrom, helo);
            List<DkimResult> d = pending.finish();
            if (headerTooLarge) {
                d = List.of(new DkimResult(DkimResult.Status.PERMERROR, null, null, null, null,
                        "a header field is too long to check"));
            }
            DmarcResult m;
            if (fromDomains.stream().distinct().count() > 1) {
                m = new DmarcResult(DmarcResult.Status.PERMERROR, null, null, DmarcResult.Action.DELIVER,
                        "more than one From domain");
            } else {
                m = dmarc.evaluate(fromDomains.isEmpty() ? null : fromDomains.getFirst(), s, d);
            }
            Disposition disposition = switch (m.action()) {
                case DELIVER -> Disposition.INBOX;
                case QUARANTINE -> mode == Mode.IGNORE ? Disposition.INBOX : Disposition.JUNK;
                case REJECT -> switch (mode) {
                    case HONOUR -> Disposition.REJECT;
                    case QUARANTINE_ONLY -> Disposition.JUNK;
                    case IGNORE -> Disposition.INBOX;
                };
            };
            return new Verdict(AuthenticationResults.field(hostname, s, mailFrom, helo, d, m), disposition, s, d, m);
        }
    }
}
