package org.postern.mime;

/**
 * Bounds that keep parsing cheap whatever the input.
 *
 * @param maxDepth deepest nesting of multiparts and embedded messages that is expanded
 * @param maxParts most entities in one message; the rest stays inside opaque bodies
 * @param headerBytes bytes of kept header values (Content-*, address, date, subject, ids) for
 *     the whole message; fields past it are ignored
 */
public record MimeLimits(int maxDepth, int maxParts, long headerBytes) {

    /** 64 levels, 5,000 parts, 8 MB of header values. */
    public static final MimeLimits DEFAULT = new MimeLimits(64, 5_000, 8L << 20);

    public MimeLimits {
        if (maxDepth < 1 || maxParts < 1 || headerBytes < 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
