package org.postern.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLSocket;

/**
 * A raw SMTP client for tests that read like transcripts (STYLE.md 12):
 * {@code smtp.send("MAIL FROM:<a@b>").expect(250)}. Replies are read whole (every
 * {@code 250-} line up to the {@code 250 } one).
 */
public final class SmtpClient implements AutoCloseable {
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    /** One reply: its code and its lines without the code. */
    public record Reply(int code, List<String> lines) {
        public String text() {
            return String.join("\n", lines);
        }

        public Reply expect(int expected) {
            assertThat(code).as("reply %s %s", code, lines).isEqualTo(expected);
            return this;
        }

        public Reply contains(String s) {
            assertThat(text()).contains(s);
            return this;
        }

        @Override
        public String toString() {
            return code + " " + text();
        }
    }

    private SmtpClient(Socket s) throws IOException {
        attach(s);
    }

    private void attach(Socket s) throws IOException {
        socket = s;
        s.setSoTimeout(10_000);
        in = new BufferedInputStream(s.getInputStream());
        out = s.getOutputStream();
    }

    /** Connects and reads the greeting, which must be 220. */
    public static SmtpClient plain(int port) throws IOException {
        return plain(new InetSocketAddress("127.0.0.1", port));
    }

    /** Connects to another loopback address (tests with two servers) and reads the greeting. */
    public static SmtpClient plain(InetSocketAddress address) throws IOException {
        Socket s = new Socket();
        s.connect(address, 5000);
        SmtpClient c = new SmtpClient(s);
        c.read().expect(220);
        return c;
    }

    /** Connects with implicit TLS (port 465) and reads the greeting. */
    public static SmtpClient tls(int port) throws IOException {
        SSLSocket s = (SSLSocket) ImapClient.trustAll().getSocketFactory().createSocket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.startHandshake();
        SmtpClient c = new SmtpClient(s);
        c.read().expect(220);
        return c;
    }

    /** Connects without reading anything. */
    public static SmtpClient raw(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return new SmtpClient(s);
    }

    /** STARTTLS, 220, then the handshake over the same socket. */
    public SmtpClient startTls() throws IOException {
        send("STARTTLS").expect(220);
        upgrade();
        return this;
    }

    /** The TLS handshake over this socket (after a 220 read by the caller). */
    public void upgrade() throws IOException {
        SSLSocket s = (SSLSocket) ImapClient.trustAll().getSocketFactory().createSocket(socket, "localhost", socket.getPort(), true);
        s.setUseClientMode(true);
        s.startHandshake();
        attach(s);
    }

    public SmtpClient timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
        return this;
    }

    public SmtpClient write(String text) throws IOException {
        return writeRaw(text.getBytes(StandardCharsets.UTF_8));
    }

    public SmtpClient writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Sends a line (CRLF added) and reads the reply. */
    public Reply send(String line) throws IOException {
        write(line + "\r\n");
        return read();
    }

    /** Reads one whole reply; fails on end of stream. */
    public Reply read() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String l = readLine();
            if (l == null) {
                throw new IOException("connection closed; so far " + lines);
            }
            if (l.length() < 3 || !l.substring(0, 3).chars().allMatch(Character::isDigit)) {
                throw new IOException("not an SMTP reply line: " + l);
            }
            lines.add(l.length() > 4 ? l.substring(4) : "");
            if (l.length() == 3 || l.charAt(3) == ' ') {
                return new Reply(Integer.parseInt(l.substring(0, 3)), lines);
            }
        }
    }

    /** One line without CRLF, or null at end of stream. */
    public String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                return b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
            }
            if (c == '\n') {
                String s = b.toString(StandardCharsets.UTF_8);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
    }

    /** True when the server closes the connection (end of stream) within the read timeout. */
    public boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    /** Everything the server sends until it has been quiet for {@code quietMillis} (or closes). */
    public String drain(int quietMillis) throws IOException {
        int old = socket.getSoTimeout();
        socket.setSoTimeout(quietMillis);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            for (int c; (c = in.read()) >= 0; ) {
                b.write(c);
            }
        } catch (SocketTimeoutException e) {
            // quiet
        } catch (IOException e) {
            // reset: what came before counts
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(old);
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    public SmtpClient ehlo() throws IOException {
        send("EHLO client.example").expect(250);
        return this;
    }

    /** AUTH PLAIN with an initial response; returns the reply. */
    public Reply authPlain(String user, String password) throws IOException {
        String ir = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
        return send("AUTH PLAIN " + ir);
    }

    /** DATA, the message (dot-stuffed here, CRLF line ends), the final dot; returns the final reply. */
    public Reply data(String message) throws IOException {
        send("DATA").expect(354);
        StringBuilder sb = new StringBuilder();
        for (String line : message.split("\r\n", -1)) {
            sb.append(line.startsWith(".") ? "." + line : line).append("\r\n");
        }
        if (message.endsWith("\r\n")) {
            sb.setLength(sb.length() - 2);
        }
        write(sb + ".\r\n");
        return read();
    }

    /** MAIL, RCPTs and DATA, each expected to succeed; returns the final reply. */
    public Reply mail(String from, List<String> to, String message) throws IOException {
        send("MAIL FROM:<" + from + ">").expect(250);
        for (String t : to) {
            send("RCPT TO:<" + t + ">").expect(250);
        }
        return data(message);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
