package org.postern.smtp.outbound;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The TLS-Required header field (RFC 8689 §3): {@code TLS-Required: No} asks that the message be
 * delivered even where the recipient domain's TLS policy (MTA-STS) cannot be satisfied.
 */
final class TlsRequired {
    private TlsRequired() {}

    /** Whether a header (as {@link Dsn#header} returns it) has exactly one TLS-Required field, and it says No. */
    static boolean no(byte[] header) {
        String h = new String(header, StandardCharsets.UTF_8).replaceAll("\r\n[ \t]+", " "); // unfold
        int found = 0;
        boolean no = false;
        for (String line : h.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase("TLS-Required")) {
                found++;
                no = line.substring(colon + 1).strip().toLowerCase(Locale.ROOT).equals("no");
            }
        }
        return found == 1 && no; // §3: one field at most; anything but "No" means nothing
    }
}
