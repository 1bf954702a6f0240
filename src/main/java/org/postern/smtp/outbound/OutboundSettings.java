package org.postern.smtp.outbound;

import java.net.InetAddress;
import java.time.Duration;

/**
 * How the delivery engine works.
 *
 * @param hostname            this server's name: EHLO, Reporting-MTA of DSNs, their From
 * @param port                the TCP port of remote MX hosts (25; tests use another)
 * @param sourceAddress       the local address outbound connections come from, or null for any
 * @param connectTimeout      how long one TCP connect may take
 * @param commandTimeout      how long to wait for a reply to a command (RFC 5321 §4.5.3.2: 5 minutes)
 * @param dataTimeout         how long to wait for the reply after the final dot (RFC 5321 §4.5.3.2.6: 10 minutes)
 * @param retryFor            how long a message is retried before it bounces (5 days)
 * @param delayNotice         after how long the sender is told, once, that delivery is late (4 hours)
 * @param firstRetry          the wait after the first temporary failure, doubled after each further one
 * @param maxRetryInterval    the longest wait between two attempts
 * @param maxWorkers          messages being delivered at once
 * @param connectionsPerDomain simultaneous deliveries to one recipient domain
 * @param pollInterval        how often the queue is looked at when nothing wakes the engine
 * @param mtaStsPort          the HTTPS port MTA-STS policies are fetched from (443; tests use another)
 */
public record OutboundSettings(
        String hostname,
        int port,
        InetAddress sourceAddress,
        Duration connectTimeout,
        Duration commandTimeout,
        Duration dataTimeout,
        Duration retryFor,
        Duration delayNotice,
        Duration firstRetry,
        Duration maxRetryInterval,
        int maxWorkers,
        int connectionsPerDomain,
        Duration pollInterval,
        int mtaStsPort) {

    public static OutboundSettings defaults(String hostname) {
        return new OutboundSettings(hostname, 25, null, Duration.ofSeconds(30), Duration.ofMinutes(5),
                Duration.ofMinutes(10), Duration.ofDays(5), Duration.ofHours(4), Duration.ofMinutes(5), Duration.ofHours(4),
                50, 4, Duration.ofSeconds(5), 443);
    }

    public OutboundSettings withPort(int p) {
        return new OutboundSettings(hostname, p, sourceAddress, connectTimeout, commandTimeout, dataTimeout, retryFor,
                delayNotice, firstRetry, maxRetryInterval, maxWorkers, connectionsPerDomain, pollInterval, mtaStsPort);
    }

    public OutboundSettings withSourceAddress(InetAddress a) {
        return new OutboundSettings(hostname, port, a, connectTimeout, commandTimeout, dataTimeout, retryFor,
                delayNotice, firstRetry, maxRetryInterval, maxWorkers, connectionsPerDomain, pollInterval, mtaStsPort);
    }

    public OutboundSettings withTimeouts(Duration connect, Duration command, Duration data) {
        return new OutboundSettings(hostname, port, sourceAddress, connect, command, data, retryFor,
                delayNotice, firstRetry, maxRetryInterval, maxWorkers, connectionsPerDomain, pollInterval, mtaStsPort);
    }

    public OutboundSettings withRetries(Duration retryFor, Duration delayNotice, Duration first, Duration max) {
        return new OutboundSettings(hostname, port, sourceAddress, connectTimeout, commandTimeout, dataTimeout, retryFor,
                delayNotice, first, max, maxWorkers, connectionsPerDomain, pollInterval, mtaStsPort);
    }

    public OutboundSettings withLimits(int workers, int perDomain, Duration poll) {
        return new OutboundSettings(hostname, port, sourceAddress, connectTimeout, commandTimeout, dataTimeout, retryFor,
                delayNotice, firstRetry, maxRetryInterval, workers, perDomain, poll, mtaStsPort);
    }

    public OutboundSettings withMtaStsPort(int p) {
        return new OutboundSettings(hostname, port, sourceAddress, connectTimeout, commandTimeout, dataTimeout, retryFor,
                delayNotice, firstRetry, maxRetryInterval, maxWorkers, connectionsPerDomain, pollInterval, p);
    }

    /** The wait before attempt {@code attempts + 1}, after {@code attempts} temporary failures. */
    public Duration backoff(int attempts) {
        Duration d = firstRetry;
        for (int i = 1; i < attempts && d.compareTo(maxRetryInterval) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maxRetryInterval) > 0 ? maxRetryInterval : d;
    }
}
