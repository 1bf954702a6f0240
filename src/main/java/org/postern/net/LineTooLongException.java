package org.postern.net;

import java.io.IOException;

/**
 * A line was longer than the reader's limit. Its bytes were discarded without being buffered.
 *
 * <p>When {@link #resynced()} is true the rest of the line, up to and including its terminator,
 * was skipped too, so the protocol can answer (IMAP {@code BAD}, SMTP {@code 500 5.5.2}) and read
 * the next line. When false the reader gave up skipping (the client kept sending without a line
 * end, or the stream ended) and the connection should be closed.
 */
public final class LineTooLongException extends IOException {
    private final long skippedBytes;
    private final int limit;
    private final boolean resynced;

    LineTooLongException(long skippedBytes, int limit, boolean resynced) {
        super("line too long: " + skippedBytes + " bytes skipped (limit " + limit + ")"
                + (resynced ? "" : ", no line end found"));
        this.skippedBytes = skippedBytes;
        this.limit = limit;
        this.resynced = resynced;
    }

    /** How many bytes of the line were discarded, terminator excluded. */
    public long skippedBytes() {
        return skippedBytes;
    }

    /** The limit in force, in bytes. */
    public int limit() {
        return limit;
    }

    /** True when the reader is positioned at the start of the next line. */
    public boolean resynced() {
        return resynced;
    }
}
