package org.postern.smtp;

import java.util.ArrayList;
import java.util.List;

/**
 * The Path grammar of RFC 5321 §4.1.2, extended for UTF-8 by RFC 6531 §3.3 (any non-ASCII
 * character counts as atext, qtext and a domain letter; whether it is allowed is decided later by
 * whether SMTPUTF8 was given). Strict: no missing angle brackets, no trailing dot, no empty
 * labels, limits of RFC 5321 §4.5.3.1.
 */
final class PathParser {
    /** RFC 5321 §4.5.3.1.1-3. */
    static final int MAX_LOCAL_PART = 64;
    static final int MAX_DOMAIN = 255;
    static final int MAX_PATH = 256;

    /** Why a path did not parse, in words for a 501 reply. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /** A path and what followed it (the ESMTP parameters). */
    record Parsed(MailPath path, String rest) {}

    private final String s;
    private int i;

    private PathParser(String s, int from) {
        this.s = s;
        this.i = from;
    }

    /**
     * Parses {@code <...>} at the start of {@code text}. {@code allowNull} accepts {@code <>}
     * (the reverse-path of bounces, RFC 5321 §4.5.5), returned as a null path; {@code postmaster}
     * accepts {@code <Postmaster>} without a domain (RFC 5321 §4.1.1.3), returned with
     * {@code postmasterDomain}.
     */
    static Parsed parse(String text, boolean allowNull, String postmasterDomain) throws Invalid {
        PathParser p = new PathParser(text, 0);
        MailPath path = p.path(allowNull, postmasterDomain);
        return new Parsed(path, text.substring(p.i));
    }

    private MailPath path(boolean allowNull, String postmasterDomain) throws Invalid {
        expect('<', "the address must be in angle brackets, as <user@example.org>");
        if (peek() == '>') {
            i++;
            if (!allowNull) {
                throw new Invalid("empty address <>");
            }
            return null;
        }
        int start = i;
        List<String> route = new ArrayList<>();
        if (peek() == '@') { // A-d-l ":"
            do {
                i++; // '@' (the first time) or ',' then '@'
                if (route.size() > 0) {
                    expect('@', "a source route is @domain,@domain:");
                }
                route.add(domain());
            } while (peek() == ',');
            expect(':', "a source route ends with ':'");
        }
        if (postmasterDomain != null && route.isEmpty() && s.regionMatches(true, i, "postmaster>", 0, 11)) {
            String local = s.substring(i, i + 10);
            i += 11;
            return new MailPath(List.of(), local, false, postmasterDomain, false);
        }
        boolean quoted = peek() == '"';
        String local = quoted ? quotedString() : dotString();
        if (local.isEmpty()) {
            throw new Invalid("empty local part");
        }
        if (utf8Length(local) > MAX_LOCAL_PART) {
            throw new Invalid("local part longer than " + MAX_LOCAL_PART + " octets");
        }
        if (peek() != '@') {
            throw new Invalid(peek() == '>' ? "the address has no domain (use user@example.org)"
                    : "unexpected '" + (char) peek() + "' in the local part");
        }
        i++;
        boolean literal = peek() == '[';
        String domain = literal ? addressLiteral() : domain();
        expect('>', "unexpected '" + (i < s.length() ? s.charAt(i) : ' ') + "' after the domain");
        if (utf8Length(s.substring(start, i - 1)) > MAX_PATH) {
            throw new Invalid("the address is longer than " + MAX_PATH + " octets");
        }
        return new MailPath(route, local, quoted, domain, literal);
    }

    /** Dot-string = Atom *("." Atom) */
    private String dotString() throws Invalid {
        int start = i;
        while (true) {
            int atom = i;
            while (i < s.length() && isAtext(s.charAt(i))) {
                i++;
            }
            if (i == atom) {
                throw new Invalid(i == start ? "empty local part" : "empty part between dots in the local part");
            }
            if (peek() != '.') {
                return s.substring(start, i);
            }
            i++;
        }
    }

    /** Quoted-string = DQUOTE *QcontentSMTP DQUOTE, quoted pairs resolved. */
    private String quotedString() throws Invalid {
        i++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (i >= s.length()) {
                throw new Invalid("unterminated quoted local part");
            }
            char c = s.charAt(i++);
            if (c == '"') {
                return sb.toString();
            }
            if (c == '\\') {
                if (i >= s.length() || s.charAt(i) < 32 || s.charAt(i) > 126) {
                    throw new Invalid("bad quoted pair in the local part");
                }
                sb.append(s.charAt(i++));
            } else if ((c >= 32 && c <= 126) || c >= 0x80) {
                sb.append(c);
            } else {
                throw new Invalid("control character in the local part");
            }
        }
    }

    /** Domain = sub-domain *("." sub-domain); sub-domain = Let-dig [Ldh-str]. */
    private String domain() throws Invalid {
        int start = i;
        while (true) {
            int label = i;
            while (i < s.length() && (isLetDig(s.charAt(i)) || s.charAt(i) == '-')) {
                i++;
            }
            if (i == label) {
                throw new Invalid(i == start ? "missing domain" : "empty label in the domain (a trailing or double dot)");
            }
            if (s.charAt(label) == '-' || s.charAt(i - 1) == '-') {
                throw new Invalid("a domain label starts or ends with '-'");
            }
            if (i - label > 63) {
                throw new Invalid("a domain label is longer than 63 characters");
            }
            if (peek() != '.') {
                break;
            }
            i++;
        }
        String d = s.substring(start, i);
        if (utf8Length(d) > MAX_DOMAIN) {
            throw new Invalid("domain longer than " + MAX_DOMAIN + " octets");
        }
        return d;
    }

    /** address-literal = "[" ( IPv4 / IPv6 / General ) "]" (RFC 5321 §4.1.3), kept with brackets. */
    private String addressLiteral() throws Invalid {
        int start = i;
        int close = s.indexOf(']', i);
        if (close < 0) {
            throw new Invalid("unterminated address literal");
        }
        String inner = s.substring(i + 1, close);
        if (inner.isEmpty() || !inner.chars().allMatch(c -> c > 32 && c < 127 && c != '[' && c != '\\')) {
            throw new Invalid("bad address literal");
        }
        i = close + 1;
        return s.substring(start, i);
    }

    private void expect(char c, String otherwise) throws Invalid {
        if (peek() != c) {
            throw new Invalid(otherwise);
        }
        i++;
    }

    private int peek() {
        return i < s.length() ? s.charAt(i) : -1;
    }

    /** atext of RFC 5322 §3.2.3, plus UTF8-non-ascii (RFC 6531 §3.3). */
    static boolean isAtext(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80
                || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
    }

    private static boolean isLetDig(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
    }

    private static int utf8Length(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
}
