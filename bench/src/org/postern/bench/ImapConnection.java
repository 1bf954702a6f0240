package org.postern.bench;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The smallest IMAP client the benchmark needs: implicit TLS, one command at a time, responses
 * read as lines with their literals skipped (only their sizes are checked). Both servers are
 * loopback peers with self-signed certificates, so every certificate is trusted.
 *
 * <p>Not thread-safe: a connection belongs to one client thread, except that {@link #close()}
 * may come from anywhere and the notification test reads IDLE responses on one thread while
 * another sends DONE ({@link #sendDone()} only writes).
 */
final class ImapConnection implements AutoCloseable {
    /** A server answered NO or BAD, or something that is not IMAP. */
    static final class ImapError extends IOException {
        private static final long serialVersionUID = 1L;

        ImapError(String message) {
            super(message);
        }
    }

    private static final java.util.concurrent.atomic.AtomicLong CONNECTIONS = new java.util.concurrent.atomic.AtomicLong();
    private static final SSLSocketFactory TLS = trustingFactory();
    private static final byte[] CRLF = {'\r', '\n'};

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private static final int MAX_LINE = 1024 * 1024;
    private byte[] line = new byte[256];
    private final byte[] buf;
    private int pos;
    private int limit;
    private int tagCounter;
    /** Bytes of literals read since the last {@link #resetLiteralBytes()}. */
    private long literalBytes;

    private ImapConnection(Socket socket, int bufferSize) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = new BufferedOutputStream(socket.getOutputStream(), bufferSize);
        this.buf = new byte[bufferSize];
    }

    /** Connects with 16 KiB buffers (see {@link #open(InetSocketAddress, int, int)}). */
    static ImapConnection open(InetSocketAddress address, int timeoutMillis) throws IOException {
        return open(address, timeoutMillis, 16 * 1024);
    }

    /**
     * Connects, shakes hands and reads the greeting, which must be {@code * OK}. Small buffers
     * for the thousands of idle connections of the memory tests.
     */
    static ImapConnection open(InetSocketAddress address, int timeoutMillis, int bufferSize) throws IOException {
        Socket raw = new Socket();
        try {
            raw.setTcpNoDelay(true);
            raw.connect(address, timeoutMillis);
            raw.setSoTimeout(timeoutMillis);
            // The JDK keeps client sessions by host and port and resumes them. A made-up port
            // for each connection means every connection makes a full handshake, as imaptest's
            // do; the port is only the cache key (SNI names the host).
            int cacheKey = 1 + (int) (CONNECTIONS.getAndIncrement() & 0x3fffffff);
            SSLSocket s = (SSLSocket) TLS.createSocket(raw, address.getHostString(), cacheKey, true);
            s.setUseClientMode(true);
            s.startHandshake();
            ImapConnection c = new ImapConnection(s, bufferSize);
            String greeting = c.readLine();
            if (!greeting.startsWith("* OK")) {
                c.close();
                throw new ImapError("greeting: " + greeting);
            }
            return c;
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    void setTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    private String nextTag() {
        return "b" + (++tagCounter);
    }

    /**
     * Sends one command and reads up to its tagged response. Untagged responses go to
     * {@code untagged} (may be null). Returns the tagged line; throws {@link ImapError} for NO/BAD.
     */
    String command(String text, Consumer<String> untagged) throws IOException {
        String tag = nextTag();
        write(tag, text, null);
        return awaitTagged(tag, untagged, text);
    }

    String command(String text) throws IOException {
        return command(text, null);
    }

    /**
     * APPEND with a non-synchronising literal (LITERAL+, which both servers announce), so the
     * command costs one round trip as a client that knows LITERAL+ makes it.
     */
    String append(String mailbox, String flags, byte[] message, Consumer<String> untagged) throws IOException {
        String tag = nextTag();
        String text = "APPEND " + mailbox + (flags == null ? "" : " (" + flags + ")") + " {" + message.length + "+}";
        write(tag, text, message);
        return awaitTagged(tag, untagged, "APPEND");
    }

    /**
     * MULTIAPPEND (RFC 3502): all {@code messages} in one command, one transaction on the
     * server; {@code flags.get(i)} may be null.
     */
    String appendAll(String mailbox, java.util.List<String> flags, java.util.List<byte[]> messages) throws IOException {
        String tag = nextTag();
        out.write((tag + " APPEND " + mailbox).getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < messages.size(); i++) {
            String f = flags.get(i);
            out.write(((f == null ? "" : " (" + f + ")") + " {" + messages.get(i).length + "+}").getBytes(StandardCharsets.US_ASCII));
            out.write(CRLF);
            out.write(messages.get(i));
        }
        out.write(CRLF);
        out.flush();
        return awaitTagged(tag, null, "APPEND");
    }

    /** Starts IDLE and waits for the server's continuation request. */
    void idle(Consumer<String> untagged) throws IOException {
        String tag = nextTag();
        write(tag, "IDLE", null);
        while (true) {
            String l = readLine();
            if (l.startsWith("+")) {
                idleTag = tag;
                return;
            }
            if (l.startsWith(tag + " ")) {
                throw new ImapError("IDLE refused: " + l);
            }
            if (untagged != null) {
                untagged.accept(l);
            }
        }
    }

    private String idleTag;

    /** Ends IDLE with DONE and reads up to the IDLE's tagged OK. */
    void done(Consumer<String> untagged) throws IOException {
        out.write("DONE\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String tag = idleTag;
        idleTag = null;
        awaitTagged(tag, untagged, "IDLE");
    }

    /** Sends DONE and leaves reading the IDLE's tagged OK to the caller ({@link #readIdleLine}). */
    void sendDone() throws IOException {
        out.write("DONE\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        idleTag = null;
    }

    /** Reads one response line while in IDLE (blocking, up to the socket timeout). */
    String readIdleLine() throws IOException {
        return readLine();
    }

    private void write(String tag, String text, byte[] literal) throws IOException {
        out.write(tag.getBytes(StandardCharsets.US_ASCII));
        out.write(' ');
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.write(CRLF);
        if (literal != null) {
            out.write(literal);
            out.write(CRLF);
        }
        out.flush();
    }

    private String awaitTagged(String tag, Consumer<String> untagged, String what) throws IOException {
        while (true) {
            String l = readLine();
            if (l.startsWith(tag) && l.length() > tag.length() && l.charAt(tag.length()) == ' ') {
                if (l.startsWith("OK", tag.length() + 1)) {
                    return l;
                }
                throw new ImapError(verb(what) + ": " + l);
            }
            if (l.startsWith("* BYE") && !what.equals("LOGOUT")) {
                throw new ImapError(verb(what) + ": " + l);
            }
            if (untagged != null) {
                untagged.accept(l);
            }
        }
    }

    private static String verb(String text) {
        int sp = text.indexOf(' ');
        return sp < 0 ? text : text.substring(0, sp);
    }

    /**
     * One response line, CRLF removed. A literal ({@code {n}} at the end of a line) is read and
     * skipped, and the line goes on after it; the returned text then has {@code {n}} in place.
     */
    private String readLine() throws IOException {
        StringBuilder joined = null;
        while (true) {
            int n = readRawLine();
            int literal = literalAtEnd(n);
            if (literal < 0) {
                String s = new String(line, 0, n, StandardCharsets.ISO_8859_1);
                return joined == null ? s : joined.append(s).toString();
            }
            if (joined == null) {
                joined = new StringBuilder(n + 64);
            }
            joined.append(new String(line, 0, n, StandardCharsets.ISO_8859_1));
            skip(literal);
            literalBytes += literal;
        }
    }

    /** Reads up to CRLF into {@link #line}; returns the length without CRLF. */
    private int readRawLine() throws IOException {
        int n = 0;
        while (true) {
            if (pos == limit && !fill()) {
                throw new EOFException("server closed the connection");
            }
            int end = pos;
            while (end < limit && buf[end] != '\n') {
                end++;
            }
            int len = end - pos;
            if (n + len > line.length) {
                if (n + len > MAX_LINE) {
                    throw new ImapError("response line longer than " + MAX_LINE + " bytes");
                }
                line = java.util.Arrays.copyOf(line, Math.max(n + len, line.length * 2));
            }
            System.arraycopy(buf, pos, line, n, len);
            n += len;
            if (end < limit) {
                pos = end + 1;
                return n > 0 && line[n - 1] == '\r' ? n - 1 : n;
            }
            pos = limit;
        }
    }

    private boolean fill() throws IOException {
        int k = in.read(buf, 0, buf.length);
        if (k <= 0) {
            return false;
        }
        pos = 0;
        limit = k;
        return true;
    }

    /** The size of a literal announced at the end of the line, or -1. */
    private int literalAtEnd(int n) {
        if (n < 3 || line[n - 1] != '}') {
            return -1;
        }
        int i = n - 2;
        long v = 0;
        long scale = 1;
        while (i >= 0 && line[i] >= '0' && line[i] <= '9') {
            v += (line[i] - '0') * scale;
            scale *= 10;
            i--;
        }
        if (i < 0 || line[i] != '{' || i == n - 2) {
            return -1;
        }
        return (int) v;
    }

    private void skip(long count) throws IOException {
        while (count > 0) {
            if (pos == limit && !fill()) {
                throw new EOFException("server closed the connection inside a literal");
            }
            int k = (int) Math.min(count, limit - pos);
            pos += k;
            count -= k;
        }
    }

    long literalBytes() {
        return literalBytes;
    }

    void resetLiteralBytes() {
        literalBytes = 0;
    }

    /** Closes without LOGOUT. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private static SSLSocketFactory trustingFactory() {
        try {
            TrustManager trustAll = new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            };
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {trustAll}, null);
            ctx.getClientSessionContext().setSessionCacheSize(256); // never hit (see open); keep it small
            return ctx.getSocketFactory();
        } catch (Exception e) {
            throw new IllegalStateException("no TLS in this JDK", e);
        }
    }
}
