package org.postern.smtp.outbound;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Delivery status notifications (RFC 3464) in a multipart/report (RFC 6522): a text for people,
 * the machine-readable message/delivery-status, and the header of the original message
 * (text/rfc822-headers). With addresses that need UTF-8 (RFC 6533) the status part is
 * message/global-delivery-status and the headers part message/global-headers.
 */
final class Dsn {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);
    static final int MAX_HEADER_BYTES = 256 * 1024;

    /** RFC 3464 §2.3.3: what happened to the recipients a notice is about. */
    enum Action {
        FAILED("failed"), DELAYED("delayed"), DELIVERED("delivered"), RELAYED("relayed");

        final String word;

        Action(String word) {
            this.word = word;
        }
    }

    /**
     * What a notice reports beyond its recipients (RFC 3461 §6.3).
     *
     * @param envid ENVID of the original, xtext-decoded, or null
     * @param orcpt the ORCPT of each recipient ({@code addr-type;address}) that gave one
     */
    record Request(String envid, Map<String, String> orcpt) {
        static final Request NONE = new Request(null, Map.of());
    }

    private Dsn() {}

    /** A notice with the original's header as its third part (text/rfc822-headers). */
    static byte[] build(String host, String sender, Action action, List<Result> results, Instant arrival, Instant now,
                        Instant retryUntil, byte[] headers) {
        return build(host, sender, action, results, arrival, now, retryUntil, Request.NONE, headers);
    }

    /**
     * The notice for the sender of a message.
     *
     * @param results     the recipients it is about, with their last result
     * @param arrival     when the original message was queued
     * @param retryUntil  for a delay: when Postern gives up
     * @param headers     the original message's header, as stored
     */
    static byte[] build(String host, String sender, Action action, List<Result> results, Instant arrival, Instant now,
                        Instant retryUntil, Request request, byte[] headers) {
        Frame f = frame(host, sender, action, results, arrival, now, retryUntil, request, !isAscii(headers), false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(f.head());
        out.writeBytes(headers);
        out.writeBytes(f.tail());
        return out.toByteArray();
    }

    /** A notice without its third part's content: that goes between {@code head} and {@code tail}. */
    record Frame(byte[] head, byte[] tail) {}

    /**
     * Everything of a notice but the returned content.
     *
     * @param utf8Content the returned header or message has UTF-8 in its header (RFC 6532)
     * @param full        the whole message is returned (RET=FULL, RFC 3461 §4.3), not only its header
     */
    static Frame frame(String host, String sender, Action action, List<Result> results, Instant arrival, Instant now,
                       Instant retryUntil, Request request, boolean utf8Content, boolean full) {
        boolean utf8 = !isAscii(sender) || results.stream().anyMatch(r -> !isAscii(r.address())) || utf8Content;
        String boundary = "dsn-" + UUID.randomUUID();
        String subject = switch (action) {
            case FAILED -> "Delivery Status Notification (Failure)";
            case DELAYED -> "Delivery Status Notification (Delay)";
            case DELIVERED, RELAYED -> "Delivery Status Notification (Success)";
        };
        StringBuilder m = new StringBuilder();
        m.append("From: Mail Delivery Subsystem <mailer-daemon@").append(host).append(">\r\n")
                .append("To: <").append(sender).append(">\r\n")
                .append("Subject: ").append(subject).append("\r\n")
                .append("Date: ").append(date(now)).append("\r\n")
                .append("Message-ID: <").append(UUID.randomUUID()).append('@').append(host).append(">\r\n")
                .append("Auto-Submitted: auto-replied\r\n") // RFC 3834 §5: no automatic answers to this
                .append("MIME-Version: 1.0\r\n")
                .append("Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"")
                .append(boundary).append("\"\r\n\r\n")
                .append("This is a delivery status notification (RFC 3464).\r\n\r\n");
        // the part for people
        m.append("--").append(boundary).append("\r\n")
                .append("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
        String these = results.size() == 1 ? "this recipient" : "these recipients";
        switch (action) {
            case FAILED -> m.append("Your message could not be delivered to ").append(these)
                    .append(". The receiving side said why:\r\n\r\n");
            case DELAYED -> m.append("Your message has not been delivered yet to ").append(these)
                    .append(". Postern keeps trying until ").append(date(retryUntil))
                    .append("; you need not send it again. The last answer was:\r\n\r\n");
            case DELIVERED -> m.append("Your message was delivered to ").append(these).append(":\r\n\r\n");
            case RELAYED -> m.append("Your message was handed on to the mail server of ").append(these)
                    .append(". That server does not report deliveries, so this is the last notice you will get:\r\n\r\n");
        }
        for (Result r : results) {
            m.append("  ").append(r.address()).append("\r\n    ").append(r.remoteMta() == null ? "" : r.remoteMta() + ": ")
                    .append(r.reply()).append("\r\n");
        }
        m.append("\r\n");
        // RFC 3464 §2.2: per-message fields, then per-recipient fields
        m.append("--").append(boundary).append("\r\n")
                .append("Content-Type: message/").append(utf8 ? "global-delivery-status" : "delivery-status").append("\r\n\r\n");
        if (request.envid() != null) {
            m.append("Original-Envelope-Id: ").append(request.envid()).append("\r\n"); // §2.2.1, RFC 3461 §6.3
        }
        m.append("Reporting-MTA: dns; ").append(host).append("\r\n")
                .append("Arrival-Date: ").append(date(arrival)).append("\r\n");
        for (Result r : results) {
            m.append("\r\n");
            String orcpt = request.orcpt().get(r.address());
            if (orcpt != null) { // §2.3.1: addr-type ";" the address, as ORCPT gave it (decoded)
                int semi = orcpt.indexOf(';');
                m.append("Original-Recipient: ").append(orcpt, 0, semi).append("; ").append(orcpt.substring(semi + 1)).append("\r\n");
            }
            m.append("Final-Recipient: ").append(isAscii(r.address()) ? "rfc822; " : "utf-8; ").append(r.address()).append("\r\n")
                    .append("Action: ").append(action.word).append("\r\n")
                    .append("Status: ").append(statusFor(r, action)).append("\r\n");
            if (r.remoteMta() != null) {
                String mta = r.remoteMta();
                int bracket = mta.indexOf('[');
                m.append("Remote-MTA: dns; ").append(bracket > 0 ? mta.substring(0, bracket) : mta).append("\r\n");
            }
            if (r.fromSmtp()) {
                m.append("Diagnostic-Code: smtp; ").append(r.reply()).append("\r\n");
            }
            m.append("Last-Attempt-Date: ").append(date(now)).append("\r\n");
            if (action == Action.DELAYED) {
                m.append("Will-Retry-Until: ").append(date(retryUntil)).append("\r\n");
            }
        }
        String type = full ? (utf8 ? "message/global" : "message/rfc822") : (utf8 ? "message/global-headers" : "text/rfc822-headers");
        m.append("\r\n--").append(boundary).append("\r\n")
                .append("Content-Type: ").append(type).append("\r\n\r\n");
        return new Frame(m.toString().getBytes(StandardCharsets.UTF_8),
                ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** RFC 3464 §2.3.4: a DSN status is a 4.x.x for a delay, 5.x.x (or the persistent 4.4.7 of an expiry) for a failure. */
    private static String statusFor(Result r, Action action) {
        String s = r.status();
        if (action == Action.DELAYED && !s.startsWith("4.")) {
            return "4.0.0";
        }
        if (action == Action.FAILED && s.startsWith("2.")) {
            return "5.0.0";
        }
        if ((action == Action.DELIVERED || action == Action.RELAYED) && !s.startsWith("2.")) {
            return "2.0.0";
        }
        return s;
    }

    /** The header of a stored message, up to and including the empty line, at most {@link #MAX_HEADER_BYTES}. */
    static byte[] header(InputStream message) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int prev = -1;
        boolean lineStart = true;
        for (int b; (b = message.read()) >= 0 && out.size() < MAX_HEADER_BYTES; ) {
            if (lineStart && (b == '\r' || b == '\n')) {
                break; // the empty line: the header is complete
            }
            if (b == '\n' && prev != '\r') {
                out.write('\r'); // bare LF from BDAT
            }
            out.write(b);
            lineStart = b == '\n';
            prev = b;
        }
        if (!lineStart) {
            out.writeBytes(new byte[] {'\r', '\n'});
        }
        return out.toByteArray();
    }

    static String date(Instant t) {
        return DATE.format(t.atOffset(ZoneOffset.UTC));
    }

    private static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 0x80);
    }

    static boolean isAscii(byte[] b) {
        for (byte x : b) {
            if (x < 0) {
                return false;
            }
        }
        return true;
    }
}
