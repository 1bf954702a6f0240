package org.postern.net;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;

/**
 * Hands out its bytes in small pieces: one at a time, or random sizes, like a slow network; can
 * also throw a read timeout at chosen offsets.
 */
final class ChunkedInputStream extends InputStream {
    private final byte[] data;
    private final Random random;
    private final int maxChunk;
    private final Deque<Integer> timeoutsAt = new ArrayDeque<>();
    private int pos;

    private ChunkedInputStream(byte[] data, int maxChunk, long seed) {
        this.data = data;
        this.maxChunk = maxChunk;
        this.random = new Random(seed);
    }

    static ChunkedInputStream oneByteAtATime(byte[] data) {
        return new ChunkedInputStream(data, 1, 0);
    }

    static ChunkedInputStream randomChunks(byte[] data, int maxChunk, long seed) {
        return new ChunkedInputStream(data, maxChunk, seed);
    }

    /** Throws SocketTimeoutException once when a read would start at {@code offset}. */
    ChunkedInputStream timeoutAt(int offset) {
        timeoutsAt.add(offset);
        return this;
    }

    @Override
    public int read() {
        return pos < data.length ? data[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (!timeoutsAt.isEmpty() && timeoutsAt.peek() == pos) {
            timeoutsAt.poll();
            throw new SocketTimeoutException("test timeout");
        }
        if (pos >= data.length) {
            return -1;
        }
        int n = Math.min(len, Math.min(data.length - pos, 1 + random.nextInt(maxChunk)));
        if (!timeoutsAt.isEmpty() && timeoutsAt.peek() > pos) {
            n = Math.min(n, timeoutsAt.peek() - pos);
        }
        System.arraycopy(data, pos, b, off, n);
        pos += n;
        return n;
    }

    int position() {
        return pos;
    }
}
