package org.postern.net;

import java.io.IOException;
import java.time.Duration;

/**
 * A write (or TLS handshake, or close) blocked longer than the connection's write timeout because
 * the peer stopped reading. The {@link WriteWatchdog} has already closed the socket.
 */
public final class WriteTimeoutException extends IOException {
    private final Duration timeout;

    public WriteTimeoutException(Duration timeout) {
        super("peer did not read for " + Durations.human(timeout));
        this.timeout = timeout;
    }

    public Duration timeout() {
        return timeout;
    }
}
