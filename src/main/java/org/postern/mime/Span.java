package org.postern.mime;

/**
 * Where one MIME entity lies in the raw message, as absolute byte offsets.
 *
 * <p>{@code headerStart <= bodyStart <= bodyEnd}. The header section is
 * {@code [headerStart, bodyStart)} and includes the blank line that ends it; the body is
 * {@code [bodyStart, bodyEnd)}. A body that is followed by a boundary line does not include the
 * line break before the boundary (RFC 2046 §5.1.1: that CRLF belongs to the delimiter).
 *
 * @param bodyLines number of line feeds in the body, the "size in text lines" of
 *     RFC 3501 §7.4.2 (a last line without a line break is not counted)
 */
public record Span(long headerStart, long bodyStart, long bodyEnd, long bodyLines) {

    public Span {
        if (headerStart < 0 || bodyStart < headerStart || bodyEnd < bodyStart || bodyLines < 0) {
            throw new IllegalArgumentException("inconsistent span " + headerStart + "/" + bodyStart
                    + "/" + bodyEnd + "/" + bodyLines);
        }
    }

    /** Size of the header section in octets, blank line included. */
    public long headerSize() {
        return bodyStart - headerStart;
    }

    /** Size of the body in octets (RFC 3501 §7.4.2 body-fld-octets). */
    public long bodySize() {
        return bodyEnd - bodyStart;
    }

    /** An empty span at {@code offset}: no header, no body. */
    static Span empty(long offset) {
        return new Span(offset, offset, offset, 0);
    }
}
