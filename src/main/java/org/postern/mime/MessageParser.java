package org.postern.mime;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.OptionalLong;

/**
 * Parses a raw message once, at delivery, into a {@link ParsedMessage}.
 *
 * <p>Delivery never fails on bad MIME: only an {@link IOException} of the stream escapes. Broken
 * structure is repaired as {@link EntityParser} describes; entities beyond {@link MimeLimits}
 * stay inside an application/octet-stream body ({@link ParsedMessage.Status#LIMITED}); and should
 * parsing fail unexpectedly, the message becomes one text/plain part covering the whole body,
 * with whatever header fields were read ({@link ParsedMessage.Status#FALLBACK}). Memory use is
 * bounded by the limits, not by the size of the message.
 */
public final class MessageParser {

    private MessageParser() {
    }

    /** Parses with {@link MimeLimits#DEFAULT}. The stream is read to its end, not closed. */
    public static ParsedMessage parse(InputStream raw) throws IOException {
        return parse(raw, MimeLimits.DEFAULT);
    }

    /** Parses with the given limits. The stream is read to its end, not closed. */
    public static ParsedMessage parse(InputStream raw, MimeLimits limits) throws IOException {
        return parse(raw, limits, MimeFieldsParser::parse);
    }

    /** As {@link #parse(InputStream, MimeLimits)}, with the MIME field reader replaceable for tests. */
    static ParsedMessage parse(InputStream raw, MimeLimits limits, EntityParser.FieldsReader fields) throws IOException {
        LineReader in = new LineReader(raw);
        EntityParser parser = new EntityParser(in, limits, fields);
        try {
            EntityParser.Entity root = parser.parseMessage();
            in.skipToEnd();
            return assemble(root.part(), root.header(), in.offset(),
                    parser.limited() ? ParsedMessage.Status.LIMITED : ParsedMessage.Status.COMPLETE);
        } catch (RuntimeException | StackOverflowError e) {
            in.skipToEnd();
            return fallback(parser, in);
        }
    }

    private static ParsedMessage fallback(EntityParser parser, LineReader in) {
        long size = in.offset();
        long bodyStart = parser.topBodyStart >= 0 ? parser.topBodyStart : 0;
        long lines = in.lfCount() - (parser.topBodyStart >= 0 ? parser.topBodyLf : 0);
        BodyPart root = new BodyPart.Leaf(MimeFields.defaultText(), new Span(0, bodyStart, size, Math.max(0, lines)));
        RawHeader header = parser.topHeader;
        if (header == null) {
            header = new RawHeader(new RawHeader.Budget(0));
        }
        try {
            return assemble(root, header, size, ParsedMessage.Status.FALLBACK);
        } catch (RuntimeException e) {
            return new ParsedMessage(size, root, Envelope.EMPTY, "", OptionalLong.empty(), null, null,
                    List.of(), List.of(), ParsedMessage.Status.FALLBACK);
        }
    }

    private static ParsedMessage assemble(BodyPart root, RawHeader header, long size, ParsedMessage.Status status) {
        Envelope envelope = EnvelopeBuilder.build(header);
        List<Address.Mailbox> from = Envelope.mailboxes(envelope.from());
        String subject = envelope.subject() == null ? "" : EncodedWords.decode(envelope.subject());
        return new ParsedMessage(
                size,
                root,
                envelope,
                subject,
                DateParser.parse(envelope.date()),
                from.isEmpty() ? null : from.get(0),
                MessageIds.first(envelope.messageId()),
                MessageIds.all(envelope.inReplyTo()),
                MessageIds.all(header.get("references")),
                status);
    }
}
