package org.postern.testing;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.postern.auth.Passwords;
import org.postern.server.Config;
import org.postern.server.InitCommand;
import org.postern.server.ListenAddress;
import org.postern.server.ListenerName;
import org.postern.server.Server;
import org.postern.server.Services;

/**
 * A real Postern in a temporary data folder, listening on ephemeral loopback ports: IMAP with
 * STARTTLS, IMAP over TLS, POP3 with STLS and POP3 over TLS; SMTP (MX), submission with STARTTLS
 * and submission over TLS. Tests talk to it the way clients do.
 */
public final class TestServer implements AutoCloseable {
    public static final String PASSWORD = "Test-Password-1";

    public final Server server;
    public final Path dataDir;

    private TestServer(Server server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
    }

    /**
     * Starts a server; {@code plaintextOnLoopback} allows LOGIN without TLS from 127.0.0.1.
     * New-sign-in notices are off (they would add messages to every mailbox a test counts);
     * {@link #start(Path, java.util.Map, String...)} can turn them on.
     */
    public static TestServer start(Path dir, boolean plaintextOnLoopback, String... accounts) throws Exception {
        return start(dir, java.util.Map.of("auth.plaintext-on-loopback", plaintextOnLoopback ? "yes" : "no"), accounts);
    }

    /** Starts a server with some keys of postern.conf set. */
    public static TestServer start(Path dir, java.util.Map<String, String> settings, String... accounts) throws Exception {
        return start(dir, settings, false, accounts);
    }

    /** Starts a server with the web listeners too (http and https on ephemeral loopback ports). */
    public static TestServer startWithWeb(Path dir, java.util.Map<String, String> settings, String... accounts) throws Exception {
        return start(dir, settings, true, accounts);
    }

    private static TestServer start(Path dir, java.util.Map<String, String> settings, boolean web, String... accounts) throws Exception {
        InitCommand.init(dir, "localhost");
        java.util.Map<String, String> all = new java.util.HashMap<>(java.util.Map.of("auth.sign-in-notices", "no"));
        all.putAll(settings);
        String conf = java.nio.file.Files.readString(dir.resolve(Config.FILE_NAME));
        for (var e : all.entrySet()) {
            conf = conf.replaceAll("(?m)^" + java.util.regex.Pattern.quote(e.getKey()) + " = .*$", e.getKey() + " = " + e.getValue());
        }
        java.nio.file.Files.writeString(dir.resolve(Config.FILE_NAME), conf);
        Config config = Config.load(dir);
        for (ListenerName n : ListenerName.values()) {
            config.overrideListener(n, ListenAddress.OFF);
        }
        config.overrideListener(ListenerName.IMAP, new ListenAddress("127.0.0.1", 0));
        config.overrideListener(ListenerName.IMAPS, new ListenAddress("127.0.0.1", 0));
        config.overrideListener(ListenerName.POP3, new ListenAddress("127.0.0.1", 0));
        config.overrideListener(ListenerName.POP3S, new ListenAddress("127.0.0.1", 0));
        config.overrideListener(ListenerName.SMTP, new ListenAddress("127.0.0.1", 0));
        config.overrideListener(ListenerName.SUBMISSION, new ListenAddress("127.0.0.1", 0));
        config.overrideListener(ListenerName.SUBMISSIONS, new ListenAddress("127.0.0.1", 0));
        if (web) {
            config.overrideListener(ListenerName.HTTP, new ListenAddress("127.0.0.1", 0));
            config.overrideListener(ListenerName.HTTPS, new ListenAddress("127.0.0.1", 0));
        }
        Server server = Server.start(config, Server.builtIn());
        TestServer t = new TestServer(server, dir);
        for (String a : accounts) {
            t.services().directory().addAccount(a, Passwords.hash(PASSWORD));
        }
        return t;
    }

    public Services services() {
        return server.services();
    }

    public InetSocketAddress address(ListenerName listener) {
        return server.bound().get(listener);
    }

    public int imapPort() {
        return address(ListenerName.IMAP).getPort();
    }

    public int imapsPort() {
        return address(ListenerName.IMAPS).getPort();
    }

    public int pop3Port() {
        return address(ListenerName.POP3).getPort();
    }

    public int pop3sPort() {
        return address(ListenerName.POP3S).getPort();
    }

    public int smtpPort() {
        return address(ListenerName.SMTP).getPort();
    }

    public int submissionPort() {
        return address(ListenerName.SUBMISSION).getPort();
    }

    public int submissionsPort() {
        return address(ListenerName.SUBMISSIONS).getPort();
    }

    @Override
    public void close() {
        server.close();
    }
}
