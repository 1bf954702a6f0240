package org.postern.smtp;

import java.util.List;
import java.util.Locale;

/**
 * A parsed Path of MAIL FROM or RCPT TO (RFC 5321 §4.1.2, RFC 6531 §3.3): an optional source
 * route, then a mailbox. Kept as written; decisions (local? relay trick?) are made by the rules
 * that look at it.
 *
 * @param route          the source route's domains ({@code <@a,@b:user@c>}), empty without one;
 *                       RFC 5321 §4.1.1.3 says to accept and ignore it
 * @param localPart      the local part, without quotes and with quoted pairs resolved
 * @param quoted         the local part was a Quoted-string
 * @param domain         the domain as written, or the address literal with its brackets
 * @param addressLiteral the domain is an address literal ({@code [192.0.2.1]}, {@code [IPv6:...]})
 */
public record MailPath(List<String> route, String localPart, boolean quoted, String domain, boolean addressLiteral) {

    public MailPath {
        route = List.copyOf(route);
    }

    /** {@code local@domain}, the local part quoted again when it was. */
    public String address() {
        return (quoted ? quote(localPart) : localPart) + "@" + domain;
    }

    /** The domain in lower case (the form directory lookups use). */
    public String domainLower() {
        return domain.toLowerCase(Locale.ROOT);
    }

    /** True when every character is ASCII: no SMTPUTF8 needed (RFC 6531 §3.2). */
    public boolean isAscii() {
        return address().chars().allMatch(c -> c < 0x80) && route.stream().allMatch(r -> r.chars().allMatch(c -> c < 0x80));
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }

    @Override
    public String toString() {
        return address();
    }
}
