package org.postern.net;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One line as it came off the wire: its bytes without the terminator, and exactly how it ended.
 *
 * <p>{@code bytes} is a fresh array owned by the caller. {@link #toString()} never shows the
 * content, because a line may carry a password ({@code LOGIN}, {@code AUTH PLAIN}).
 *
 * @param bytes  the line's content, terminator removed
 * @param ending what ended the line
 * @param bareCr the content holds a CR not followed by LF
 * @param bareLf the content holds an LF not preceded by CR (only in {@link LineReader.Mode#STRICT},
 *               where a bare LF does not end a line)
 */
public record Line(byte[] bytes, Ending ending, boolean bareCr, boolean bareLf) {

    /** What ended a line. */
    public enum Ending {
        /** CR LF, the only terminator the mail RFCs allow (RFC 5321 §2.3.8, RFC 9051 §2.2). */
        CRLF,
        /** A bare LF; only in {@link LineReader.Mode#LENIENT}. */
        LF,
        /** The stream ended before any terminator. */
        EOF
    }

    /** True when the line has no bare CR or LF and ended with CR LF. */
    public boolean isClean() {
        return ending == Ending.CRLF && !bareCr && !bareLf;
    }

    public int length() {
        return bytes.length;
    }

    public boolean isEmpty() {
        return bytes.length == 0;
    }

    /** Decodes as ISO-8859-1: never fails, one char per byte (protocol keywords, POP3, SMTP). */
    public String latin1() {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** True when the bytes are well-formed UTF-8 (RFC 3629). */
    public boolean isValidUtf8() {
        try {
            utf8();
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** Decodes as UTF-8, failing on malformed input (RFC 6855, RFC 6531 need to know). */
    public String utf8() throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }

    /** Decodes as UTF-8, replacing malformed sequences with U+FFFD. */
    public String utf8Lenient() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Line l && Arrays.equals(bytes, l.bytes) && ending == l.ending
                && bareCr == l.bareCr && bareLf == l.bareLf;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes) * 31 + ending.hashCode();
    }

    @Override
    public String toString() {
        return "Line[" + bytes.length + " bytes, " + ending
                + (bareCr ? ", bare CR" : "") + (bareLf ? ", bare LF" : "") + "]";
    }
}
