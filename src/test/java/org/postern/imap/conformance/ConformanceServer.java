package org.postern.imap.conformance;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.postern.auth.Passwords;
import org.postern.store.Directory;
import org.postern.store.Mailbox;
import org.postern.store.MailStore;
import org.postern.testing.TestServer;

/**
 * The Postern the conformance runners talk to: one server, plain IMAP on loopback (login allowed
 * there), and accounts made afresh for each script with nothing but an empty, subscribed INBOX, as
 * the scripts assume.
 */
final class ConformanceServer implements AutoCloseable {
    final TestServer server;

    private ConformanceServer(TestServer server) {
        this.server = server;
    }

    static ConformanceServer start(Path dir) throws Exception {
        return new ConformanceServer(TestServer.start(dir, true));
    }

    int port() {
        return server.imapPort();
    }

    /** Replaces the account with a fresh one holding only an empty INBOX; returns its id. */
    long freshAccount(String email, String password) {
        Directory directory = server.services().directory();
        if (directory.account(email).isPresent()) {
            directory.removeAccount(email);
        }
        long id = directory.addAccount(email, Passwords.hash(password)).id();
        MailStore store = server.services().store();
        for (Mailbox m : store.mailboxes(id)) {
            if (!m.isInbox()) {
                store.deleteMailbox(id, m.name());
                store.setSubscribed(id, m.name(), false); // a subscription outlives its mailbox
            }
        }
        return id;
    }

    /** What the server advertises once logged in. */
    Set<String> capabilitiesAfterLogin(String email, String password) throws IOException {
        try (Connection c = connect()) {
            c.read();
            c.send("c1 LOGIN " + email + " " + password);
            Set<String> caps = new LinkedHashSet<>();
            while (true) {
                ServerResponse r = c.read();
                String text = r.text();
                int at = text.indexOf("[CAPABILITY ");
                if (at >= 0) {
                    for (String cap : text.substring(at + 12, text.indexOf(']', at)).split(" ")) {
                        caps.add(cap.toUpperCase(Locale.ROOT));
                    }
                }
                if ("c1".equals(r.tag())) {
                    if (!text.startsWith("c1 OK")) {
                        throw new IOException("login failed: " + text);
                    }
                    break;
                }
            }
            c.send("c2 CAPABILITY");
            while (true) {
                ServerResponse r = c.read();
                if (r.text().startsWith("* CAPABILITY ")) {
                    caps.clear();
                    for (String cap : r.text().substring(13).split(" ")) {
                        caps.add(cap.toUpperCase(Locale.ROOT));
                    }
                }
                if ("c2".equals(r.tag())) {
                    return Set.copyOf(caps);
                }
            }
        }
    }

    Connection connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port()), 5000);
        return new Connection(s);
    }

    @Override
    public void close() {
        server.close();
    }

    /** A client connection that reads whole responses (literals included). */
    static final class Connection implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout(10_000);
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        void send(String line) throws IOException {
            sendRaw((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }

        void sendRaw(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        ServerResponse read() throws IOException {
            return ServerResponse.read(in);
        }

        /** Reads with a different timeout (a SocketTimeoutException when nothing arrives). */
        ServerResponse read(int timeoutMillis) throws IOException {
            int old = socket.getSoTimeout();
            socket.setSoTimeout(timeoutMillis);
            try {
                return ServerResponse.read(in);
            } finally {
                socket.setSoTimeout(old);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
