package org.postern.mime;

import java.nio.charset.StandardCharsets;

/**
 * IMAP string syntax (RFC 3501 §4.3, RFC 9051 §4.3): quoted when safe, a literal otherwise.
 *
 * <p>A string is quoted when it is short and holds only printable US-ASCII (and TAB); with
 * UTF8=ACCEPT enabled (RFC 6855 §3) non-ASCII text may be quoted too. CR, LF, other controls,
 * 8-bit text without UTF8=ACCEPT and strings longer than {@link #MAX_QUOTED} octets become
 * literals {@code {n}\r\n...}. NUL cannot appear in any IMAP string (CHAR8 excludes it), so NULs
 * are dropped.
 *
 * <p>Output goes to a {@link StringBuilder} that the caller must encode as UTF-8: literal
 * lengths count UTF-8 octets.
 */
public final class ImapStrings {

    /** Longest string, in octets, sent quoted rather than as a literal. */
    public static final int MAX_QUOTED = 1024;

    private ImapStrings() {
    }

    /** Whether {@code s} may be sent as a quoted string. */
    public static boolean isQuotable(String s, boolean utf8Accept) {
        if (s.length() > MAX_QUOTED) {
            return false;
        }
        boolean ascii = true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return false;
            }
            if (c >= 0x80) {
                if (!utf8Accept) {
                    return false;
                }
                ascii = false;
            }
        }
        return ascii || s.getBytes(StandardCharsets.UTF_8).length <= MAX_QUOTED;
    }

    /** Appends {@code s} as a quoted string or a literal. */
    public static StringBuilder appendString(StringBuilder out, String s, boolean utf8Accept) {
        String clean = s.indexOf('\0') >= 0 ? s.replace("\0", "") : s;
        if (isQuotable(clean, utf8Accept)) {
            out.append('"');
            for (int i = 0; i < clean.length(); i++) {
                char c = clean.charAt(i);
                if (c == '"' || c == '\\') {
                    out.append('\\');
                }
                out.append(c);
            }
            return out.append('"');
        }
        int octets = clean.getBytes(StandardCharsets.UTF_8).length;
        return out.append('{').append(octets).append("}\r\n").append(clean);
    }

    /** Appends {@code s}, or NIL when it is null. */
    public static StringBuilder appendNString(StringBuilder out, String s, boolean utf8Accept) {
        return s == null ? out.append("NIL") : appendString(out, s, utf8Accept);
    }

    /** {@code s} as an IMAP string. */
    public static String string(String s, boolean utf8Accept) {
        return appendString(new StringBuilder(), s, utf8Accept).toString();
    }

    /** {@code s} as an IMAP nstring (NIL for null). */
    public static String nstring(String s, boolean utf8Accept) {
        return appendNString(new StringBuilder(), s, utf8Accept).toString();
    }
}
