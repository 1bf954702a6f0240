package org.postern.mime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The {@link MessageSource} implementations. */
final class MessageSources {

    private MessageSources() {
    }

    static void checkRange(long size, long offset, long length) {
        if (offset < 0 || length < 0 || offset > size || length > size - offset) {
            throw new IndexOutOfBoundsException("range " + offset + "+" + length + " outside 0.." + size);
        }
    }

    record Bytes(byte[] message) implements MessageSource {
        @Override
        public long size() {
            return message.length;
        }

        @Override
        public InputStream open(long offset, long length) {
            checkRange(message.length, offset, length);
            return new ByteArrayInputStream(message, (int) offset, (int) length);
        }
    }

    record PathSource(Path file, long size) implements MessageSource {
        @Override
        public InputStream open(long offset, long length) throws IOException {
            checkRange(size, offset, length);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            return new ChannelStream(channel, offset, length, true);
        }
    }

    record ChannelSource(FileChannel channel, long size) implements MessageSource {
        @Override
        public InputStream open(long offset, long length) {
            checkRange(size, offset, length);
            return new ChannelStream(channel, offset, length, false);
        }
    }

    /** Reads a range of a channel with positional reads, through a small buffer. */
    private static final class ChannelStream extends InputStream {
        private final FileChannel channel;
        private final boolean closeChannel;
        private final ByteBuffer buffer = ByteBuffer.allocate(16 * 1024).flip();
        private long position;
        private long remaining;

        ChannelStream(FileChannel channel, long offset, long length, boolean closeChannel) {
            this.channel = channel;
            this.position = offset;
            this.remaining = length;
            this.closeChannel = closeChannel;
        }

        private boolean fill() throws IOException {
            if (buffer.hasRemaining()) {
                return true;
            }
            if (remaining == 0) {
                return false;
            }
            buffer.clear();
            buffer.limit((int) Math.min(buffer.capacity(), remaining));
            int n = channel.read(buffer, position);
            buffer.flip();
            if (n <= 0) {
                throw new IOException("message file ended early at " + position);
            }
            position += n;
            remaining -= n;
            return true;
        }

        @Override
        public int read() throws IOException {
            return fill() ? buffer.get() & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, buffer.remaining());
            buffer.get(b, off, n);
            return n;
        }

        @Override
        public void close() throws IOException {
            if (closeChannel) {
                channel.close();
            }
        }
    }
}
