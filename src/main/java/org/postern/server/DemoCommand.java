package org.postern.server;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.postern.auth.Passwords;
import org.postern.delivery.LocalDelivery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "demo", mixinStandardHelpOptions = true, abbreviateSynopsis = true,
        description = "Try Postern: make a fresh data folder, add the account demo@example.test with a generated "
            + "password and a welcome message, serve on the demo ports (the standard ones plus 10000, e.g. IMAPS on "
            + "10993), and print the settings to type into a mail client. Stop it with Ctrl+C.")
public final class DemoCommand implements Callable<Integer> {
    static final String ACCOUNT = "demo@example.test";

    @Option(names = "--data", paramLabel = "DIR",
            description = "An empty or new folder for the demo's data (default: a new folder in the system's "
                    + "temporary folder).")
    Path data;

    @Option(names = "--hostname", paramLabel = "HOST", defaultValue = "localhost",
            description = "The server name to show in the client settings (default: ${DEFAULT-VALUE}).")
    String hostname;

    @Mixin
    ListenerOptions listenerOptions;

    @Spec
    CommandSpec spec;

    /** The demo's ports: the standard port plus 10000, so no root is needed. */
    static Map<ListenerName, ListenAddress> demoListeners() {
        Map<ListenerName, ListenAddress> m = new EnumMap<>(ListenerName.class);
        for (ListenerName n : ListenerName.values()) {
            m.put(n, new ListenAddress("*", 10000 + n.standardPort()));
        }
        return m;
    }

    @Override
    public Integer call() throws Exception {
        Path dir = folder();
        PrintWriter out = spec.commandLine().getOut();
        InitCommand.init(dir, hostname);
        Config config = Config.load(dir);
        demoListeners().forEach(config::overrideListener);
        listenerOptions.given().forEach(config::overrideListener);
        String password = Passwords.generate();
        try (Services s = Services.open(config, java.time.Clock.systemUTC())) {
            s.directory().addAccount(ACCOUNT, Passwords.hash(password));
            s.delivery().deliver(new ByteArrayInputStream(welcome(config.hostname()).getBytes(StandardCharsets.UTF_8)),
                    List.of(ACCOUNT), LocalDelivery.Folder.INBOX);
        }
        Logging.setLevel(config.logLevel());
        Server server = Server.start(config, Server.builtIn());
        out.println();
        out.println("Postern demo — data folder " + dir);
        out.println();
        out.print(clientSettings(config.hostname(), ACCOUNT, password, server.bound(), server.notBuilt()));
        out.println();
        out.println("The certificate is self-signed: accept it when your mail client asks. Stop with Ctrl+C.");
        out.flush();
        ServeCommand.awaitShutdown(server);
        return 0;
    }

    private Path folder() throws IOException {
        if (data == null) {
            return Files.createTempDirectory("postern-demo-");
        }
        Path d = data.toAbsolutePath().normalize();
        if (Files.exists(d)) {
            try (var entries = Files.list(d)) {
                if (entries.findAny().isPresent()) {
                    throw new CommandFailed(d + " is not empty; the demo needs a fresh folder (or leave out --data)");
                }
            }
        }
        return d;
    }

    /** The table people otherwise search the web for: server, port, security, user name. */
    static String clientSettings(String host, String account, String password, Map<ListenerName, InetSocketAddress> bound,
                                 List<ListenerName> notBuilt) {
        StringBuilder sb = new StringBuilder();
        String row = "  %-26s %s%n";
        sb.append(String.format(Locale.ROOT, row, "Email address", account));
        sb.append(String.format(Locale.ROOT, row, "Password", password));
        sb.append(String.format(Locale.ROOT, row, "User name", account + " (the full address)"));
        String[][] kinds = {
            {"imaps", "Incoming mail (IMAP)", "SSL/TLS"}, {"imap", "Incoming mail (IMAP)", "STARTTLS"},
            {"pop3s", "Incoming mail (POP3)", "SSL/TLS"}, {"pop3", "Incoming mail (POP3)", "STARTTLS"},
            {"submissions", "Outgoing mail (SMTP)", "SSL/TLS"}, {"submission", "Outgoing mail (SMTP)", "STARTTLS"}};
        for (String[] k : kinds) {
            ListenerName n = ListenerName.valueOf(k[0].toUpperCase(Locale.ROOT));
            InetSocketAddress a = bound.get(n);
            if (a != null) {
                sb.append(String.format(Locale.ROOT, row, k[1],
                        "server " + host + "   port " + a.getPort() + "   security " + k[2] + "   password: normal"));
            }
        }
        InetSocketAddress web = bound.get(ListenerName.HTTPS);
        if (web != null) {
            sb.append(String.format(Locale.ROOT, row, "Settings in a browser", "https://" + host + (web.getPort() == 443 ? "" : ":" + web.getPort())
                    + "/ (sign in with the address and password)"));
        }
        if (bound.isEmpty()) {
            sb.append(String.format(Locale.ROOT, row, "Servers", "none yet: this version has no IMAP, SMTP or POP3 listener;"));
            sb.append(String.format(Locale.ROOT, row, "", "the account and its INBOX (with a welcome message) are ready for them"));
        } else if (!notBuilt.isEmpty()) {
            sb.append(String.format(Locale.ROOT, row, "Not in this version yet",
                    String.join(", ", notBuilt.stream().map(ListenerName::word).toList())));
        }
        return sb.toString();
    }

    static String welcome(String host) {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now());
        return "From: Postern <postmaster@example.test>\r\n"
                + "To: Demo <" + ACCOUNT + ">\r\n"
                + "Subject: Welcome to Postern\r\n"
                + "Date: " + date + "\r\n"
                + "Message-ID: <welcome." + System.currentTimeMillis() + "@" + host + ">\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n"
                + "\r\n"
                + "Hello,\r\n"
                + "\r\n"
                + "this message was delivered by Postern when the demo started, so your INBOX\r\n"
                + "has something in it. Everything you do here lives in the demo's data folder;\r\n"
                + "delete the folder when you are done.\r\n"
                + "\r\n"
                + "Your mail client needs the full address (" + ACCOUNT + ") as its user name\r\n"
                + "and the server " + host + ". The certificate is self-signed, so the client\r\n"
                + "will ask you to accept it once.\r\n"
                + "\r\n"
                + "— Postern\r\n";
    }
}
