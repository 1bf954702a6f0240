package org.postern.mime;

/**
 * Thrown by {@link ParsedMessage#decode(byte[])} when the stored form is corrupt, truncated or of
 * an unknown version. The store can recover by parsing the raw message again.
 */
public final class StructureDecodeException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public StructureDecodeException(String message) {
        super(message);
    }

    public StructureDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
