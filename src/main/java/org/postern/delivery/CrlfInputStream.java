package org.postern.delivery;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Turns bare LF and bare CR line endings into CRLF, as messages must be stored for IMAP
 * (RFC 5322 §2.1); CRLF stays as it is. For messages from files (import, {@code postern deliver}),
 * which are usually written with LF.
 */
public final class CrlfInputStream extends FilterInputStream {
    /** A byte to return before reading more, or -1. */
    private int pending = -1;
    /** The last byte read from the source was a CR, already passed on. */
    private boolean afterCr;

    public CrlfInputStream(InputStream in) {
        super(in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 64 * 1024));
    }

    @Override
    public int read() throws IOException {
        if (pending >= 0) {
            int p = pending;
            pending = -1;
            return p;
        }
        int b = in.read();
        if (afterCr) {
            afterCr = false;
            if (b == '\n') {
                return b;
            }
            // A bare CR: give it its LF, and keep b for the next call.
            if (b >= 0) {
                pending = b;
                afterCr = b == '\r';
            }
            return '\n';
        }
        if (b == '\r') {
            afterCr = true;
        } else if (b == '\n') {
            pending = '\n';
            return '\r';
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int n = 0;
        while (n < len) {
            int b = read();
            if (b < 0) {
                return n == 0 ? -1 : n;
            }
            buf[off + n++] = (byte) b;
            if (pending < 0 && in.available() <= 0) {
                break; // do not block for more than the caller needs
            }
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = 0;
        while (skipped < n && read() >= 0) {
            skipped++;
        }
        return skipped;
    }

    @Override
    public int available() throws IOException {
        return (pending >= 0 ? 1 : 0) + in.available();
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
