package org.postern.mime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Random access to a stored raw message, so that body sections stream from the blob without
 * loading it. The store implements it over its blob files; {@link #of(byte[])},
 * {@link #of(Path)} and {@link #of(FileChannel)} cover memory, files and open channels.
 */
public interface MessageSource {

    /** Size of the raw message in octets. */
    long size();

    /**
     * A stream of {@code length} bytes starting at {@code offset}. The caller closes it.
     *
     * @throws IndexOutOfBoundsException when the range is not inside the message
     */
    InputStream open(long offset, long length) throws IOException;

    static MessageSource of(byte[] message) {
        return new MessageSources.Bytes(message);
    }

    /** A file; each {@link #open} opens it again, so the source may be shared between threads. */
    static MessageSource of(Path file) throws IOException {
        return new MessageSources.PathSource(file, Files.size(file));
    }

    /** An open channel read with positional reads (safe to share); the caller closes the channel. */
    static MessageSource of(FileChannel channel) throws IOException {
        return new MessageSources.ChannelSource(channel, channel.size());
    }
}
