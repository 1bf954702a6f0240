package org.postern.mime;

import java.util.List;
import java.util.Objects;

/**
 * One MIME entity of a parsed message and where it lies in the raw bytes.
 *
 * <p>Invariants (checked by {@link ParsedMessage#decode(byte[])} and kept by the parser):
 * <ul>
 *   <li>a {@link Leaf} is never multipart/* or message/rfc822|global: an entity of those types
 *       that could not be expanded is re-typed (see {@link MessageParser});
 *   <li>children of a {@link Multipart} lie in order inside its body span;
 *   <li>the body of a {@link Message} is the embedded message's root entity, whose header starts
 *       where the message part's body starts and whose body ends where it ends.
 * </ul>
 */
public sealed interface BodyPart permits BodyPart.Leaf, BodyPart.Multipart, BodyPart.Message {

    MimeFields fields();

    Span span();

    /** A single-part entity: text, image, application and so on. */
    record Leaf(MimeFields fields, Span span) implements BodyPart {
        public Leaf {
            Objects.requireNonNull(fields, "fields");
            Objects.requireNonNull(span, "span");
        }
    }

    /**
     * A multipart entity (RFC 2046 §5.1). {@code children} may be empty when no boundary line was
     * found; IMAP then shows one empty text/plain part, as RFC 3501's grammar needs one.
     */
    record Multipart(MimeFields fields, Span span, List<BodyPart> children) implements BodyPart {
        public Multipart {
            Objects.requireNonNull(fields, "fields");
            Objects.requireNonNull(span, "span");
            children = List.copyOf(children);
        }
    }

    /** A message/rfc822 (or message/global) entity with its embedded message (RFC 2046 §5.2.1). */
    record Message(MimeFields fields, Span span, Envelope envelope, BodyPart body) implements BodyPart {
        public Message {
            Objects.requireNonNull(fields, "fields");
            Objects.requireNonNull(span, "span");
            Objects.requireNonNull(envelope, "envelope");
            Objects.requireNonNull(body, "body");
        }
    }
}
