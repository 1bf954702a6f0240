package org.postern.net;

import java.io.IOException;

/**
 * A protocol's side of a connection: IMAP, POP3 or SMTP. {@link #handle} runs on the
 * connection's own virtual thread and talks to the client in plain blocking code; when it
 * returns or throws, the listener closes the connection.
 */
@FunctionalInterface
public interface ConnectionHandler {

    /** Serves one connection until the dialogue ends. */
    void handle(Connection c) throws IOException;

    /**
     * Writes the protocol's refusal for a connection over a listener limit (IMAP {@code * BYE},
     * SMTP {@code 421 4.7.0}, POP3 {@code -ERR [IN-USE]}); the listener flushes and closes after.
     * The default writes nothing.
     */
    default void refuse(Connection c, Refusal reason) throws IOException {
    }
}
