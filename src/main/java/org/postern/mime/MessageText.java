package org.postern.mime;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.apache.james.mime4j.codec.Base64InputStream;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.QuotedPrintableInputStream;

/**
 * A message as people read it, for searching: header fields unfolded and decoded (RFC 2047,
 * 8-bit UTF-8 or Latin-1), and the text of its text parts with the transfer encoding and the
 * charset undone. Bounded: headers are read up to {@link #MAX_HEADER_BYTES}, text up to the
 * limit the caller gives.
 */
public final class MessageText {
    /** Headers larger than this are searched in their first part only. */
    public static final int MAX_HEADER_BYTES = 256 * 1024;

    private MessageText() {}

    /** One header field: its name as written and its decoded, unfolded value. */
    public record Field(String name, String value) {}

    /** The top-level header fields of the message, in order. */
    public static List<Field> header(ParsedMessage message, MessageSource source) throws IOException {
        long size = Math.min(message.headerSize(), MAX_HEADER_BYTES);
        byte[] raw;
        try (InputStream in = source.open(0, size)) {
            raw = in.readAllBytes();
        }
        return fields(raw);
    }

    static List<Field> fields(byte[] raw) {
        List<Field> out = new ArrayList<>();
        StringBuilder current = null;
        int start = 0;
        for (int i = 0; i <= raw.length; i++) {
            if (i < raw.length && raw[i] != '\n') {
                continue;
            }
            int end = i;
            if (end > start && raw[end - 1] == '\r') {
                end--;
            }
            String line = decode8bit(raw, start, end);
            start = i + 1;
            if (line.isEmpty()) {
                break; // the blank line ends the header
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && current != null) {
                current.append(line); // RFC 5322 §2.2.3: unfolding removes only the CRLF
            } else {
                flush(current, out);
                current = new StringBuilder(line);
            }
        }
        flush(current, out);
        return out;
    }

    private static void flush(StringBuilder field, List<Field> out) {
        if (field == null) {
            return;
        }
        int colon = field.indexOf(":");
        if (colon <= 0) {
            return;
        }
        String name = field.substring(0, colon).strip();
        String value = field.substring(colon + 1).strip();
        out.add(new Field(name, EncodedWords.decode(value)));
    }

    /** The decoded values of every field with this name (case-insensitive). */
    public static List<String> values(List<Field> header, String name) {
        List<String> out = new ArrayList<>();
        for (Field f : header) {
            if (f.name().equalsIgnoreCase(name)) {
                out.add(f.value());
            }
        }
        return out;
    }

    /**
     * Calls {@code visitor} with the decoded text of each text part, in order, until it returns
     * true (found) or {@code maxChars} characters were read in all. Returns whether it was found.
     */
    public static boolean anyText(ParsedMessage message, MessageSource source, long maxChars,
                                  Predicate<String> visitor) throws IOException {
        long[] budget = {maxChars};
        return visit(message.root(), source, budget, visitor);
    }

    private static boolean visit(BodyPart part, MessageSource source, long[] budget, Predicate<String> visitor)
            throws IOException {
        if (budget[0] <= 0) {
            return false;
        }
        return switch (part) {
            case BodyPart.Multipart m -> {
                for (BodyPart child : m.children()) {
                    if (visit(child, source, budget, visitor)) {
                        yield true;
                    }
                }
                yield false;
            }
            case BodyPart.Message m -> visit(m.body(), source, budget, visitor);
            case BodyPart.Leaf leaf -> leaf.fields().isText() && visitor.test(text(leaf, source, budget));
        };
    }

    private static String text(BodyPart.Leaf leaf, MessageSource source, long[] budget) throws IOException {
        Span span = leaf.span();
        InputStream raw = new BufferedInputStream(source.open(span.bodyStart(), span.bodySize()), 16 * 1024);
        InputStream decoded = switch (leaf.fields().encodingOrDefault()) {
            case "base64" -> new Base64InputStream(raw, DecodeMonitor.SILENT);
            case "quoted-printable" -> new QuotedPrintableInputStream(raw, DecodeMonitor.SILENT);
            default -> raw;
        };
        byte[] bytes;
        try (decoded) {
            bytes = decoded.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, budget[0] * 4));
        }
        String text = decode(bytes, leaf.fields().charset());
        budget[0] -= text.length();
        return text;
    }

    /** Bytes in a declared charset; invalid or unknown charsets fall back to UTF-8 or Latin-1. */
    static String decode(byte[] bytes, String charset) {
        Charset cs = null;
        if (charset != null) {
            try {
                cs = Charset.forName(charset.strip());
            } catch (IllegalArgumentException e) {
                cs = null;
            }
        }
        if (cs == null || cs == StandardCharsets.US_ASCII) {
            return decode8bit(bytes, 0, bytes.length);
        }
        return new String(bytes, cs);
    }

    /** 8-bit header or body bytes: UTF-8 when they are valid UTF-8, else Latin-1. */
    static String decode8bit(byte[] b, int from, int to) {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer cb = utf8.decode(ByteBuffer.wrap(b, from, to - from));
            return cb.toString();
        } catch (CharacterCodingException e) {
            return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
        }
    }

    /** Folds case for searching (RFC 9051 §6.4.4: case-insensitive substring match). */
    public static String fold(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
