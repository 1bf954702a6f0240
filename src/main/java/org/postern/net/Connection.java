package org.postern.net;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection, plain or TLS, with bounded line reading and buffered writing.
 *
 * <p>Threads: the connection belongs to the thread that runs its protocol; reading, writing,
 * {@link #startTls()}, {@link #close()} and the setters are for that thread alone.
 * {@link #abort()}, {@link #isClosed()} and the accessors may be called from any thread.
 *
 * <p>Timeouts: a read that waits longer than {@link #idleTimeout()} throws
 * {@link IdleTimeoutException} ({@code setSoTimeout}). Writes cannot time out in Java, so each
 * write to the socket, each TLS handshake and the closing {@code close_notify} run under a
 * deadline that a {@link WriteWatchdog} enforces by closing the socket; the blocked call then
 * throws {@link WriteTimeoutException} (a {@link SocketTimeoutException} for a handshake).
 *
 * <p>Output is buffered: nothing reaches the client before {@link #flush()}.
 */
public final class Connection implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);
    static final int OUTPUT_BUFFER = 8192;
    private static final long NO_DEADLINE = Long.MIN_VALUE;
    private static final Duration MAX_CLOSE_WAIT = Duration.ofSeconds(10);

    @FunctionalInterface
    private interface IoCall<T> {
        T call() throws IOException;
    }

    private final String name;
    private final Socket raw;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final TlsContext serverTls;
    private final ConnectionSettings settings;
    private final WriteWatchdog watchdog;
    private final LineReader reader;
    private final Output out;
    private final AtomicBoolean closed = new AtomicBoolean();

    private volatile SSLSocket tls;
    private Inflater inflater;
    private Deflater deflater;
    private volatile Duration idleTimeout;
    private volatile Duration writeTimeout;
    private volatile long deadline = NO_DEADLINE;
    private volatile boolean overdue;

    private Connection(Socket raw, String name, ConnectionSettings settings, TlsContext serverTls,
                       WriteWatchdog watchdog) throws IOException {
        if (!raw.isConnected()) {
            throw new IllegalArgumentException("socket not connected");
        }
        this.raw = raw;
        this.name = Objects.requireNonNull(name, "name");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.serverTls = serverTls;
        this.watchdog = Objects.requireNonNull(watchdog, "watchdog");
        this.remote = (InetSocketAddress) raw.getRemoteSocketAddress();
        this.local = (InetSocketAddress) raw.getLocalSocketAddress();
        this.idleTimeout = settings.idleTimeout();
        this.writeTimeout = settings.writeTimeout();
        raw.setTcpNoDelay(true); // replies are flushed whole; Nagle would only delay them
        raw.setKeepAlive(true);
        raw.setSoTimeout(Durations.soTimeoutMillis(idleTimeout));
        this.reader = new LineReader(new IdleInput(raw.getInputStream()), settings.maxLineBytes(), settings.lineMode());
        this.out = new Output(raw.getOutputStream());
        watchdog.watch(this);
    }

    /** A connection accepted by a listener; {@code serverTls} may be null (no TLS on offer). */
    static Connection accepted(Socket raw, String name, ConnectionSettings settings, TlsContext serverTls,
                               WriteWatchdog watchdog) throws IOException {
        return new Connection(raw, name, settings, serverTls, watchdog);
    }

    /** A connection this side opened (outbound SMTP); upgrade it with {@link #startTls(ClientTls, String)}. */
    public static Connection client(Socket connected, String name, ConnectionSettings settings,
                                    WriteWatchdog watchdog) throws IOException {
        return new Connection(connected, name, settings, null, watchdog);
    }

    /** "imap-192.0.2.1:53422": also the name of the connection's thread. */
    public String name() {
        return name;
    }

    public InetSocketAddress remoteAddress() {
        return remote;
    }

    public InetSocketAddress localAddress() {
        return local;
    }

    /** The line reader over this connection's input (it survives a TLS upgrade). */
    public LineReader reader() {
        return reader;
    }

    /** The buffered output (it survives a TLS upgrade); closing it closes the connection. */
    public OutputStream out() {
        return out;
    }

    public void write(byte[] bytes) throws IOException {
        out.write(bytes, 0, bytes.length);
    }

    /** Writes the string's UTF-8 bytes (ASCII for the protocols' own words). */
    public void write(String s) throws IOException {
        write(s.getBytes(StandardCharsets.UTF_8));
    }

    public void flush() throws IOException {
        out.flush();
    }

    /**
     * Flushes, then lets the output buffer go until the next write: for a session about to wait
     * a long time (IDLE). The input buffer shrinks by itself before a read that follows short ones.
     */
    public void flushAndRelease() throws IOException {
        out.flush();
        out.release();
    }

    public boolean isTls() {
        return tls != null;
    }

    /** True when this server connection could still be upgraded: a certificate is set and TLS is not on. */
    public boolean canStartTls() {
        return serverTls != null && tls == null;
    }

    public Optional<TlsInfo> tlsInfo() {
        SSLSocket s = tls;
        return s == null ? Optional.empty() : Optional.of(TlsInfo.of(s.getSession()));
    }

    public Optional<SSLSession> tlsSession() {
        SSLSocket s = tls;
        return s == null ? Optional.empty() : Optional.of(s.getSession());
    }

    /**
     * Upgrades this server connection in place, after the protocol has written its go-ahead
     * (SMTP {@code 220}, IMAP {@code OK}, POP3 {@code +OK}): flushes, discards every byte the
     * client sent before the handshake, and shakes hands. Returns how many bytes were discarded;
     * a client that pipelined commands after STARTTLS gets none of them executed (RFC 3207 §4.2,
     * RFC 9051 §6.2.1, RFC 2595 §4, CVE-2011-0411). If the handshake fails the socket is closed.
     */
    public int startTls() throws IOException {
        if (serverTls == null) {
            throw new IllegalStateException(name + ": no TLS certificate configured");
        }
        if (tls != null) {
            throw new IllegalStateException(name + ": TLS is already active");
        }
        int dropped = beforeUpgrade();
        becomeTls(() -> handshakeAsServer(serverTls));
        log.info("[{}] starttls {}", name, tlsInfo().orElseThrow());
        return dropped;
    }

    /**
     * Upgrades this client connection in place after the server's go-ahead: discards what the
     * server sent ahead (a STARTTLS response injection), shakes hands and checks the server's
     * certificate against {@code serverName}. Returns how many bytes were discarded. If the
     * handshake or the name check fails the socket is closed: a mail client that may fall back
     * to plaintext must connect again.
     */
    public int startTls(ClientTls clientTls, String serverName) throws IOException {
        if (tls != null) {
            throw new IllegalStateException(name + ": TLS is already active");
        }
        int dropped = beforeUpgrade();
        Duration t = settings.handshakeTimeout();
        becomeTls(() -> clientTls.upgrade(raw, serverName, t));
        log.info("[{}] starttls {} with {}", name, tlsInfo().orElseThrow(), serverName);
        return dropped;
    }

    /** Shakes hands as the server right after accept: implicit TLS (RFC 8314 §3.2). */
    void startImplicitTls() throws IOException {
        if (serverTls == null) {
            throw new IllegalStateException(name + ": no TLS certificate configured");
        }
        becomeTls(() -> handshakeAsServer(serverTls));
    }

    private int beforeUpgrade() throws IOException {
        out.flush(); // the go-ahead goes out in plaintext
        int dropped = reader.discardBuffered();
        if (dropped > 0) {
            log.info("[{}] discarded {} bytes sent before the TLS handshake (RFC 3207 §4.2)", name, dropped);
        }
        return dropped;
    }

    private SSLSocket handshakeAsServer(TlsContext ctx) throws IOException {
        SSLSocket s = ctx.wrap(raw);
        s.setSoTimeout(Durations.soTimeoutMillis(settings.handshakeTimeout()));
        s.startHandshake();
        return s;
    }

    /** A failed handshake leaves the byte stream in no usable state: the socket is closed, never reused in plaintext. */
    private void becomeTls(IoCall<SSLSocket> handshake) throws IOException {
        Duration t = settings.handshakeTimeout();
        SSLSocket s;
        try {
            s = guarded(t, handshake,
                    () -> new SocketTimeoutException("TLS handshake not done within " + Durations.human(t)));
        } catch (IOException | RuntimeException e) {
            abort();
            throw e;
        }
        s.setSoTimeout(Durations.soTimeoutMillis(idleTimeout));
        reader.switchSource(new IdleInput(s.getInputStream()));
        out.switchTo(s.getOutputStream());
        tls = s;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** Sets how long reads may wait from now on (per protocol state: pre-login, IDLE, DATA). */
    public void idleTimeout(Duration d) throws IOException {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("idle timeout must be positive: " + d);
        }
        idleTimeout = d;
        (tls != null ? tls : raw).setSoTimeout(Durations.soTimeoutMillis(d));
    }

    public Duration writeTimeout() {
        return writeTimeout;
    }

    /** Sets how long one write may block on a client that does not read. */
    public void writeTimeout(Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("write timeout must be positive: " + d);
        }
        writeTimeout = d;
    }

    /** True once the client ended its side of the stream (a read returned end of stream). */
    public boolean clientClosed() {
        return reader.isEof();
    }

    public boolean isClosed() {
        return closed.get() || raw.isClosed();
    }

    /**
     * Flushes what is buffered, ends TLS with {@code close_notify}, and closes the socket, all
     * bounded by the write timeout. Idempotent; never throws.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (!overdue && !raw.isClosed()) {
                Duration t = writeTimeout.compareTo(MAX_CLOSE_WAIT) < 0 ? writeTimeout : MAX_CLOSE_WAIT;
                guarded(t, () -> {
                    try {
                        out.flush();
                    } finally {
                        SSLSocket s = tls;
                        if (s != null) {
                            s.close();
                        }
                    }
                    return null;
                }, () -> new WriteTimeoutException(t));
            }
        } catch (IOException | RuntimeException e) {
            log.debug("[{}] close: {}", name, e.toString());
        } finally {
            closeRaw();
            watchdog.unwatch(this);
            if (inflater != null) { // the owner's thread, done reading and writing: free zlib's memory now
                inflater.end();
                deflater.end();
            }
        }
    }

    /**
     * Closes the socket at once, from any thread, without flushing: the owner's blocked read or
     * write fails with an I/O error and its protocol ends (server shutdown, a session revoked
     * from elsewhere). The owner still calls {@link #close()} as usual.
     */
    public void abort() {
        closeRaw();
    }

    /** Called by the watchdog: closes the socket if a guarded call is past its deadline. */
    void abortIfOverdue(long nowNanos) {
        long d = deadline;
        if (d != NO_DEADLINE && nowNanos - d >= 0) {
            overdue = true;
            log.debug("[{}] write deadline passed, closing", name);
            closeRaw();
        }
    }

    private void closeRaw() {
        try {
            raw.close();
        } catch (IOException e) {
            log.debug("[{}] close: {}", name, e.toString());
        }
    }

    /** Runs {@code call} under a deadline; nested calls keep the earlier of the two deadlines. */
    private <T> T guarded(Duration timeout, IoCall<T> call, Supplier<IOException> onOverdue) throws IOException {
        long outer = deadline;
        long mine = System.nanoTime() + timeout.toNanos();
        deadline = outer != NO_DEADLINE && outer - mine < 0 ? outer : mine;
        try {
            return call.call();
        } catch (IOException e) {
            if (overdue) {
                IOException t = onOverdue.get();
                t.initCause(e);
                throw t;
            }
            throw e;
        } finally {
            deadline = outer;
        }
    }

    /** "192.0.2.1:25" or "[2001:db8::1]:25"; never a DNS lookup. */
    static String format(InetSocketAddress a) {
        String host = a.getAddress() instanceof Inet6Address ? "[" + a.getAddress().getHostAddress() + "]"
                : a.getAddress().getHostAddress();
        return host + ":" + a.getPort();
    }

    /**
     * Compresses both directions from now on with raw DEFLATE (RFC 4978 COMPRESS=DEFLATE, RFC
     * 1951), after the protocol has written its go-ahead, which still goes out as it is. Every
     * {@link #flush()} ends with a SYNC_FLUSH, so the client can inflate each response whole.
     * Memory per connection is the inflater's and deflater's fixed state (zlib's default window).
     */
    public void startCompression() throws IOException {
        if (inflater != null) {
            throw new IllegalStateException(name + ": compression is already active");
        }
        out.flush();
        Inflater inf = new Inflater(true);
        Deflater def = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        reader.wrapSource(in -> new InflaterInputStream(in, inf, LineReader.BUFFER_SIZE));
        out.deflate(def);
        inflater = inf;
        deflater = def;
    }

    public boolean isCompressed() {
        return inflater != null;
    }

    @Override
    public String toString() {
        return "Connection[" + name + (isTls() ? ", tls" : "") + (isClosed() ? ", closed" : "") + "]";
    }

    /** Socket input that reports a read timeout as {@link IdleTimeoutException}. */
    private final class IdleInput extends InputStream {
        private final InputStream in;

        IdleInput(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IdleTimeoutException e) {
                throw e;
            } catch (SocketTimeoutException e) {
                IdleTimeoutException idle = new IdleTimeoutException(idleTimeout);
                idle.initCause(e);
                throw idle;
            }
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }
    }

    /**
     * The stable buffered output; it re-targets to the TLS stream on upgrade. Its buffer starts
     * small, grows to {@link #OUTPUT_BUFFER} as responses need, and is let go by
     * {@link Connection#releaseBuffers()} while the session waits (IDLE): an idle connection
     * should cost little more than its socket.
     */
    private final class Output extends OutputStream {
        private static final int INITIAL = 512;
        private OutputStream target;
        private OutputStream socketOut;
        private byte[] buf;
        private int count;

        Output(OutputStream socketOut) {
            switchTo(socketOut);
        }

        void switchTo(OutputStream socketOut) {
            this.socketOut = socketOut;
            this.target = new GuardedOutput(socketOut);
        }

        /** From now on through {@code def}, each flush a SYNC_FLUSH. */
        void deflate(Deflater def) throws IOException {
            flush();
            target = new DeflaterOutputStream(new GuardedOutput(socketOut), def, OUTPUT_BUFFER, true);
        }

        @Override
        public void write(int b) throws IOException {
            if (buf == null || count == buf.length) {
                room(1);
            }
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len >= OUTPUT_BUFFER) {
                flushBuffer();
                target.write(b, off, len);
                return;
            }
            room(len);
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }

        /** Makes room for {@code len} (< OUTPUT_BUFFER) more bytes: grows, or writes out. */
        private void room(int len) throws IOException {
            int cap = buf == null ? 0 : buf.length;
            if (count + len <= cap) {
                return;
            }
            if (count + len > OUTPUT_BUFFER) {
                flushBuffer();
                if (len <= cap) {
                    return;
                }
            }
            int size = Math.max(INITIAL, cap);
            while (size < count + len) {
                size *= 2;
            }
            buf = java.util.Arrays.copyOf(buf == null ? new byte[0] : buf, Math.min(size, OUTPUT_BUFFER));
        }

        private void flushBuffer() throws IOException {
            if (count > 0) {
                target.write(buf, 0, count);
                count = 0;
            }
        }

        @Override
        public void flush() throws IOException {
            flushBuffer();
            target.flush();
        }

        /** Lets the buffer go if nothing is waiting in it. */
        void release() {
            if (count == 0) {
                buf = null;
            }
        }

        @Override
        public void close() {
            Connection.this.close();
        }
    }

    /** Socket output whose every call runs under the write deadline. */
    private final class GuardedOutput extends OutputStream {
        private final OutputStream socketOut;

        GuardedOutput(OutputStream socketOut) {
            this.socketOut = socketOut;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Duration t = writeTimeout;
            guarded(t, () -> {
                socketOut.write(b, off, len);
                return null;
            }, () -> new WriteTimeoutException(t));
        }

        @Override
        public void flush() throws IOException {
            Duration t = writeTimeout;
            guarded(t, () -> {
                socketOut.flush();
                return null;
            }, () -> new WriteTimeoutException(t));
        }
    }
}
