package org.postern.imap.parse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bytes of one literal (RFC 9051 §4.3) or literal8 (RFC 3516 §4.1), held on the heap when
 * small and in a temporary file otherwise.
 *
 * <p>Ownership: a literal belongs to the {@link WireCommand} it was read with; closing that
 * command closes the literal, which deletes its file. Parsed {@link Command}s only borrow
 * literals, so they are valid until the wire command is closed.
 *
 * <p>Equality: two in-memory literals are equal when their bytes and kind are; a file-backed
 * literal equals only itself. {@link #toString()} never shows the content.
 */
public final class Literal implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Literal.class);
    private final byte[] bytes;
    private final Path file;
    private final long size;
    private final boolean binary;
    private final boolean containsNul;
    private volatile boolean closed;

    private Literal(byte[] bytes, Path file, long size, boolean binary, boolean containsNul) {
        this.bytes = bytes;
        this.file = file;
        this.size = size;
        this.binary = binary;
        this.containsNul = containsNul;
    }

    /** An in-memory literal ({@code {n}}); the array is copied. */
    public static Literal of(byte[] content) {
        return new Literal(content.clone(), null, content.length, false, indexOfNul(content) >= 0);
    }

    /** An in-memory literal8 ({@code ~{n}}); the array is copied. */
    public static Literal binary(byte[] content) {
        return new Literal(content.clone(), null, content.length, true, indexOfNul(content) >= 0);
    }

    static Literal inMemory(byte[] owned, boolean binary, boolean containsNul) {
        return new Literal(owned, null, owned.length, binary, containsNul);
    }

    static Literal onFile(Path file, long size, boolean binary, boolean containsNul) {
        return new Literal(null, Objects.requireNonNull(file), size, binary, containsNul);
    }

    /** The number of octets. */
    public long size() {
        return size;
    }

    /** True for a literal8 ({@code ~{n}}, RFC 3516), which may carry NUL and any octet. */
    public boolean isBinary() {
        return binary;
    }

    /** True when an octet is zero: not allowed in a plain literal (RFC 9051 §4.3, CHAR8). */
    public boolean containsNul() {
        return containsNul;
    }

    public boolean isInMemory() {
        return bytes != null;
    }

    /** The temporary file holding the bytes, for literals too big for the heap. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** A fresh stream over the bytes. */
    public InputStream open() throws IOException {
        checkOpen();
        return bytes != null ? new ByteArrayInputStream(bytes) : Files.newInputStream(file);
    }

    /** A copy of the bytes; for a file-backed literal, read from the file. */
    public byte[] bytes() throws IOException {
        checkOpen();
        if (bytes != null) {
            return bytes.clone();
        }
        if (size > Integer.MAX_VALUE - 16) {
            throw new IOException("literal of " + size + " bytes does not fit in an array");
        }
        return Files.readAllBytes(file);
    }

    /** Deletes the file, if any (a failure is logged, not thrown). Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                log.warn("cannot delete spooled literal {}: {}", file, e.toString());
            }
        }
    }

    public boolean isClosed() {
        return closed;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("literal closed: its command has been closed");
        }
    }

    static int indexOfNul(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        return o instanceof Literal l && bytes != null && l.bytes != null && binary == l.binary
                && Arrays.equals(bytes, l.bytes);
    }

    @Override
    public int hashCode() {
        return bytes != null ? Arrays.hashCode(bytes) * 31 + Boolean.hashCode(binary) : System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return (binary ? "Literal8[" : "Literal[") + size + " bytes" + (file != null ? ", spooled" : "") + "]";
    }
}
