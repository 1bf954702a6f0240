package org.postern.pop3;

import java.io.IOException;
import org.postern.net.Connection;

/**
 * Writes responses (RFC 1939 §3): status lines, multi-line listings ending in ".", SASL
 * continuations. Output is buffered by the connection; the handler flushes once the client has
 * nothing more pipelined (RFC 2449 §6.6), and before anything that waits for the client.
 */
final class Pop3Writer {
    private final Connection connection;

    Pop3Writer(Connection connection) {
        this.connection = connection;
    }

    /** {@code +OK text}. */
    void ok(String text) throws IOException {
        connection.write(text.isEmpty() ? "+OK\r\n" : "+OK " + text + "\r\n");
    }

    void err(Pop3Exception e) throws IOException {
        connection.write(e.responseLine() + "\r\n");
    }

    /** One line of a multi-line response; a leading "." is doubled (RFC 1939 §3). */
    void line(String text) throws IOException {
        connection.write(text.startsWith(".") ? "." + text + "\r\n" : text + "\r\n");
    }

    /** The end of a multi-line response. */
    void end() throws IOException {
        connection.write(".\r\n");
    }

    /** A SASL challenge (RFC 5034 §4): {@code + base64}. */
    void continuation(String base64) throws IOException {
        connection.write("+ " + base64 + "\r\n");
    }

    void flush() throws IOException {
        connection.flush();
    }
}
