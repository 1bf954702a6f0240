package org.postern.imap.parse;

import java.io.InputStream;

/** Hands out its bytes one at a time, like the slowest network, so every boundary gets hit. */
final class SlowInputStream extends InputStream {
    private final byte[] data;
    private int pos;

    SlowInputStream(byte[] data) {
        this.data = data;
    }

    @Override
    public int read() {
        return pos < data.length ? data[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        if (pos >= data.length) {
            return -1;
        }
        b[off] = data[pos++];
        return 1;
    }

    /** How many bytes were taken; exact, since nothing is read ahead. */
    int position() {
        return pos;
    }
}
