package org.postern.smtp;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** The header fields the server writes: Received (RFC 5321 §4.4), Date and Message-ID (RFC 6409 §8.2-8.3). */
final class TraceFields {
    private TraceFields() {}

    /** RFC 5322 §3.3 date-time, numeric zone. */
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

    static String date(Instant t) {
        return DATE.format(t.atOffset(ZoneOffset.UTC));
    }

    /**
     * {@code Received: from HELO ([ip]) by HOST with ESMTPS id ID (TLS details) for <rcpt>; date}.
     * The client's words are cleaned to printable ASCII so they cannot break the field.
     */
    static String received(Envelope e, String host, String id, List<Recipient> recipients, Instant now) {
        StringBuilder sb = new StringBuilder("Received: from ").append(clean(e.helo()))
                .append(" ([").append(e.remote().getHostAddress()).append("])\r\n")
                .append("\tby ").append(host).append(" (Postern) with ").append(e.protocolWord()).append(" id ").append(id);
        e.tls().ifPresent(t -> sb.append("\r\n\t(version=").append(t.protocol()).append(" cipher=").append(t.cipherSuite()).append(')'));
        if (recipients.size() == 1) {
            sb.append("\r\n\tfor <").append(clean(recipients.getFirst().path().address())).append('>');
        }
        return sb.append(";\r\n\t").append(date(now)).append("\r\n").toString();
    }

    static String messageId(String host) {
        return "<" + UUID.randomUUID() + "@" + host + ">";
    }

    /** A short id for the Received field, the 250 reply and the log. */
    static String transactionId() {
        return Long.toString(UUID.randomUUID().getMostSignificantBits() & Long.MAX_VALUE, 36);
    }

    static String clean(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 255; i++) {
            char c = s.charAt(i);
            sb.append(c > 32 && c < 127 && c != '(' && c != ')' && c != ';' ? c : '?');
        }
        return sb.toString();
    }
}
