package org.postern.net;

import java.time.Duration;
import java.util.Objects;

/**
 * How a connection starts out; the protocol may change the idle timeout, write timeout and
 * line limits later, per state.
 *
 * @param idleTimeout      how long a read may wait for the client (IMAP at least 30 min after
 *                         login, RFC 9051 §5.4; POP3 at least 10 min, RFC 1939 §3; SMTP 5 min,
 *                         RFC 5321 §4.5.3.2.7)
 * @param writeTimeout     how long one write may block on a client that does not read
 * @param handshakeTimeout how long a whole TLS handshake may take
 * @param maxLineBytes     longest line accepted, terminator excluded
 * @param lineMode         how line terminators are recognised
 */
public record ConnectionSettings(Duration idleTimeout, Duration writeTimeout, Duration handshakeTimeout,
                                 int maxLineBytes, LineReader.Mode lineMode) {

    public static final ConnectionSettings DEFAULTS = new ConnectionSettings(
            Duration.ofMinutes(5), Duration.ofSeconds(60), Duration.ofSeconds(30), 8192, LineReader.Mode.LENIENT);

    public ConnectionSettings {
        positive(idleTimeout, "idleTimeout");
        positive(writeTimeout, "writeTimeout");
        positive(handshakeTimeout, "handshakeTimeout");
        if (maxLineBytes < 1 || maxLineBytes > LineReader.MAX_LINE_LIMIT) {
            throw new IllegalArgumentException("maxLineBytes out of range: " + maxLineBytes);
        }
        Objects.requireNonNull(lineMode, "lineMode");
    }

    private static void positive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
    }

    public ConnectionSettings withIdleTimeout(Duration d) {
        return new ConnectionSettings(d, writeTimeout, handshakeTimeout, maxLineBytes, lineMode);
    }

    public ConnectionSettings withWriteTimeout(Duration d) {
        return new ConnectionSettings(idleTimeout, d, handshakeTimeout, maxLineBytes, lineMode);
    }

    public ConnectionSettings withHandshakeTimeout(Duration d) {
        return new ConnectionSettings(idleTimeout, writeTimeout, d, maxLineBytes, lineMode);
    }

    public ConnectionSettings withMaxLineBytes(int n) {
        return new ConnectionSettings(idleTimeout, writeTimeout, handshakeTimeout, n, lineMode);
    }

    public ConnectionSettings withLineMode(LineReader.Mode m) {
        return new ConnectionSettings(idleTimeout, writeTimeout, handshakeTimeout, maxLineBytes, m);
    }
}
