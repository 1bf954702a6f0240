package org.postern.server;

import org.postern.net.ConnectionHandler;
import org.postern.net.ConnectionSettings;
import org.postern.net.TlsContext;

/** A protocol Postern serves on one or more listeners (IMAP on imap and imaps, ...). */
public interface Protocol {
    /** The handler for connections to {@code listener}. */
    ConnectionHandler handler(ListenerName listener, Services services, TlsContext tls);

    /** How connections of this protocol start out (timeouts, line limits). */
    ConnectionSettings settings(Config config);
}
