package org.postern.net;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds blocking writes, which Java sockets cannot time out by themselves: a connection notes a
 * deadline before each write to the socket (and before a TLS handshake or close), and clears it
 * after; one daemon thread looks at the watched connections every tick and closes the socket of
 * any connection past its deadline, which makes the blocked write fail at once. Per write this
 * costs two volatile stores; the tick bounds the precision.
 */
public final class WriteWatchdog implements AutoCloseable {
    private final Set<Connection> watched = ConcurrentHashMap.newKeySet();
    private final long tickMillis;
    private final Thread thread;
    private volatile boolean closed;

    public WriteWatchdog(String name, Duration tick) {
        if (tick.isNegative() || tick.isZero()) {
            throw new IllegalArgumentException("tick must be positive: " + tick);
        }
        this.tickMillis = Math.max(1, tick.toMillis());
        this.thread = Thread.ofPlatform().daemon().name(name).start(this::run);
    }

    void watch(Connection c) {
        watched.add(c);
    }

    void unwatch(Connection c) {
        watched.remove(c);
    }

    /** How many connections are watched. */
    public int size() {
        return watched.size();
    }

    private void run() {
        while (!closed) {
            try {
                Thread.sleep(tickMillis);
            } catch (InterruptedException e) {
                continue; // closed is checked above
            }
            long now = System.nanoTime();
            for (Connection c : watched) {
                c.abortIfOverdue(now);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
