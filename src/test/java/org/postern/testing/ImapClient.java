package org.postern.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A raw IMAP client for tests that read like transcripts (STYLE.md 12):
 * {@code client.command("a1 SELECT INBOX").expectUntagged("3 EXISTS").expectOk()}.
 * Response lines keep their literals inline, with the literal's bytes after the {n} marker.
 */
public final class ImapClient implements AutoCloseable {
    private static final Pattern LITERAL = Pattern.compile("~?\\{(\\d+)}$");
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private int timeoutMillis = 10_000;

    private ImapClient(Socket socket) throws IOException {
        attach(socket);
    }

    private void attach(Socket s) throws IOException {
        this.socket = s;
        s.setSoTimeout(timeoutMillis);
        this.in = new java.io.BufferedInputStream(s.getInputStream());
        this.out = s.getOutputStream();
    }

    public static ImapClient plain(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return new ImapClient(s);
    }

    public static ImapClient tls(int port) throws IOException {
        return tls(port, null);
    }

    /** Over TLS from a given local address (127.0.0.2 ...: another "client machine" on loopback). */
    public static ImapClient tls(int port, String localAddress) throws IOException {
        SSLSocket s = (SSLSocket) trustAll().getSocketFactory().createSocket();
        if (localAddress != null) {
            s.bind(new InetSocketAddress(localAddress, 0));
        }
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.startHandshake();
        return new ImapClient(s);
    }

    /** Upgrades this connection after a STARTTLS OK. */
    public void startTls() throws IOException {
        SSLSocket s = (SSLSocket) trustAll().getSocketFactory().createSocket(socket, "localhost", socket.getPort(), true);
        s.setUseClientMode(true);
        s.startHandshake();
        attach(s);
    }

    public static SSLContext trustAll() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public ImapClient timeout(int millis) throws IOException {
        timeoutMillis = millis;
        socket.setSoTimeout(millis);
        return this;
    }

    /**
     * Deflates what it sends and inflates what it reads from now on (after COMPRESS DEFLATE's OK,
     * RFC 4978): raw deflate, each send flushed with SYNC_FLUSH. Returns a counter of the
     * compressed bytes read, to show the server really compressed.
     */
    public java.util.concurrent.atomic.AtomicLong compress() {
        java.util.concurrent.atomic.AtomicLong compressedIn = new java.util.concurrent.atomic.AtomicLong();
        InputStream raw = in;
        InputStream counting = new java.io.FilterInputStream(raw) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    compressedIn.incrementAndGet();
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    compressedIn.addAndGet(n);
                }
                return n;
            }
        };
        in = new java.io.BufferedInputStream(new java.util.zip.InflaterInputStream(counting, new java.util.zip.Inflater(true)));
        out = new java.util.zip.DeflaterOutputStream(out, new java.util.zip.Deflater(java.util.zip.Deflater.DEFAULT_COMPRESSION, true), true);
        return compressedIn;
    }

    /** Sends raw bytes (a line must carry its own CRLF). */
    public ImapClient sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    public ImapClient send(String line) throws IOException {
        return sendRaw((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Reads one response line, with any literals inline; null at end of stream. */
    public String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                String text = new String(bytes, 0, len, StandardCharsets.UTF_8);
                Matcher m = LITERAL.matcher(text);
                if (m.find()) {
                    line.reset();
                    line.write(bytes, 0, len);
                    line.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    line.write(in.readNBytes(Integer.parseInt(m.group(1))));
                    continue;
                }
                return text;
            }
            line.write(b);
        }
    }

    /** A command's responses: the untagged lines and the tagged one. */
    public final class Response {
        public final List<String> untagged = new ArrayList<>();
        public String tagged;

        public Response expectOk() {
            assertThat(tagged).as("tagged response; untagged: %s", untagged).matches("\\S+ OK.*");
            return this;
        }

        public Response expectNo(String codeOrText) {
            assertThat(tagged).as("tagged response").matches("\\S+ NO.*").contains(codeOrText);
            return this;
        }

        public Response expectBad() {
            assertThat(tagged).as("tagged response").matches("\\S+ BAD.*");
            return this;
        }

        /** An untagged line equal to {@code * text}. */
        public Response expectUntagged(String text) {
            assertThat(untagged).as("untagged responses").contains("* " + text);
            return this;
        }

        /** An untagged line matching the regular expression (after "* "). */
        public Response expectUntaggedMatching(String regex) {
            assertThat(untagged).as("untagged responses").anyMatch(l -> l.matches("\\* " + regex));
            return this;
        }

        public Response expectNoUntaggedMatching(String regex) {
            assertThat(untagged).as("untagged responses").noneMatch(l -> l.matches("\\* " + regex));
            return this;
        }

        public ImapClient client() {
            return ImapClient.this;
        }
    }

    /** Sends {@code tag command} and reads up to its tagged response. */
    public Response command(String line) throws IOException {
        String tag = line.substring(0, line.indexOf(' '));
        send(line);
        return readUntilTagged(tag);
    }

    public Response readUntilTagged(String tag) throws IOException {
        Response r = new Response();
        while (true) {
            String l = readLine();
            if (l == null) {
                throw new IOException("connection closed; so far " + r.untagged);
            }
            if (l.startsWith(tag + " ")) {
                r.tagged = l;
                return r;
            }
            r.untagged.add(l);
        }
    }

    /** Logs in with LOGIN. */
    public ImapClient login(String user, String password) throws IOException {
        command("l1 LOGIN " + user + " \"" + password + "\"").expectOk();
        return this;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
