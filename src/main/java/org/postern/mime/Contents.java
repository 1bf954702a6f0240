package org.postern.mime;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** {@link SectionContent} implementations. */
final class Contents {

    private Contents() {
    }

    /** Something that opens a fresh stream each time. */
    @FunctionalInterface
    interface Opener {
        InputStream open() throws IOException;
    }

    static SectionContent missing() {
        return new Bytes(new byte[0], false);
    }

    static SectionContent range(MessageSource source, long offset, long length) {
        return new Range(source, offset, length);
    }

    static SectionContent bytes(byte[] bytes) {
        return new Bytes(bytes, true);
    }

    /** Content computed by a stream (decoding): length and NUL presence found in one pass. */
    static SectionContent computed(Opener opener) {
        return new Computed(opener);
    }

    static SectionContent slice(SectionContent whole, long from, long count) throws IOException {
        if (from == 0 && count == whole.length()) {
            return whole;
        }
        if (whole instanceof Range r) {
            return new Range(r.source(), r.offset() + from, count);
        }
        return new Slice(whole, from, count);
    }

    /** A range of the stored message. */
    record Range(MessageSource source, long offset, long length) implements SectionContent {
        Range {
            MessageSources.checkRange(source.size(), offset, length);
        }

        @Override
        public boolean exists() {
            return true;
        }

        @Override
        public InputStream open() throws IOException {
            return source.open(offset, length);
        }
    }

    /** Bytes in memory (filtered headers, or nothing). */
    record Bytes(byte[] bytes, boolean exists) implements SectionContent {
        @Override
        public long length() {
            return bytes.length;
        }

        @Override
        public InputStream open() {
            return new ByteArrayInputStream(bytes);
        }
    }

    private static final class Computed implements SectionContent {
        private final Opener opener;
        private long length = -1;
        private boolean nul;

        Computed(Opener opener) {
            this.opener = opener;
        }

        private synchronized void measure() throws IOException {
            if (length >= 0) {
                return;
            }
            long n = 0;
            boolean sawNul = false;
            try (InputStream in = opener.open()) {
                byte[] buf = new byte[8192];
                for (int r; (r = in.read(buf)) > 0; ) {
                    n += r;
                    for (int i = 0; i < r && !sawNul; i++) {
                        sawNul = buf[i] == 0;
                    }
                }
            }
            nul = sawNul;
            length = n;
        }

        @Override
        public boolean exists() {
            return true;
        }

        @Override
        public synchronized long length() throws IOException {
            measure();
            return length;
        }

        @Override
        public synchronized boolean containsNul() throws IOException {
            measure();
            return nul;
        }

        @Override
        public InputStream open() throws IOException {
            return opener.open();
        }
    }

    private record Slice(SectionContent whole, long from, long length) implements SectionContent {
        @Override
        public boolean exists() {
            return whole.exists();
        }

        @Override
        public InputStream open() throws IOException {
            InputStream in = whole.open();
            try {
                in.skipNBytes(from);
            } catch (IOException | RuntimeException e) {
                in.close();
                throw e;
            }
            return new Limited(in, length);
        }
    }

    /** Passes on at most {@code remaining} bytes. */
    static final class Limited extends FilterInputStream {
        private long remaining;

        Limited(InputStream in, long remaining) {
            super(in);
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return len == 0 ? 0 : -1;
            }
            int n = super.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(Math.min(n, remaining));
            remaining -= skipped;
            return skipped;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(super.available(), remaining);
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
