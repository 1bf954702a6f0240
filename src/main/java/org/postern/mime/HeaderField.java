package org.postern.mime;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * One header field as the parser keeps it: lower-case name, value unfolded (RFC 5322 §2.2.3) and
 * trimmed. Header bytes are read as UTF-8 when they are valid UTF-8 (RFC 6532), else as
 * ISO-8859-1, so that {@link #bytes(String)} gives back the original bytes of any part of it.
 */
record HeaderField(String name, String value, boolean latin1) {

    Charset charset() {
        return latin1 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8;
    }

    /** The raw bytes of a piece of this field's value. */
    byte[] bytes(String piece) {
        return piece.getBytes(charset());
    }

    /** Builds a field from the raw bytes after the colon, line breaks included. */
    static HeaderField of(String name, byte[] raw, int len) {
        byte[] unfolded = new byte[len];
        int n = 0;
        for (int i = 0; i < len; i++) {
            byte b = raw[i];
            if (b == '\n' || (b == '\r' && i + 1 < len && raw[i + 1] == '\n')) {
                continue;
            }
            unfolded[n++] = b;
        }
        int from = 0;
        while (from < n && isWsp(unfolded[from])) {
            from++;
        }
        int to = n;
        while (to > from && (isWsp(unfolded[to - 1]) || unfolded[to - 1] == '\r')) {
            to--;
        }
        String utf8 = utf8OrNull(unfolded, from, to - from);
        if (utf8 != null) {
            return new HeaderField(name, utf8, false);
        }
        return new HeaderField(name, new String(unfolded, from, to - from, StandardCharsets.ISO_8859_1), true);
    }

    static boolean isWsp(byte b) {
        return b == ' ' || b == '\t';
    }

    /** Decodes strict UTF-8, or returns null when the bytes are not valid UTF-8. */
    static String utf8OrNull(byte[] bytes, int off, int len) {
        boolean ascii = true;
        for (int i = off; i < off + len; i++) {
            if (bytes[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(bytes, off, len, StandardCharsets.US_ASCII);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, off, len))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
