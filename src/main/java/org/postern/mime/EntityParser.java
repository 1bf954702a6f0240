package org.postern.mime;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a raw message into MIME entities while reading it once, line by line, recording exact
 * byte offsets. Header fields are collected for {@link MimeFieldsParser} and {@link EnvelopeBuilder};
 * bodies are only scanned for boundary lines, never held in memory.
 *
 * <p>Boundaries follow RFC 2046 §5.1.1: a line starting with "--" and the boundary is a
 * delimiter (only the start of the line must match, as the RFC's note to implementors says),
 * "--" after it closes the multipart, and the line break before it belongs to the delimiter.
 * When boundaries of several enclosing multiparts match, the longest wins. Robustness rules for
 * broken input: a boundary of an enclosing multipart ends the inner ones; a multipart whose close
 * delimiter is missing runs to the end of its parent; a header that meets a boundary or the end
 * of input before its blank line ends there, with an empty body; and a blank line right before a
 * boundary line is the delimiter's line break, so the part before it has a header and no body.
 *
 * <p>Limits: an entity deeper than {@link MimeLimits#maxDepth()} is not expanded, and once
 * {@link MimeLimits#maxParts()} entities exist no boundary is recognised any more, so the last
 * body runs to the end of the message; both are reported as {@link ParsedMessage.Status#LIMITED}.
 */
final class EntityParser {

    /** A parsed entity and the header it was built from. */
    record Entity(BodyPart part, RawHeader header) {
    }

    /** Reads the MIME fields of a header; {@link MimeFieldsParser#parse} outside of tests. */
    @FunctionalInterface
    interface FieldsReader {
        MimeFields read(RawHeader header, MimeFields defaults);
    }

    private final LineReader in;
    private final MimeLimits limits;
    private final FieldsReader fieldsReader;
    private final RawHeader.Budget budget;
    private final List<byte[]> boundaries = new ArrayList<>();
    private int parts;
    private boolean limited;

    /** Set once the top-level header is read, for the fallback. */
    RawHeader topHeader;
    long topBodyStart = -1;
    long topBodyLf;

    EntityParser(LineReader in, MimeLimits limits, FieldsReader fieldsReader) {
        this.in = in;
        this.limits = limits;
        this.fieldsReader = fieldsReader;
        this.budget = new RawHeader.Budget(limits.headerBytes());
    }

    boolean limited() {
        return limited;
    }

    /** Parses the whole message: its top-level entity runs to the end of input. */
    Entity parseMessage() throws IOException {
        return parse(0, MimeFields.defaultText());
    }

    private Entity parse(int depth, MimeFields defaults) throws IOException {
        parts++;
        long headerStart = in.offset();
        RawHeader header = new RawHeader(budget);
        long bodyStart;
        long blankLine = -1;
        boolean bodyMissing = false;
        while (true) {
            if (!in.peek()) {
                bodyStart = in.offset();
                bodyMissing = true;
                break;
            }
            if (matchBoundary() >= 0) {
                bodyStart = Math.max(headerStart, in.offset() - in.previousLineBreak());
                bodyMissing = true;
                break;
            }
            if (in.isBlank()) {
                blankLine = in.offset();
                in.consume();
                bodyStart = in.offset();
                break;
            }
            header.line(in.buffer(), in.lineStart(), in.lineLength(), in.atLineStart());
            in.consume();
        }
        header.finish();
        if (depth == 0) {
            topHeader = header;
            topBodyStart = bodyStart;
            topBodyLf = in.lfCount();
        }

        MimeFields fields = fieldsReader.read(header, defaults);
        byte[] boundary = null;
        if (fields.isMultipart()) {
            String value = MimeFieldsParser.boundary(fields);
            if (value == null) {
                fields = fields.withType("text", "plain"); // RFC 2046 §5.1.1 requires one; RFC 2045 §5.2
            } else if (depth >= limits.maxDepth() || parts >= limits.maxParts()) {
                fields = opaque(fields);
            } else {
                boundary = header.field("content-type").bytes(value);
            }
        }
        if (fields.isMessage() && (depth >= limits.maxDepth() || parts >= limits.maxParts())) {
            fields = opaque(fields);
        }
        if (blankLine >= 0 && beforeOuterBoundary(boundary)) {
            // RFC 2046 §5.1.1: a line break right before a boundary line is the delimiter's,
            // even when it would end the header (Dovecot reads it so too)
            bodyStart = blankLine;
            bodyMissing = true;
        }
        long bodyLf = in.lfCount();

        if (boundary != null) {
            return new Entity(multipart(depth, fields, boundary, headerStart, bodyStart, bodyLf, bodyMissing), header);
        }
        if (fields.isMessage()) {
            return new Entity(message(depth, fields, headerStart, bodyStart, bodyLf, bodyMissing), header);
        }
        if (!bodyMissing) {
            skipBody();
        }
        return new Entity(new BodyPart.Leaf(fields, endSpan(headerStart, bodyStart, bodyLf)), header);
    }

    /**
     * Whether the line after a header's blank line is a boundary of an enclosing multipart. The
     * entity's own boundary (when it is a multipart) takes part in the longest match, so that its
     * first delimiter is not mistaken for a shorter outer boundary it starts with.
     */
    private boolean beforeOuterBoundary(byte[] own) throws IOException {
        if (boundaries.isEmpty() || !in.peek()) {
            return false;
        }
        if (own == null) {
            return matchBoundary() >= 0;
        }
        boundaries.add(own);
        try {
            int match = matchBoundary();
            return match >= 0 && match != boundaries.size() - 1;
        } finally {
            boundaries.remove(boundaries.size() - 1);
        }
    }

    private MimeFields opaque(MimeFields fields) {
        limited = true;
        return fields.withType("application", "octet-stream");
    }

    private BodyPart multipart(int depth, MimeFields fields, byte[] boundary,
                               long headerStart, long bodyStart, long bodyLf, boolean bodyMissing)
            throws IOException {
        List<BodyPart> children = new ArrayList<>();
        MimeFields childDefaults = fields.subtype().equals("digest")
                ? MimeFields.defaultMessage() : MimeFields.defaultText();
        int own = boundaries.size();
        boundaries.add(boundary);
        try {
            while (!bodyMissing) {
                skipBody();
                if (!in.peek() || matchBoundary() != own) {
                    break; // end of input, or a boundary of an enclosing multipart
                }
                boolean close = isCloseDelimiter(boundary);
                in.consume();
                if (close) {
                    boundaries.remove(own);
                    skipBody(); // epilogue
                    break;
                }
                children.add(parse(depth + 1, childDefaults).part());
            }
        } finally {
            while (boundaries.size() > own) {
                boundaries.remove(boundaries.size() - 1);
            }
        }
        long minEnd = children.isEmpty() ? bodyStart : children.get(children.size() - 1).span().bodyEnd();
        return new BodyPart.Multipart(fields, endSpan(headerStart, bodyStart, bodyLf, minEnd), children);
    }

    private BodyPart message(int depth, MimeFields fields,
                             long headerStart, long bodyStart, long bodyLf, boolean bodyMissing)
            throws IOException {
        BodyPart embedded;
        Envelope envelope;
        if (bodyMissing) {
            parts++;
            embedded = new BodyPart.Leaf(MimeFields.defaultText(), Span.empty(bodyStart));
            envelope = Envelope.EMPTY;
        } else {
            Entity entity = parse(depth + 1, MimeFields.defaultText());
            embedded = entity.part();
            envelope = EnvelopeBuilder.build(entity.header());
        }
        return new BodyPart.Message(fields, endSpan(headerStart, bodyStart, bodyLf, embedded.span().bodyEnd()),
                envelope, embedded);
    }

    /** Consumes lines up to the next boundary line of any open multipart, or the end. */
    private void skipBody() throws IOException {
        while (in.peek() && matchBoundary() < 0) {
            in.consume();
        }
    }

    /**
     * The span of an entity whose body ends here: at the end of input, or before the line break
     * that precedes the boundary line now current.
     */
    private Span endSpan(long headerStart, long bodyStart, long bodyLf) throws IOException {
        return endSpan(headerStart, bodyStart, bodyLf, bodyStart);
    }

    /**
     * As {@link #endSpan(long, long, long)}, the body ending no earlier than {@code minEnd}: when
     * the last child's header took the line break before the boundary as its blank line, that
     * line break stays inside the parent too (as Dovecot does), so that children nest.
     */
    private Span endSpan(long headerStart, long bodyStart, long bodyLf, long minEnd) throws IOException {
        long end = in.offset();
        long lines = in.lfCount() - bodyLf;
        if (in.peek()) {
            long beforeBreak = Math.max(minEnd, end - in.previousLineBreak());
            if (beforeBreak < end) {
                lines--;
            }
            end = beforeBreak;
        }
        return new Span(headerStart, bodyStart, end, end == bodyStart ? 0 : lines);
    }

    /**
     * Index in {@link #boundaries} of the boundary the current line is a delimiter of, or -1.
     * The longest match wins; among equal ones the innermost.
     */
    private int matchBoundary() {
        if (boundaries.isEmpty() || !in.atLineStart()) {
            return -1;
        }
        int match = longestMatch();
        if (match >= 0 && parts >= limits.maxParts()) {
            // Past the part limit no boundary counts: the rest stays in the current body,
            // where a client can still read it (Dovecot does the same).
            limited = true;
            return -1;
        }
        return match;
    }

    private int longestMatch() {
        byte[] buf = in.buffer();
        int s = in.lineStart();
        int len = in.contentLength();
        if (len < 2 || buf[s] != '-' || buf[s + 1] != '-') {
            return -1;
        }
        int best = -1;
        int bestLength = -1;
        for (int b = boundaries.size() - 1; b >= 0; b--) {
            byte[] boundary = boundaries.get(b);
            if (boundary.length > bestLength && boundary.length <= len - 2
                    && startsWith(buf, s + 2, boundary)) {
                best = b;
                bestLength = boundary.length;
            }
        }
        return best;
    }

    private boolean isCloseDelimiter(byte[] boundary) {
        byte[] buf = in.buffer();
        int at = in.lineStart() + 2 + boundary.length;
        return in.contentLength() >= 4 + boundary.length && buf[at] == '-' && buf[at + 1] == '-';
    }

    private static boolean startsWith(byte[] buf, int off, byte[] prefix) {
        for (int k = 0; k < prefix.length; k++) {
            if (buf[off + k] != prefix[k]) {
                return false;
            }
        }
        return true;
    }
}
