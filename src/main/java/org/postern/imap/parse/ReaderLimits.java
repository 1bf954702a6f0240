package org.postern.imap.parse;

/**
 * The size limits a {@link CommandReader} enforces on one client command. Lines themselves are
 * bounded by the {@link org.postern.net.LineReader}'s {@code maxLineBytes}.
 *
 * @param maxCommandBytes       for every command but APPEND: the sum of its literal sizes and of
 *                              the lengths of the lines that follow a literal; for APPEND: the sum
 *                              of those lines only
 * @param maxMessageBytes       the largest single literal an APPEND may carry (the message size
 *                              limit, advertised as APPENDLIMIT, RFC 7889)
 * @param maxAppendBytes        the sum of all literal sizes in one APPEND (MULTIAPPEND, RFC 3502)
 * @param maxNonSyncLiteral     the largest non-synchronizing literal accepted: 4096 for LITERAL-,
 *                              {@link Long#MAX_VALUE} for LITERAL+ (RFC 7888 §4, §5); larger ones
 *                              are still bounded by the limits above
 * @param maxDiscardBytes       how many bytes of rejected non-synchronizing literals are read and
 *                              thrown away so that the connection can go on; beyond this the
 *                              reader asks the session to close the connection
 * @param memoryBytes           literal bytes one command may keep on the heap; literals that do not
 *                              fit go to a temporary file
 */
public record ReaderLimits(long maxCommandBytes, long maxMessageBytes, long maxAppendBytes,
                           long maxNonSyncLiteral, long maxDiscardBytes, long memoryBytes) {

    public static final long KIB = 1024;
    public static final long MIB = 1024 * KIB;

    /** 64 KiB commands, 35 MiB messages (as Gmail), LITERAL+, 64 KiB on the heap. */
    public static final ReaderLimits DEFAULT = new ReaderLimits(64 * KIB, 35 * MIB, 256 * MIB,
            Long.MAX_VALUE, 64 * MIB, 64 * KIB);

    public ReaderLimits {
        positive("maxCommandBytes", maxCommandBytes);
        positive("maxMessageBytes", maxMessageBytes);
        positive("maxAppendBytes", maxAppendBytes);
        positive("maxNonSyncLiteral", maxNonSyncLiteral);
        if (maxDiscardBytes < 0) {
            throw new IllegalArgumentException("maxDiscardBytes must not be negative: " + maxDiscardBytes);
        }
        if (memoryBytes < 0 || memoryBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("memoryBytes out of range: " + memoryBytes);
        }
        if (maxAppendBytes < maxMessageBytes) {
            throw new IllegalArgumentException("maxAppendBytes must be at least maxMessageBytes");
        }
    }

    private static void positive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    public ReaderLimits withMaxCommandBytes(long n) {
        return new ReaderLimits(n, maxMessageBytes, maxAppendBytes, maxNonSyncLiteral, maxDiscardBytes, memoryBytes);
    }

    public ReaderLimits withMaxMessageBytes(long n) {
        return new ReaderLimits(maxCommandBytes, n, Math.max(n, maxAppendBytes), maxNonSyncLiteral,
                maxDiscardBytes, memoryBytes);
    }

    public ReaderLimits withMaxAppendBytes(long n) {
        return new ReaderLimits(maxCommandBytes, maxMessageBytes, n, maxNonSyncLiteral, maxDiscardBytes, memoryBytes);
    }

    /** LITERAL- (RFC 7888 §5) is {@code withMaxNonSyncLiteral(4096)}. */
    public ReaderLimits withMaxNonSyncLiteral(long n) {
        return new ReaderLimits(maxCommandBytes, maxMessageBytes, maxAppendBytes, n, maxDiscardBytes, memoryBytes);
    }

    public ReaderLimits withMaxDiscardBytes(long n) {
        return new ReaderLimits(maxCommandBytes, maxMessageBytes, maxAppendBytes, maxNonSyncLiteral, n, memoryBytes);
    }

    public ReaderLimits withMemoryBytes(long n) {
        return new ReaderLimits(maxCommandBytes, maxMessageBytes, maxAppendBytes, maxNonSyncLiteral, maxDiscardBytes, n);
    }
}
