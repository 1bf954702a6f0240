package org.postern.imap;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.postern.net.Connection;

/**
 * Writes responses (RFC 9051 §7). Output is buffered by the connection and sent at
 * {@link #flush()}: the session flushes once per command, after the tagged response, and during
 * IDLE after each batch of changes.
 */
final class ImapWriter {
    private static final byte[] CRLF = {'\r', '\n'};
    private final Connection connection;

    ImapWriter(Connection connection) {
        this.connection = connection;
    }

    private OutputStream out() {
        return connection.out();
    }

    /** {@code * text}. */
    void untagged(String text) throws IOException {
        ascii("* ");
        text(text);
        out().write(CRLF);
    }

    /** {@code tag STATUS [CODE] text}. */
    void tagged(String tag, String status, String code, String text) throws IOException {
        ascii(tag);
        ascii(" ");
        ascii(status);
        ascii(" ");
        if (code != null) {
            ascii("[");
            text(code);
            ascii("] ");
        }
        text(text);
        out().write(CRLF);
    }

    /** {@code + text}, flushed: the client waits for it. */
    void continuation(String text) throws IOException {
        ascii("+ ");
        ascii(text);
        out().write(CRLF);
        flush();
    }

    /** The start of a response line whose rest follows in pieces ({@link #text}, {@link #literal}). */
    void begin(String text) throws IOException {
        text(text);
    }

    /** Part of a response line, UTF-8 (strings in it are already quoted). */
    void text(String text) throws IOException {
        out().write(text.getBytes(StandardCharsets.UTF_8));
    }

    void bytes(byte[] b) throws IOException {
        out().write(b);
    }

    /** A literal {@code {n}CRLF} followed by its bytes, streamed (or {@code ~{n}} for literal8). */
    void literal(long length, InputStream content, boolean binary) throws IOException {
        ascii((binary ? "~{" : "{") + length + "}");
        out().write(CRLF);
        long copied = 0;
        byte[] buf = new byte[(int) Math.max(1, Math.min(16 * 1024, length))];
        while (copied < length) {
            int n = content.read(buf, 0, (int) Math.min(buf.length, length - copied));
            if (n < 0) {
                throw new IOException("message content ended after " + copied + " of " + length + " bytes");
            }
            out().write(buf, 0, n);
            copied += n;
        }
    }

    void endLine() throws IOException {
        out().write(CRLF);
    }

    void flush() throws IOException {
        connection.flush();
    }

    private void ascii(String s) throws IOException {
        out().write(s.getBytes(StandardCharsets.US_ASCII));
    }
}
