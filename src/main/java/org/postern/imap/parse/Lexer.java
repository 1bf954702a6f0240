package org.postern.imap.parse;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Splits the bytes of one line into {@link Token}s (RFC 9051 §4, §9). Knows atoms, quoted
 * strings, parentheses and the literal announcement that may end a line; nothing else.
 *
 * <p>Lenient in one way only: runs of spaces count as one separator, and trailing spaces are
 * ignored. Everything the grammar forbids outright (NUL, control characters and 8-bit octets
 * outside quoted strings and literals, malformed UTF-8 in quoted strings, bad escapes, a
 * {@code {} that does not end the line) is an error.
 */
final class Lexer {
    static final int MAX_SIZE_DIGITS = 19; // number64 (RFC 9051 §9) fits in 19 digits

    private Lexer() {
    }

    /** A literal announced at the end of a line: {@code {n}}, {@code {n+}}, {@code ~{n}}, {@code ~{n+}}. */
    record Marker(long size, boolean nonSync, boolean binary, boolean spaced) {
    }

    /** A line the grammar does not allow; {@code message} says what is wrong, for a person. */
    static final class LexException extends Exception {
        LexException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Appends the tokens of {@code line[from..]} to {@code out}.
     *
     * @param firstSpaced whether the first token counts as preceded by a space
     * @return the literal announced at the end of the line, or null
     */
    static Marker lex(byte[] line, int from, boolean firstSpaced, List<Token> out) throws LexException {
        int i = from;
        int n = line.length;
        boolean spaced = firstSpaced;
        while (i < n) {
            int b = line[i] & 0xff;
            switch (b) {
                case ' ' -> {
                    spaced = true;
                    i++;
                    continue;
                }
                case '(' -> {
                    out.add(new Token.Open(spaced));
                    i++;
                }
                case ')' -> {
                    out.add(new Token.Close(spaced));
                    i++;
                }
                case '"' -> i = quoted(line, i, spaced, out);
                case '{' -> {
                    return marker(line, i, false, spaced, out);
                }
                default -> {
                    if (b == '~' && i + 1 < n && line[i + 1] == '{') {
                        return marker(line, i + 1, true, spaced, out);
                    }
                    i = atom(line, i, spaced, out);
                }
            }
            spaced = false;
        }
        return null;
    }

    private static int atom(byte[] line, int start, boolean spaced, List<Token> out) throws LexException {
        int i = start;
        while (i < line.length) {
            int b = line[i] & 0xff;
            if (b == ' ' || b == '(' || b == ')') {
                break;
            }
            if (b == '{') {
                throw new LexException("'{' inside an atom (a literal must follow a space and end the line)");
            }
            if (b == '"') {
                throw new LexException("'\"' inside an atom (a quoted string must follow a space)");
            }
            checkAtomOctet(b);
            i++;
        }
        out.add(new Token.Atom(new String(line, start, i - start, StandardCharsets.US_ASCII), spaced));
        return i;
    }

    private static void checkAtomOctet(int b) throws LexException {
        if (b == 0) {
            throw new LexException("NUL octet in command");
        }
        if (b < 0x20 || b == 0x7f) {
            throw new LexException(String.format("control character 0x%02X in command", b));
        }
        if (b >= 0x80) {
            throw new LexException("8-bit octet outside a quoted string or literal");
        }
    }

    // RFC 9051 §4.3: quoted = DQUOTE *QUOTED-CHAR DQUOTE, with "\" escaping only DQUOTE and "\";
    // QUOTED-CHAR includes UTF8-2/3/4 (RFC 9051 §9, RFC 6855 §3).
    private static int quoted(byte[] line, int start, boolean spaced, List<Token> out) throws LexException {
        int end = start + 1; // a first pass finds the closing quote, so the buffer is sized to fit
        while (end < line.length && line[end] != '"') {
            end += line[end] == '\\' ? 2 : 1;
        }
        byte[] buf = new byte[Math.max(0, Math.min(end, line.length) - start)];
        int len = 0;
        boolean eightBit = false;
        int i = start + 1;
        while (true) {
            if (i >= line.length) {
                throw new LexException("unterminated quoted string");
            }
            int b = line[i] & 0xff;
            if (b == '"') {
                i++;
                break;
            }
            if (b == '\\') {
                if (i + 1 >= line.length) {
                    throw new LexException("unterminated quoted string");
                }
                int e = line[i + 1] & 0xff;
                if (e != '"' && e != '\\') {
                    throw new LexException("invalid escape in quoted string (only \\\\ and \\\" are allowed)");
                }
                buf[len++] = (byte) e;
                i += 2;
                continue;
            }
            if (b == 0) {
                throw new LexException("NUL octet in quoted string");
            }
            if (b == '\r' || b == '\n') {
                throw new LexException("CR or LF in quoted string (use a literal)");
            }
            if (b >= 0x80) {
                eightBit = true;
            }
            buf[len++] = (byte) b;
            i++;
        }
        String text;
        if (eightBit) {
            try {
                text = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(buf, 0, len)).toString();
            } catch (CharacterCodingException e) {
                throw new LexException("quoted string is not valid UTF-8");
            }
        } else {
            text = new String(buf, 0, len, StandardCharsets.US_ASCII);
        }
        out.add(new Token.Quoted(text, spaced));
        return i;
    }

    // RFC 9051 §4.3 literal, RFC 3516 §4.1 literal8, RFC 7888 §3 "+": "{" number64 ["+"] "}" CRLF
    private static Marker marker(byte[] line, int brace, boolean binary, boolean spaced, List<Token> out)
            throws LexException {
        if (!spaced && !out.isEmpty() && !(out.getLast() instanceof Token.Open)) {
            throw new LexException("a literal must follow a space or '('");
        }
        int end = line.length;
        while (end > brace && line[end - 1] == ' ') {
            end--; // tolerate trailing spaces after "}"
        }
        int close = end - 1;
        if (close <= brace || line[close] != '}') {
            throw new LexException("'{' must announce a literal at the end of the line, as {123}");
        }
        boolean nonSync = line[close - 1] == '+';
        int digitsEnd = nonSync ? close - 1 : close;
        int digits = digitsEnd - (brace + 1);
        if (digits < 1) {
            throw new LexException("literal without a length");
        }
        long size = 0;
        for (int i = brace + 1; i < digitsEnd; i++) {
            int d = line[i] - '0';
            if (d < 0 || d > 9) {
                throw new LexException("literal length is not a number");
            }
            if (size > (Long.MAX_VALUE - d) / 10) {
                throw new LexException("literal length out of range");
            }
            size = size * 10 + d;
        }
        return new Marker(size, nonSync, binary, spaced);
    }

    /**
     * The literal a line announces, read from its tail only, for a line that could not be lexed:
     * its data must still be skipped. A size too large to represent comes back as
     * {@link Long#MAX_VALUE}. Null when the line does not end like a literal announcement.
     */
    static Marker trailingMarker(byte[] line) {
        int end = line.length;
        while (end > 0 && line[end - 1] == ' ') {
            end--;
        }
        int i = end - 1;
        if (i < 0 || line[i] != '}') {
            return null;
        }
        i--;
        boolean nonSync = i >= 0 && line[i] == '+';
        if (nonSync) {
            i--;
        }
        int digitsEnd = i + 1;
        while (i >= 0 && line[i] >= '0' && line[i] <= '9') {
            i--;
        }
        if (i < 0 || line[i] != '{' || i + 1 == digitsEnd) {
            return null;
        }
        long size = 0;
        for (int k = i + 1; k < digitsEnd; k++) {
            int d = line[k] - '0';
            if (size > (Long.MAX_VALUE - d) / 10) {
                size = Long.MAX_VALUE;
                break;
            }
            size = size * 10 + d;
        }
        boolean binary = i > 0 && line[i - 1] == '~';
        return new Marker(size, nonSync, binary, true);
    }
}
