package org.postern.mime;

/** The result of a BINARY[...] section (RFC 3516 §4.2). */
public sealed interface BinaryResult permits BinaryResult.Decoded, BinaryResult.UnknownEncoding, BinaryResult.Missing {

    /** The decoded content; its length is BINARY.SIZE. */
    record Decoded(SectionContent content) implements BinaryResult {
    }

    /** The part's Content-Transfer-Encoding cannot be decoded: reply NO [UNKNOWN-CTE]. */
    record UnknownEncoding(String encoding) implements BinaryResult {
    }

    /** No such part. */
    record Missing() implements BinaryResult {
    }
}
