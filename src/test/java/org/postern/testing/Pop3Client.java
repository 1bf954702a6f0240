package org.postern.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;

/**
 * A raw POP3 client for tests that read like transcripts (STYLE.md 12):
 * {@code pop.ok("STAT")}, {@code pop.err("RETR 9")}, {@code pop.multiline("UIDL")}.
 * Multi-line responses are returned un-stuffed, as RFC 1939 §3 says a client must read them.
 */
public final class Pop3Client implements AutoCloseable {
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    private Pop3Client(Socket socket) throws IOException {
        attach(socket);
    }

    private void attach(Socket s) throws IOException {
        this.socket = s;
        s.setSoTimeout(15_000);
        this.in = new BufferedInputStream(s.getInputStream());
        this.out = s.getOutputStream();
    }

    public static Pop3Client plain(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return new Pop3Client(s);
    }

    public static Pop3Client tls(int port) throws IOException {
        SSLSocket s = (SSLSocket) ImapClient.trustAll().getSocketFactory().createSocket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.startHandshake();
        return new Pop3Client(s);
    }

    /** Connects to the TLS port and reads the greeting. */
    public static Pop3Client tlsGreeted(int port) throws IOException {
        Pop3Client c = tls(port);
        assertThat(c.readLine()).startsWith("+OK");
        return c;
    }

    /** Upgrades this connection after an STLS {@code +OK}. */
    public void startTls() throws IOException {
        SSLSocket s = (SSLSocket) ImapClient.trustAll().getSocketFactory()
                .createSocket(socket, "localhost", socket.getPort(), true);
        s.setUseClientMode(true);
        s.startHandshake();
        attach(s);
    }

    public Pop3Client timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
        return this;
    }

    public Pop3Client sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    public Pop3Client send(String line) throws IOException {
        return sendRaw((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /** One line without its CR LF, or null at the end of the stream. */
    public String readLine() throws IOException {
        byte[] b = readLineBytes();
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    private byte[] readLineBytes() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                return line.size() == 0 ? null : line.toByteArray();
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                assertThat(bytes.length > 0 && bytes[bytes.length - 1] == '\r').as("line ends with CR LF").isTrue();
                return java.util.Arrays.copyOf(bytes, bytes.length - 1);
            }
            line.write(b);
        }
    }

    /** Sends a command and returns its status line. */
    public String command(String line) throws IOException {
        send(line);
        return readLine();
    }

    /** Sends a command that must answer {@code +OK}; returns the status line. */
    public String ok(String line) throws IOException {
        String r = command(line);
        assertThat(r).as(line).startsWith("+OK");
        return r;
    }

    /** Sends a command that must answer {@code -ERR}; returns the status line. */
    public String err(String line) throws IOException {
        String r = command(line);
        assertThat(r).as(line).startsWith("-ERR");
        return r;
    }

    /** Sends a command with a multi-line answer and returns its lines, un-stuffed. */
    public List<String> multiline(String line) throws IOException {
        ok(line);
        return readMultiline();
    }

    public List<String> readMultiline() throws IOException {
        List<String> lines = new ArrayList<>();
        byte[] body = readBody();
        String s = new String(body, StandardCharsets.UTF_8);
        if (s.isEmpty()) {
            return lines;
        }
        for (String l : s.split("\r\n", -1)) {
            lines.add(l);
        }
        lines.removeLast(); // after the last CR LF
        return lines;
    }

    /** RETR n: the message's bytes as the client keeps them (un-stuffed, CR LF line ends). */
    public byte[] retr(int n) throws IOException {
        ok("RETR " + n);
        return readBody();
    }

    /** Reads a multi-line body up to the "." line; returns its bytes with CR LF, un-stuffed. */
    public byte[] readBody() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            byte[] l = readLineBytes();
            if (l == null) {
                throw new IOException("connection closed inside a multi-line response");
            }
            if (l.length == 1 && l[0] == '.') {
                return body.toByteArray();
            }
            int from = l.length > 0 && l[0] == '.' ? 1 : 0;
            body.write(l, from, l.length - from);
            body.write('\r');
            body.write('\n');
        }
    }

    /** USER and PASS, both answered {@code +OK}; returns the PASS answer. */
    public String login(String user, String password) throws IOException {
        ok("USER " + user);
        return ok("PASS " + password);
    }

    /** True when the server closed the connection (the next read sees the end of the stream). */
    public boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
