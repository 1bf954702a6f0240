package org.postern.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.postern.net.SelfSigned;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Make a data folder: the configuration file (postern.conf), a self-signed certificate for"
                + " the host name, and the database. Running it again on a data folder adds only what is "
                + "missing.")
public final class InitCommand implements Callable<Integer> {
    @Mixin
    DataOption data;

    @Option(names = "--hostname", paramLabel = "HOST",
            description = "The name clients use to reach this server (default: this machine's name), for example "
                    + "mail.example.org.")
    String hostname;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        for (String line : init(data.dir(), hostname)) {
            out.println(line);
        }
        out.flush();
        return 0;
    }

    /** Makes or completes a data folder; returns what it did, one line each. */
    public static List<String> init(Path dir, String hostname) throws IOException, ConfigException {
        List<String> done = new ArrayList<>();
        if (hostname != null) {
            try {
                Setting.hostname("hostname", "", null).parser().apply(hostname);
            } catch (Setting.BadValue e) {
                throw new CommandFailed("--hostname: " + e.getMessage(), 2);
            }
        }
        Files.createDirectories(dir);
        Path file = dir.resolve(Config.FILE_NAME);
        if (Files.exists(file)) {
            done.add("kept " + file);
        } else {
            String host = hostname != null ? hostname.toLowerCase(java.util.Locale.ROOT) : guessHostname();
            Files.writeString(file, Config.template(host), StandardCharsets.UTF_8);
            done.add("wrote " + file + " (hostname " + host + ")");
        }
        Config config = Config.load(dir);
        if (hostname != null && !hostname.equalsIgnoreCase(config.hostname())) {
            done.add("note: " + file + " already names the host " + config.hostname() + "; edit it to change");
        }
        Path cert = config.tlsCertificate();
        Path key = config.tlsKey();
        if (Files.exists(cert) && Files.exists(key)) {
            done.add("kept the certificate " + cert);
        } else if (Files.exists(cert) || Files.exists(key)) {
            throw new CommandFailed("only one of " + cert + " and " + key + " exists; provide both or remove the other");
        } else {
            Files.createDirectories(cert.getParent());
            Files.createDirectories(key.getParent());
            SelfSigned.create(config.hostname(), cert, key);
            done.add("made a self-signed certificate for " + config.hostname() + ": " + cert
                    + " (replace it and " + key.getFileName() + " with a real one, e.g. from certbot)");
        }
        try (Services s = Services.open(config, Clock.systemUTC())) {
            done.add("database ready: " + config.database() + " (" + s.directory().accounts().size() + " accounts)");
            for (String domain : dkimDomains(config, s)) {
                if (!s.dkimKeys().exists(domain)) {
                    s.dkimKeys().keys(domain);
                    done.add("made DKIM keys (RSA-2048 and Ed25519) for " + domain + " in " + config.dkimDir()
                            + "; 'postern dkim show " + domain + "' prints the DNS records to publish");
                }
            }
        }
        done.add("next: postern account add you@" + domainHint(config.hostname()) + " --data " + dir
                + ", then postern serve --data " + dir);
        return done;
    }

    /** The domains that sign mail: those with accounts, and the one the host name suggests (not for a bare "localhost"). */
    private static java.util.Set<String> dkimDomains(Config config, Services s) {
        java.util.Set<String> domains = new java.util.TreeSet<>();
        if (config.hostname().contains(".")) {
            domains.add(domainHint(config.hostname()));
        }
        s.directory().domains().forEach(d -> domains.add(d.name()));
        return domains;
    }

    private static String domainHint(String hostname) {
        int dot = hostname.indexOf('.');
        return dot > 0 && hostname.indexOf('.', dot + 1) > 0 ? hostname.substring(dot + 1) : hostname;
    }

    private static String guessHostname() {
        try {
            String name = InetAddress.getLocalHost().getCanonicalHostName().toLowerCase(java.util.Locale.ROOT);
            if (name.contains(".") && !name.matches("[0-9.]+") && !name.endsWith(".localdomain")) {
                return name;
            }
        } catch (IOException e) {
            // fall through to localhost
        }
        return "localhost";
    }
}
