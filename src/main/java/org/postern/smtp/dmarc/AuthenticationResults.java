package org.postern.smtp.dmarc;

import java.util.List;
import java.util.Locale;
import org.postern.smtp.dkim.DkimResult;
import org.postern.smtp.spf.SpfResult;

/** The Authentication-Results header field (RFC 8601 §2.2) Postern writes on top of inbound mail. */
public final class AuthenticationResults {
    private AuthenticationResults() {}

    /**
     * {@code Authentication-Results: HOST; spf=...; dkim=...; dmarc=...}, folded, CRLF-terminated.
     *
     * @param mailFrom the envelope sender, empty for the null sender (then smtp.helo is given, RFC 7208 §2.3)
     */
    public static String field(String host, SpfResult spf, String mailFrom, String helo, List<DkimResult> dkim,
                               DmarcResult dmarc) {
        StringBuilder sb = new StringBuilder("Authentication-Results: ").append(host);
        sb.append(";\r\n\tspf=").append(spf.status().word()).append(comment(spf.reason()));
        if (mailFrom.isEmpty()) {
            sb.append(" smtp.helo=").append(value(helo));
        } else {
            sb.append(" smtp.mailfrom=").append(value(mailFrom));
        }
        if (dkim.isEmpty()) {
            sb.append(";\r\n\tdkim=none (no signature)");
        }
        for (DkimResult d : dkim) {
            sb.append(";\r\n\tdkim=").append(d.status().word()).append(comment(d.reason()));
            if (d.domain() != null) {
                sb.append(" header.d=").append(value(d.domain())).append(" header.s=").append(value(d.selector()))
                        .append(" header.a=").append(value(d.algorithm())).append(" header.b=").append(value(d.b()));
            }
        }
        sb.append(";\r\n\tdmarc=").append(dmarc.status().word());
        if (dmarc.published() != null) {
            sb.append(" (p=").append(dmarc.published()).append(dmarc.status() == DmarcResult.Status.FAIL
                    ? " dis=" + dmarc.action().name().toLowerCase(Locale.ROOT) : "").append(')');
        } else {
            sb.append(comment(dmarc.reason()));
        }
        if (dmarc.fromDomain() != null) {
            sb.append(" header.from=").append(value(dmarc.fromDomain()));
        }
        return sb.append("\r\n").toString();
    }

    /** The authserv-id of an Authentication-Results value (§2.2): its first token. */
    public static String authservId(String value) {
        String v = value.strip();
        int end = 0;
        while (end < v.length() && v.charAt(end) != ';' && !Character.isWhitespace(v.charAt(end)) && v.charAt(end) != '(') {
            end++;
        }
        return v.substring(0, end).toLowerCase(Locale.ROOT);
    }

    /** A comment (RFC 5322 §3.2.2) holding printable ASCII without parentheses or backslashes. */
    private static String comment(String s) {
        if (s == null || s.isBlank()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(" (");
        for (char c : s.toCharArray()) {
            sb.append(c >= 32 && c < 127 && c != '(' && c != ')' && c != '\\' ? c : ' ');
            if (sb.length() > 200) {
                break;
            }
        }
        return sb.append(')').toString();
    }

    /** A value as a token, or quoted when it holds characters a token cannot (RFC 2045 §5.1). */
    private static String value(String s) {
        if (s == null) {
            return "\"\"";
        }
        if (s.matches("[A-Za-z0-9.@_+=/!#$%&'*^`{|}~-]+")) {
            return s;
        }
        return "\"" + s.replaceAll("[\"\\\\\\p{Cntrl}]", "?") + "\"";
    }
}
