package org.postern.imap.conformance;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One response as the server sent it: a line, plus the literals it announced and the rest of the
 * line after each (RFC 9051 §4.3). Bytes are kept one per char (ISO-8859-1), so nothing is lost
 * and regular expressions see exactly what was sent.
 *
 * @param text  the whole response without its final CRLF, literal bytes inline
 * @param lines the physical lines of {@code text} (split at CRLF), as a line-oriented script sees them
 */
record ServerResponse(String text, List<String> lines) {
    private static final Pattern LITERAL_AT_END = Pattern.compile("~?\\{(\\d+)\\+?}$");

    /** {@code +}: a continuation request. */
    boolean isContinuation() {
        return text.startsWith("+");
    }

    boolean isUntagged() {
        return text.startsWith("* ");
    }

    /** The tag of a tagged response, or null for untagged and continuation responses. */
    String tag() {
        if (isUntagged() || isContinuation()) {
            return null;
        }
        int sp = text.indexOf(' ');
        return sp < 0 ? text : text.substring(0, sp);
    }

    /** Reads one response; EOFException when the connection closed before a whole one arrived. */
    static ServerResponse read(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                String sofar = String.join("\r\n", lines) + line.toString(StandardCharsets.ISO_8859_1);
                throw new EOFException(sofar.isEmpty() ? "connection closed" : "connection closed within a response: " + sofar);
            }
            if (b != '\n') {
                line.write(b);
                continue;
            }
            byte[] bytes = line.toByteArray();
            int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
            String physical = new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
            line.reset();
            lines.add(physical);
            Matcher m = LITERAL_AT_END.matcher(physical);
            if (!m.find()) {
                // The physical lines joined with CRLF are exactly the bytes sent.
                return new ServerResponse(String.join("\r\n", lines), List.copyOf(lines));
            }
            int size = Integer.parseInt(m.group(1));
            byte[] literal = in.readNBytes(size);
            if (literal.length < size) {
                throw new EOFException("connection closed within a literal");
            }
            // The literal's lines are physical lines too; its last, unterminated piece starts
            // the line that follows it.
            String content = new String(literal, StandardCharsets.ISO_8859_1);
            int start = 0;
            for (int i = content.indexOf("\r\n"); i >= 0; i = content.indexOf("\r\n", start)) {
                lines.add(content.substring(start, i));
                start = i + 2;
            }
            line.write(literal, start, literal.length - start);
        }
    }

    @Override
    public String toString() {
        return text.replace("\r\n", "⏎");
    }
}
