package org.postern.imap.parse;

/**
 * The modified UTF-7 of IMAP mailbox names (RFC 3501 §5.1.3, RFC 9051 §5.1.3 and Appendix A):
 * printable US-ASCII stands for itself, except {@code &} which is written {@code &-}; every
 * other character is UTF-16, base64-encoded with {@code ,} for {@code /} and no padding,
 * between {@code &} and {@code -}.
 *
 * <p>Decoding is strict: only the one canonical encoding of a name is accepted, as the RFC asks
 * ("MUST NOT" encode printable ASCII, runs are merged, padding bits are zero, surrogates are
 * paired). Thread-safe; no state.
 */
public final class ModifiedUtf7 {
    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,".toCharArray();
    private static final int[] VALUES = new int[128];

    static {
        java.util.Arrays.fill(VALUES, -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            VALUES[ALPHABET[i]] = i;
        }
    }

    private ModifiedUtf7() {
    }

    /** Encodes a mailbox name for the wire. Never fails; unpaired surrogates are encoded as they are. */
    public static String encode(String name) {
        StringBuilder out = new StringBuilder(name.length() + 8);
        int i = 0;
        while (i < name.length()) {
            char c = name.charAt(i);
            if (c >= 0x20 && c <= 0x7e) {
                out.append(c == '&' ? "&-" : String.valueOf(c));
                i++;
                continue;
            }
            int start = i;
            while (i < name.length() && (name.charAt(i) < 0x20 || name.charAt(i) > 0x7e)) {
                i++;
            }
            out.append('&');
            base64(name, start, i, out);
            out.append('-');
        }
        return out.toString();
    }

    private static void base64(String s, int from, int to, StringBuilder out) {
        int bits = 0;
        int nbits = 0;
        for (int i = from; i < to; i++) {
            bits = (bits << 16) | s.charAt(i);
            nbits += 16;
            while (nbits >= 6) {
                nbits -= 6;
                out.append(ALPHABET[(bits >>> nbits) & 0x3f]);
            }
            bits &= (1 << nbits) - 1;
        }
        if (nbits > 0) {
            out.append(ALPHABET[(bits << (6 - nbits)) & 0x3f]);
        }
    }

    /**
     * Decodes a mailbox name from the wire.
     *
     * @throws IllegalArgumentException when {@code wire} is not canonical modified UTF-7; the
     *                                  message says what is wrong
     */
    public static String decode(String wire) {
        StringBuilder out = new StringBuilder(wire.length());
        int i = 0;
        while (i < wire.length()) {
            char c = wire.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException(String.format(
                        "character U+%04X is not allowed: a mailbox name is modified UTF-7 (RFC 3501 section 5.1.3)"
                                + " unless UTF8=ACCEPT is enabled", (int) c));
            }
            if (c != '&') {
                out.append(c);
                i++;
                continue;
            }
            int end = wire.indexOf('-', i + 1);
            if (end < 0) {
                throw new IllegalArgumentException("'&' starts an encoded run that does not end with '-'"
                        + " (write a literal '&' as '&-')");
            }
            if (end == i + 1) {
                out.append('&');
            } else {
                decodeRun(wire, i + 1, end, out);
            }
            i = end + 1;
        }
        String result = out.toString();
        if (!encode(result).equals(wire)) {
            throw new IllegalArgumentException("mailbox name is not in canonical modified UTF-7"
                    + " (printable ASCII must not be encoded, and encoded runs must not be split)");
        }
        return result;
    }

    private static void decodeRun(String s, int from, int to, StringBuilder out) {
        int first = out.length();
        int bits = 0;
        int nbits = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            int v = c < 128 ? VALUES[c] : -1;
            if (v < 0) {
                throw new IllegalArgumentException(String.format(
                        "U+%04X is not a modified base64 character in an encoded run", (int) c));
            }
            bits = (bits << 6) | v;
            nbits += 6;
            if (nbits >= 16) {
                nbits -= 16;
                out.append((char) ((bits >>> nbits) & 0xffff));
                bits &= (1 << nbits) - 1;
            }
        }
        if (nbits >= 6 || bits != 0) {
            throw new IllegalArgumentException("encoded run does not end on a whole UTF-16 character");
        }
        for (int i = first; i < out.length(); i++) {
            char c = out.charAt(i);
            if (Character.isHighSurrogate(c) && (i + 1 == out.length() || !Character.isLowSurrogate(out.charAt(i + 1)))
                    || Character.isLowSurrogate(c) && (i == first || !Character.isHighSurrogate(out.charAt(i - 1)))) {
                throw new IllegalArgumentException("encoded run holds an unpaired UTF-16 surrogate");
            }
        }
    }
}
