package org.postern.smtp;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Passes a message through on its way to the spool file, looking at its header as it goes and
 * never holding more than one header field: it writes a trace header first, shows each complete
 * field to an {@link Inspector} (which may refuse the message, as submission does for a From it
 * does not like), and lets the inspector add fields at the end of the header (Date, Message-ID).
 * The body streams through untouched.
 *
 * <p>A field longer than {@link #MAX_FIELD} bytes is passed on without being inspected; the
 * inspector hears of it through {@link Inspector#oversized}.
 */
final class HeaderFilter extends FilterOutputStream {
    static final int MAX_FIELD = 64 * 1024;

    /** What looks at the header. */
    interface Inspector {
        /** A complete field: its name in lower case and its unfolded value. */
        void field(String name, String value) throws MessageRefused;

        /** A field too long to inspect. */
        void oversized(String name) throws MessageRefused;

        /** Fields to add at the end of the header, given the lower-case names seen (CRLF-terminated lines). */
        String endOfHeader(Set<String> seen) throws MessageRefused;

        /** A complete field as it came, CR LF included; false drops it from the message. */
        default boolean keep(byte[] raw) {
            return true;
        }

        /** Where the body goes as well as to the spool (the DKIM body hashes), or null. */
        default OutputStream body() {
            return null;
        }
    }

    private final Inspector inspector;
    private final ByteArrayOutputStream field = new ByteArrayOutputStream();
    private final Set<String> seen = new HashSet<>();
    private boolean inBody;
    private boolean atLineStart = true;
    private boolean passthrough; // the current field was too long: its bytes go straight out
    private String passthroughName;
    private int lastByte = '\n';
    private boolean finished;
    private OutputStream bodyTap;
    private boolean skipSeparatorLf; // the LF of the CR LF that ended the header is not body

    HeaderFilter(OutputStream out, String prefix, Inspector inspector) throws IOException {
        super(out);
        this.inspector = inspector;
        out.write(prefix.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int end = off + len;
        int i = off;
        while (i < end && !inBody) {
            header(b[i++] & 0xff);
        }
        if (i < end) {
            out.write(b, i, end - i);
            lastByte = b[end - 1] & 0xff;
            if (bodyTap != null) {
                if (skipSeparatorLf) {
                    skipSeparatorLf = false;
                    if (b[i] == '\n') {
                        i++;
                    }
                }
                bodyTap.write(b, i, end - i);
            }
        }
    }

    private void header(int b) throws IOException {
        if (atLineStart) {
            atLineStart = false;
            if (b != ' ' && b != '\t') { // not a continuation: the field before is complete
                completeField();
                if (b == '\r' || b == '\n') { // the empty line that ends the header
                    endHeader();
                    inBody = true;
                    out.write(b);
                    lastByte = b;
                    bodyTap = inspector.body();
                    skipSeparatorLf = b == '\r';
                    return;
                }
            }
        }
        if (b == '\n') {
            atLineStart = true;
        }
        if (passthrough) {
            out.write(b);
            lastByte = b;
            return;
        }
        field.write(b);
        if (field.size() > MAX_FIELD) {
            passthroughName = name(field.toString(StandardCharsets.UTF_8));
            inspector.oversized(passthroughName);
            field.writeTo(out);
            lastByte = '\0';
            field.reset();
            passthrough = true;
        }
    }

    private void completeField() throws IOException {
        if (passthrough) {
            passthrough = false;
            if (passthroughName != null) {
                seen.add(passthroughName);
            }
            return;
        }
        if (field.size() == 0) {
            return;
        }
        String raw = field.toString(StandardCharsets.UTF_8);
        byte[] bytes = field.toByteArray();
        field.reset();
        String name = name(raw);
        if (name != null) {
            seen.add(name);
            String value = raw.substring(raw.indexOf(':') + 1).replaceAll("\r?\n(?=[ \t])|\r(?=[ \t])", "").strip();
            inspector.field(name, value);
        }
        if (inspector.keep(bytes)) {
            out.write(bytes);
            lastByte = raw.charAt(raw.length() - 1);
        }
    }

    private void endHeader() throws IOException {
        String extra = inspector.endOfHeader(Set.copyOf(seen));
        if (!extra.isEmpty()) {
            if (lastByte != '\n') {
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write(extra.getBytes(StandardCharsets.UTF_8));
            lastByte = '\n';
        }
    }

    /** The field name in lower case, or null when the line is no field ("name:" missing). */
    private static String name(String raw) {
        int colon = raw.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        String n = raw.substring(0, colon).strip();
        return n.isEmpty() || n.chars().anyMatch(c -> c <= 32 || c >= 127) ? null : n.toLowerCase(Locale.ROOT);
    }

    /** Ends the message: a message that was all header still gets its added fields. */
    void finish() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        if (!inBody) {
            completeField();
            endHeader();
            inBody = true;
        }
        out.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            finish();
        } finally {
            out.close();
        }
    }
}
