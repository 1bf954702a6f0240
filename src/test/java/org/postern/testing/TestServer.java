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
    /** The DNS this server asks (dns.resolvers points at it), unless a test gave its own. */
    public final org.postern.dns.TestDnsServer dns;

    private TestServer(Server server, Path dataDir, org.postern.dns.TestDnsServer dns) {
        this.server = server;
        this.dataDir = dataDir;
        this.dns = dns;
    }

    /**
     * Starts a server; {@code plaintextOnLoopback} allows LOGIN without TLS from 127.0.0.1.
     * New-sign-in notices are off (they would add messages to every mailbox a test counts);
     * {@link #start(Path, java.util.Map, String...)} can turn them on.
     */
    public static TestServer start(Path dir, boolean plaintextOnLoopback, String... accounts) throws Exception {
        return start(dir, java.util.Map.of("auth.plaintext-on-loopback", plaintextOnLoopback ? "yes" : "no"), accounts);
    }

    /**
     * Starts a server with some keys of postern.conf set. Outbound delivery is held
     * ({@code outbound.enabled = no}) and DNS is a {@link org.postern.dns.TestDnsServer} of its
     * own with an empty zone, unless the settings say otherwise.
     */
    public static TestServer start(Path dir, java.util.Map<String, String> settings, String... accounts) throws Exception {
        return start(dir, "localhost", "127.0.0.1", settings, java.time.Clock.systemUTC(), accounts);
    }

    /** A server named {@code hostname} with every listener on {@code bind} (port 0, or smtp on the port given in settings "test.smtp-port"). */
    public static TestServer start(Path dir, String hostname, String bind, java.util.Map<String, String> settings,
                                   java.time.Clock clock, String... accounts) throws Exception {
        InitCommand.init(dir, hostname);
        java.util.Map<String, String> all = new java.util.HashMap<>(java.util.Map.of("auth.sign-in-notices", "no",
                "outbound.enabled", "no"));
        org.postern.dns.TestDnsServer dns = null;
        if (!settings.containsKey("dns.resolvers")) {
            dns = new org.postern.dns.TestDnsServer(new org.postern.dns.Zone());
            all.put("dns.resolvers", dns.address());
            all.put("dns.timeout", "2s");
        }
        all.putAll(settings);
        int smtpPort = Integer.parseInt(all.getOrDefault("test.smtp-port", "0"));
        all.remove("test.smtp-port");
        String conf = java.nio.file.Files.readString(dir.resolve(Config.FILE_NAME));
        for (var e : all.entrySet()) {
            conf = conf.replaceAll("(?m)^" + java.util.regex.Pattern.quote(e.getKey()) + " = .*$", e.getKey() + " = " + e.getValue());
        }
        java.nio.file.Files.writeString(dir.resolve(Config.FILE_NAME), conf);
        Config config = Config.load(dir);
        for (ListenerName n : ListenerName.values()) {
            config.overrideListener(n, ListenAddress.OFF);
        }
        config.overrideListener(ListenerName.IMAP, new ListenAddress(bind, 0));
        config.overrideListener(ListenerName.IMAPS, new ListenAddress(bind, 0));
        config.overrideListener(ListenerName.POP3, new ListenAddress(bind, 0));
        config.overrideListener(ListenerName.POP3S, new ListenAddress(bind, 0));
        config.overrideListener(ListenerName.SMTP, new ListenAddress(bind, smtpPort));
        config.overrideListener(ListenerName.SUBMISSION, new ListenAddress(bind, 0));
        config.overrideListener(ListenerName.SUBMISSIONS, new ListenAddress(bind, 0));
        Server server;
        try {
            server = Server.start(config, Server.builtIn(), clock);
        } catch (RuntimeException e) {
            if (dns != null) {
                dns.close();
            }
            throw e;
        }
        TestServer t = new TestServer(server, dir, dns);
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

    /** The messages in an account's INBOX, oldest first, as stored. */
    public java.util.List<String> inbox(String email) throws java.io.IOException {
        org.postern.store.MailStore store = services().store();
        org.postern.store.Directory.Account account = services().directory().account(email).orElseThrow();
        java.util.List<String> out = new java.util.ArrayList<>();
        long mailbox = store.mailbox(account.id(), org.postern.store.Mailbox.INBOX).orElseThrow().id();
        for (org.postern.store.StoredMessage m : store.messages(mailbox)) {
            out.add(java.nio.file.Files.readString(store.blobs().path(m.blob()), java.nio.charset.StandardCharsets.UTF_8));
        }
        return out;
    }

    @Override
    public void close() {
        server.close();
        if (dns != null) {
            dns.close();
        }
    }
}
