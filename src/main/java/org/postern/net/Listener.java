package org.postern.net;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

import javax.net.ssl.SSLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts connections on one address and runs each on its own virtual thread, named after the
 * listener and the client ({@code imap-192.0.2.1:53422}).
 *
 * <p>After Helidon 4's ConnectionHandler: one platform thread accepts; a permit is taken before
 * each accept and released in the connection's one {@code finally}, so open sockets are bounded
 * even under a flood. There are {@code maxConnections} permits to serve plus some headroom to
 * refuse: a connection over the global or per-address limit is still accepted (and, with
 * implicit TLS, shaken hands with) so that its handler can write the protocol's own refusal
 * through {@link ConnectionHandler#refuse}, and is then closed. Past the headroom, clients wait
 * in the kernel's backlog.
 *
 * <p>Logs one line per connection event: open (addresses, TLS version and suite), refusal,
 * close (reason and duration). Never what the client sent.
 */
public final class Listener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Listener.class);
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);
    private static final Duration REFUSAL_TIMEOUT = Duration.ofSeconds(10);

    private enum Stage { SETUP, HANDSHAKE, PROTOCOL }

    private final ListenerConfig config;
    private final TlsContext tls;
    private final ConnectionHandler handler;
    private final ServerSocket server;
    private final InetSocketAddress bound;
    private final Semaphore sockets;
    private final Semaphore serving;
    private final AddressLimiter perAddress;
    private final Map<Connection, Thread> live = new ConcurrentHashMap<>();
    private final WriteWatchdog watchdog;
    private final Thread acceptor;
    private volatile boolean closing;

    private Listener(ListenerConfig config, TlsContext tls, ConnectionHandler handler, ServerSocket server) {
        this.config = config;
        this.tls = tls;
        this.handler = handler;
        this.server = server;
        this.bound = (InetSocketAddress) server.getLocalSocketAddress();
        int headroom = Math.max(16, config.maxConnections() / 8);
        this.sockets = new Semaphore(config.maxConnections() + headroom);
        this.serving = new Semaphore(config.maxConnections());
        this.perAddress = new AddressLimiter(config.maxConnectionsPerAddress());
        ConnectionSettings cs = config.connection();
        Duration shortest = cs.writeTimeout().compareTo(cs.handshakeTimeout()) < 0 ? cs.writeTimeout() : cs.handshakeTimeout();
        Duration tick = Duration.ofMillis(Math.clamp(shortest.toMillis() / 4, 10, 1000));
        this.watchdog = new WriteWatchdog(config.name() + "-write-watchdog", tick);
        this.acceptor = Thread.ofPlatform().name(config.name() + "-accept").unstarted(this::acceptLoop);
    }

    /**
     * Binds and starts accepting.
     *
     * @param tls the certificate for implicit TLS and STARTTLS; null for a listener without TLS
     */
    public static Listener start(ListenerConfig config, TlsContext tls, ConnectionHandler handler) throws IOException {
        if (config.implicitTls() && tls == null) {
            throw new IllegalArgumentException(config.name() + ": implicit TLS needs a certificate");
        }
        ServerSocket server = new ServerSocket();
        try {
            server.setReuseAddress(true);
            server.bind(config.address(), config.backlog());
        } catch (IOException e) {
            server.close();
            throw new IOException(config.name() + ": cannot listen on " + Connection.format(config.address())
                    + ": " + e.getMessage(), e);
        }
        Listener l = new Listener(config, tls, handler, server);
        l.acceptor.start();
        log.info("[{}] listening on {}{}", config.name(), Connection.format(l.bound),
                config.implicitTls() ? " (TLS)" : tls != null ? " (STARTTLS available)" : "");
        return l;
    }

    public String name() {
        return config.name();
    }

    public ListenerConfig config() {
        return config;
    }

    /** The bound address, with the actual port when port 0 was asked for. */
    public InetSocketAddress address() {
        return bound;
    }

    public int port() {
        return bound.getPort();
    }

    /** Connections open now, served or being refused. */
    public int liveConnections() {
        return live.size();
    }

    /** Connections served now from {@code remote} (for IPv6, from its /64). */
    public int liveConnections(InetAddress remote) {
        return perAddress.count(remote);
    }

    private void acceptLoop() {
        while (!closing) {
            try {
                sockets.acquire();
            } catch (InterruptedException e) {
                continue; // close() interrupts; the loop condition decides
            }
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                sockets.release();
                if (closing) {
                    break;
                }
                log.warn("[{}] accept failed: {}", config.name(), e.toString());
                pause(); // such as too many open files: give closing connections a moment
                continue;
            }
            String name = config.name() + "-" + Connection.format((InetSocketAddress) socket.getRemoteSocketAddress());
            try {
                Thread.ofVirtual().name(name).start(() -> serve(socket, name));
            } catch (Throwable t) {
                sockets.release();
                closeQuietly(socket);
                log.error("[{}] cannot start a thread for {}", config.name(), name, t);
            }
        }
    }

    private void serve(Socket socket, String name) {
        long started = System.nanoTime();
        Connection c = null;
        InetAddress addressKey = null;
        boolean served = false;
        Stage stage = Stage.SETUP;
        String reason;
        try {
            c = Connection.accepted(socket, name, config.connection(), tls, watchdog);
            live.put(c, Thread.currentThread());
            if (closing) {
                throw new IOException("listener closed");
            }
            Refusal refusal = null;
            addressKey = perAddress.tryEnter(c.remoteAddress().getAddress());
            if (addressKey == null) {
                refusal = Refusal.TOO_MANY_FROM_ADDRESS;
            } else if (serving.tryAcquire()) {
                served = true;
            } else {
                perAddress.leave(addressKey);
                addressKey = null;
                refusal = Refusal.TOO_MANY_CONNECTIONS;
            }
            if (config.implicitTls()) {
                stage = Stage.HANDSHAKE;
                c.startImplicitTls();
            }
            stage = Stage.PROTOCOL;
            log.info("[{}] open {} -> {}{}", name, Connection.format(c.remoteAddress()),
                    Connection.format(c.localAddress()), c.tlsInfo().map(i -> " " + i).orElse(""));
            if (refusal != null) {
                log.info("[{}] refused: {}", name, refusal.text());
                c.idleTimeout(min(c.idleTimeout(), REFUSAL_TIMEOUT));
                c.writeTimeout(min(c.writeTimeout(), REFUSAL_TIMEOUT));
                handler.refuse(c, refusal);
                c.flush();
                reason = "refused (" + refusal.text() + ")";
            } else {
                handler.handle(c);
                reason = c.clientClosed() ? "client closed" : "server closed";
            }
        } catch (Throwable t) {
            reason = describe(t, stage, name);
        } finally {
            if (c != null) {
                c.close();
                live.remove(c);
            } else {
                closeQuietly(socket);
            }
            if (addressKey != null) {
                perAddress.leave(addressKey);
            }
            if (served) {
                serving.release();
            }
            sockets.release();
        }
        log.info("[{}] close: {} after {}", name, reason, Durations.human(Duration.ofNanos(System.nanoTime() - started)));
    }

    /** The close reason in plain words; unexpected failures are logged with their stack. */
    private String describe(Throwable t, Stage stage, String name) {
        if (closing && t instanceof IOException) {
            return "server shutdown";
        }
        if (stage == Stage.HANDSHAKE) {
            return t instanceof SocketTimeoutException ? "TLS handshake timeout" : "TLS handshake failed: " + message(t);
        }
        return switch (t) {
            case IdleTimeoutException e -> "idle timeout (" + Durations.human(e.timeout()) + ")";
            case WriteTimeoutException e -> "write timeout (client not reading for " + Durations.human(e.timeout()) + ")";
            case LineTooLongException e -> "line too long (" + e.skippedBytes() + " bytes)";
            case SSLException e -> "TLS error: " + message(e);
            case EOFException e -> "client closed: " + message(e);
            case IOException e -> "I/O error: " + message(e);
            default -> {
                log.warn("[{}] handler failed", name, t);
                yield "server error: " + t;
            }
        };
    }

    /** Stops accepting, closes live connections, and waits a little for their threads to end. */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        closeQuietly(server);
        acceptor.interrupt();
        try {
            acceptor.join(SHUTDOWN_WAIT);
            live.keySet().forEach(Connection::abort);
            long deadline = System.nanoTime() + SHUTDOWN_WAIT.toNanos();
            for (Thread t : live.values()) {
                long left = deadline - System.nanoTime();
                if (left > 0 && t != Thread.currentThread()) {
                    t.join(Duration.ofNanos(left));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        watchdog.close();
        if (!live.isEmpty()) {
            log.warn("[{}] closed with {} connection threads still ending", config.name(), live.size());
        } else {
            log.info("[{}] closed", config.name());
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String message(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
