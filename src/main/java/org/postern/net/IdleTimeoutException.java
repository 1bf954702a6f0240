package org.postern.net;

import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * The client sent nothing for the connection's idle timeout (IMAP autologout, RFC 9051 §5.4;
 * POP3 RFC 1939 §3; SMTP RFC 5321 §4.5.3.2.7). The protocol may write its farewell, then closes.
 */
public final class IdleTimeoutException extends SocketTimeoutException {
    private final Duration timeout;

    public IdleTimeoutException(Duration timeout) {
        super("idle for " + Durations.human(timeout));
        this.timeout = timeout;
    }

    public Duration timeout() {
        return timeout;
    }
}
