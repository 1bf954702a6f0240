package org.postern.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import javax.net.ssl.SSLSocket;

/** A test client speaking CR LF lines over a real socket, reading unbuffered so STARTTLS is exact. */
final class LineClient implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    LineClient(Socket socket) throws IOException {
        use(socket);
    }

    static LineClient connect(InetSocketAddress address) throws IOException {
        return connect(address, null);
    }

    /** Connects from a chosen local address, such as 127.0.0.2 to look like another client. */
    static LineClient connect(InetSocketAddress address, InetAddress from) throws IOException {
        Socket s = new Socket();
        if (from != null) {
            s.bind(new InetSocketAddress(from, 0));
        }
        s.connect(address, (int) TIMEOUT.toMillis());
        return new LineClient(s);
    }

    static LineClient tls(ClientTls tls, InetSocketAddress address, String serverName) throws IOException {
        return new LineClient(tls.connect(address, serverName, TIMEOUT));
    }

    private void use(Socket s) throws IOException {
        this.socket = s;
        s.setSoTimeout((int) TIMEOUT.toMillis());
        this.in = s.getInputStream();
        this.out = s.getOutputStream();
    }

    /** The next line without its CR LF, or null at end of stream. */
    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                String s = line.toString(StandardCharsets.UTF_8);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    LineClient send(String line) throws IOException {
        return sendRaw((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    LineClient sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** True when the server closes the connection (end of stream or reset) within the timeout. */
    boolean closedByServer() throws IOException {
        try {
            while (in.read() != -1) {
                // drain
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    /** Shakes hands over the same connection after the server's go-ahead. */
    void upgrade(ClientTls tls, String serverName) throws IOException {
        use(tls.upgrade(socket, serverName, TIMEOUT));
    }

    SSLSocket ssl() {
        return (SSLSocket) socket;
    }

    Socket socket() {
        return socket;
    }

    void timeout(Duration d) throws IOException {
        socket.setSoTimeout((int) d.toMillis());
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
