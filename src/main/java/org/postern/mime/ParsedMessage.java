package org.postern.mime;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What Postern keeps about a message after parsing it once at delivery: its MIME tree with byte
 * offsets into the raw message, its ENVELOPE, and decoded fields for sorting, searching and
 * threading. {@link #encode()} gives a compact form to store beside the message so that FETCH
 * never parses again.
 *
 * @param size size of the raw message in octets (RFC822.SIZE when stored with CRLF)
 * @param root the top-level entity; its header is the message header
 * @param subject the Subject with RFC 2047 encoded words decoded, "" when absent
 * @param sentDate the Date header as epoch milliseconds, empty when absent or unparseable
 * @param from the first mailbox of From, or null
 * @param messageId the first msg-id of Message-ID without angle brackets, or null
 * @param inReplyTo msg-ids of In-Reply-To, without angle brackets
 * @param references msg-ids of References, without angle brackets, in order
 * @param status whether the tree is complete, cut by limits, or a fallback
 */
public record ParsedMessage(
        long size,
        BodyPart root,
        Envelope envelope,
        String subject,
        OptionalLong sentDate,
        Address.Mailbox from,
        String messageId,
        List<String> inReplyTo,
        List<String> references,
        Status status) {

    /** How faithfully the tree describes the message. */
    public enum Status {
        /** Every entity was parsed. */
        COMPLETE,
        /** Nesting or part-count limits were reached; the rest is shown as opaque bodies. */
        LIMITED,
        /** Parsing failed unexpectedly; the message is one text/plain part. */
        FALLBACK
    }

    public ParsedMessage {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(sentDate, "sentDate");
        Objects.requireNonNull(status, "status");
        inReplyTo = List.copyOf(inReplyTo);
        references = List.copyOf(references);
    }

    /** Size of the message header in octets, the blank line included. */
    public long headerSize() {
        return root.span().bodyStart();
    }

    /**
     * The entity an IMAP part number names (RFC 3501 §6.4.5): "1" of a single-part message is its
     * body, the parts of a message/rfc822 are those of the embedded message. Empty when the part
     * does not exist; an empty path is not a part.
     */
    public Optional<BodyPart> part(int... path) {
        return PartPath.resolve(root, path);
    }

    /** The compact, versioned binary form; see {@link #decode(byte[])}. */
    public byte[] encode() {
        return StructureCodec.encode(this);
    }

    /**
     * Reads what {@link #encode()} wrote.
     *
     * @throws StructureDecodeException when the bytes are corrupt, truncated or of an unknown version
     */
    public static ParsedMessage decode(byte[] encoded) {
        return StructureCodec.decode(encoded);
    }
}
