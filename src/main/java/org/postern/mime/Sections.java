package org.postern.mime;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

import org.apache.james.mime4j.codec.Base64InputStream;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.QuotedPrintableInputStream;

/**
 * Body sections (RFC 3501 §6.4.5, RFC 9051 §6.4.5) and BINARY sections (RFC 3516) served from the
 * stored raw message by offset, using the offsets of a {@link ParsedMessage}. Raw sections are
 * streamed from the source; HEADER.FIELDS holds only the filtered header in memory; BINARY decodes
 * while streaming.
 *
 * <p>Resolution: a part number picks an entity as {@link ParsedMessage#part(int...)} does. With a
 * part number, no specifier gives the part's body (for a message/rfc822 part: the whole embedded
 * message), MIME its MIME header, and HEADER, HEADER.FIELDS[.NOT] and TEXT the header and body of
 * the message a message/rfc822 part embeds. A part that does not exist, or HEADER/TEXT of a part
 * that is not a message, gives empty content with {@link SectionContent#exists()} false.
 */
public final class Sections {

    private Sections() {
    }

    public static SectionContent fetch(ParsedMessage message, MessageSource source, SectionSpec spec)
            throws IOException {
        if (source.size() != message.size()) {
            throw new IllegalArgumentException("source has " + source.size() + " octets, message " + message.size());
        }
        if (spec.path().isEmpty()) {
            return ofMessage(message.root(), source, spec);
        }
        Optional<BodyPart> found = message.part(toArray(spec));
        if (found.isEmpty()) {
            return Contents.missing();
        }
        BodyPart part = found.get();
        Span span = part.span();
        return switch (spec.kind()) {
            case ALL -> Contents.range(source, span.bodyStart(), span.bodySize());
            case MIME -> Contents.range(source, span.headerStart(), span.headerSize());
            case HEADER, HEADER_FIELDS, HEADER_FIELDS_NOT, TEXT ->
                    part instanceof BodyPart.Message m ? ofMessage(m.body(), source, spec) : Contents.missing();
        };
    }

    /** A section of the message whose top-level entity is {@code root}. */
    private static SectionContent ofMessage(BodyPart root, MessageSource source, SectionSpec spec) throws IOException {
        Span span = root.span();
        return switch (spec.kind()) {
            case ALL -> Contents.range(source, span.headerStart(), span.bodyEnd() - span.headerStart());
            case HEADER -> Contents.range(source, span.headerStart(), span.headerSize());
            case TEXT -> Contents.range(source, span.bodyStart(), span.bodySize());
            case HEADER_FIELDS, HEADER_FIELDS_NOT -> {
                try (InputStream header = new BufferedInputStream(source.open(span.headerStart(), span.headerSize()))) {
                    yield Contents.bytes(HeaderFieldsFilter.filter(header, spec.fields(),
                            spec.kind() == SectionSpec.Kind.HEADER_FIELDS_NOT));
                }
            }
            case MIME -> throw new IllegalArgumentException("MIME needs a part number");
        };
    }

    /**
     * BINARY[path] (RFC 3516 §4.2): the part's body with its Content-Transfer-Encoding removed.
     * An empty path is the whole message, which, like multiparts and messages, is not decoded.
     */
    public static BinaryResult binary(ParsedMessage message, MessageSource source, int... path) {
        if (path.length == 0) {
            return new BinaryResult.Decoded(Contents.range(source, 0, message.size()));
        }
        Optional<BodyPart> found = message.part(path);
        if (found.isEmpty()) {
            return new BinaryResult.Missing();
        }
        BodyPart part = found.get();
        Span span = part.span();
        if (!(part instanceof BodyPart.Leaf)) {
            return new BinaryResult.Decoded(Contents.range(source, span.bodyStart(), span.bodySize()));
        }
        String encoding = part.fields().encodingOrDefault();
        return switch (encoding) {
            case "7bit", "8bit", "binary" ->
                    new BinaryResult.Decoded(Contents.range(source, span.bodyStart(), span.bodySize()));
            case "base64" -> new BinaryResult.Decoded(Contents.computed(() -> new Base64InputStream(
                    open(source, span), DecodeMonitor.SILENT)));
            case "quoted-printable" -> new BinaryResult.Decoded(Contents.computed(() -> new QuotedPrintableInputStream(
                    open(source, span), DecodeMonitor.SILENT)));
            default -> new BinaryResult.UnknownEncoding(encoding);
        };
    }

    private static InputStream open(MessageSource source, Span span) throws IOException {
        return new BufferedInputStream(source.open(span.bodyStart(), span.bodySize()), 16 * 1024);
    }

    private static int[] toArray(SectionSpec spec) {
        int[] path = new int[spec.path().size()];
        for (int i = 0; i < path.length; i++) {
            path[i] = spec.path().get(i);
        }
        return path;
    }
}
