package org.postern.smtp;

import java.util.Optional;

/**
 * xtext (RFC 3461 §4): the encoding of ENVID and ORCPT values. Printable ASCII stands for itself
 * except {@code +} and {@code =}; any other octet is {@code +} and two hexadecimal digits.
 */
public final class Xtext {
    private Xtext() {}

    /**
     * The decoded text, or empty when {@code s} is not xtext or decodes to something other than
     * printable ASCII (§4.2, §4.4: the values must be printable US-ASCII, spaces allowed).
     */
    public static Optional<String> decode(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                // RFC 3461 §4 says upper-case hex digits; lower case is accepted, as it is unambiguous
                if (i + 2 >= s.length()) {
                    return Optional.empty();
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return Optional.empty();
                }
                char d = (char) (hi * 16 + lo);
                if (d < 0x20 || d > 0x7e) {
                    return Optional.empty();
                }
                out.append(d);
                i += 2;
            } else if (c >= 33 && c <= 126 && c != '=') {
                out.append(c);
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(out.toString());
    }

    /** The xtext form of printable ASCII text. */
    public static String encode(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 33 && c <= 126 && c != '+' && c != '=') {
                out.append(c);
            } else {
                out.append('+').append(String.format("%02X", (int) c & 0xff));
            }
        }
        return out.toString();
    }
}
