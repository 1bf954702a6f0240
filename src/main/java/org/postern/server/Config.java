package org.postern.server;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.postern.store.sqlite.ExpungeHistory;

/**
 * The configuration file {@code postern.conf} in the data folder: {@code key = value} lines,
 * {@code #} comments. Every key has a default, so a line can be deleted to get it back. A file
 * that cannot be used is refused as a whole, with the file, line and key in the message, and
 * nothing starts.
 */
public final class Config {
    public static final String FILE_NAME = "postern.conf";

    static final List<Setting> SETTINGS = List.of(
            Setting.hostname("hostname", "localhost",
                    "The name mail clients and other servers use to reach this server. It goes in the\n"
                            + "self-signed certificate, the SMTP greeting and the client settings Postern shows."),
            Setting.listen("listen.smtp", "*:25", "Where each listener listens: HOST:PORT, *:PORT (every address), [::1]:PORT, or off.\n"
                    + "smtp: inbound mail from other servers (MX)."),
            Setting.listen("listen.submission", "*:587", "submission: outgoing mail from mail clients, STARTTLS required before login."),
            Setting.listen("listen.submissions", "*:465", "submissions: outgoing mail from mail clients over TLS."),
            Setting.listen("listen.imap", "*:143", "imap: IMAP with STARTTLS."),
            Setting.listen("listen.imaps", "*:993", "imaps: IMAP over TLS."),
            Setting.listen("listen.pop3", "*:110", "pop3: POP3 with STLS."),
            Setting.listen("listen.pop3s", "*:995", "pop3s: POP3 over TLS."),
            Setting.listen("listen.http", "*:80", "http: redirects to https (except client autoconfiguration)."),
            Setting.listen("listen.https", "*:443", "https: settings, account security and autoconfiguration pages."),
            Setting.text("tls.certificate", "tls/fullchain.pem",
                    "The certificate chain and private key, PEM files (certbot's fullchain.pem and privkey.pem\n"
                            + "work as they are; RSA or EC keys). Relative paths are inside the data folder. A renewed\n"
                            + "certificate is picked up by new connections without a restart."),
            Setting.text("tls.key", "tls/privkey.pem", null),
            Setting.bool("auth.plaintext-on-loopback", "no",
                    "Allow user names and passwords without TLS on imap/pop3/submission, but only for\n"
                            + "connections from this machine (127.0.0.0/8, ::1). For tests and benchmarks."),
            Setting.bool("auth.require-app-passwords", "no",
                    "Mail clients (IMAP, POP3, SMTP) may sign in only with app passwords, never with the\n"
                            + "account password, for every account (as when 2-Step Verification is on)."),
            Setting.bool("auth.sign-in-notices", "yes",
                    "The first time a device signs in to an account, a security notice goes to its INBOX."),
            Setting.size("limits.message-size", "35M", "The largest message accepted, by SMTP and IMAP APPEND (Gmail's is 35M)."),
            Setting.size("limits.quota", "15G", "Mail storage per account unless set per account (0: unlimited)."),
            Setting.size("limits.line-length", "64K", "The longest command line a client may send (IMAP, POP3, SMTP commands)."),
            Setting.count("limits.connections", "10000", "Simultaneous connections, all listeners together."),
            Setting.count("limits.connections-per-ip", "50", "Simultaneous connections from one IP address."),
            Setting.count("limits.connections-per-account", "20", "Simultaneous IMAP and POP3 sessions of one account."),
            Setting.oneOf("smtp.dmarc-policy", "honour", List.of("honour", "quarantine-only", "ignore"),
                    "What the MX does with mail that fails DMARC (RFC 7489) under the sender domain's policy:\n"
                            + "honour: p=reject is refused (550 5.7.1 at the end of DATA), p=quarantine goes to Junk;\n"
                            + "quarantine-only: both go to Junk; ignore: both go to the INBOX. The result is always\n"
                            + "recorded in the Authentication-Results header."),
            Setting.text("dkim.selector", "postern",
                    "Submitted mail is signed with DKIM (RFC 6376) twice, RSA-2048 and Ed25519 (RFC 8463), with the\n"
                            + "keys in dkim/ (made by init, and for a new domain when it first sends). The selectors are\n"
                            + "SELECTOR-rsa and SELECTOR-ed25519; 'postern dkim show DOMAIN' prints the DNS records."),
            Setting.bool("outbound.enabled", "yes",
                    "Deliver queued mail to other servers. 'no' holds it in the queue (maintenance); it goes\n"
                            + "out once this is 'yes' again."),
            Setting.duration("outbound.retry-for", "5d",
                    "How long a message that cannot be delivered is retried (with growing pauses, from 5 minutes\n"
                            + "up to 4 hours) before it is returned to its sender."),
            Setting.duration("outbound.delay-notice", "4h",
                    "After how long the sender is told, once, that a message is not delivered yet."),
            Setting.count("outbound.connections-per-domain", "4", "Simultaneous deliveries to one recipient domain."),
            Setting.address("outbound.source-address", "any",
                    "The local IP address outgoing connections come from (the one SPF records name), or any."),
            Setting.count("outbound.port", "25", "The port of other servers' MX hosts. Only tests use anything but 25."),
            Setting.text("outbound.ca-file", "system",
                    "Certificate authorities for checking MX certificates under MTA-STS (RFC 8461): system (the\n"
                            + "JDK's), or a PEM file whose certificates are trusted as well (a private CA)."),
            Setting.resolvers("dns.resolvers", "system",
                    "The DNS resolvers asked for MX, SPF, DKIM, DMARC and MTA-STS records: system (those of\n"
                            + "/etc/resolv.conf), or addresses like 127.0.0.1 or [::1]:53, separated by spaces.\n"
                            + "Use a validating resolver on this machine (e.g. unbound) if you can."),
            Setting.duration("dns.timeout", "5s", "How long one DNS question may wait for an answer (it is asked twice)."),
            Setting.text("store.database", "postern.db", "The metadata database (SQLite) and the folder of message files."),
            Setting.text("store.blobs", "blobs", null),
            Setting.duration("store.expunge-history", "90d",
                    "How long expunges are remembered, so that an IMAP client that comes back is told exactly\n"
                            + "which messages vanished (QRESYNC); and at most how many per mailbox, the newest (0: no\n"
                            + "limit). A client away longer is told every UID that no longer exists: more, never wrong."),
            Setting.count("store.expunge-history-max", "100000", null),
            Setting.oneOf("log.level", "info", List.of("error", "warn", "info", "debug", "trace"),
                    "How much the server logs: error, warn, info (one line per connection event), debug, trace."));

    private static final Map<String, Setting> BY_KEY = new HashMap<>();

    static {
        for (Setting s : SETTINGS) {
            BY_KEY.put(s.key(), s);
        }
    }

    private final Path dataDir;
    private final Map<String, Object> values;
    private final Map<ListenerName, ListenAddress> listenOverrides = new EnumMap<>(ListenerName.class);

    private Config(Path dataDir, Map<String, Object> values) {
        this.dataDir = dataDir;
        this.values = values;
    }

    /** The configuration of a data folder; it must have been made by {@code postern init}. */
    public static Config load(Path dataDir) throws ConfigException {
        Path file = dataDir.resolve(FILE_NAME);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": not found; is " + dataDir + " a Postern data folder? Make one with: postern init --data " + dataDir);
        } catch (CharacterCodingException e) {
            throw new ConfigException(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read: " + e.getMessage());
        }
        return parse(dataDir, file, text);
    }

    /** The defaults alone (for tests and for {@code demo} before its file exists). */
    public static Config defaults(Path dataDir) {
        try {
            return parse(dataDir, dataDir.resolve(FILE_NAME), "");
        } catch (ConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    static Config parse(Path dataDir, Path file, String text) throws ConfigException {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Integer> seenAt = new HashMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new ConfigException(file + ":" + lineNo + ": expected 'key = value', found '" + abbreviate(line) + "'");
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            Setting s = BY_KEY.get(key);
            if (s == null) {
                String near = nearest(key);
                throw new ConfigException(file + ":" + lineNo + ": unknown key '" + abbreviate(key) + "'"
                        + (near == null ? "" : " (did you mean '" + near + "'?)"));
            }
            Integer before = seenAt.put(key, lineNo);
            if (before != null) {
                throw new ConfigException(file + ":" + lineNo + ": key '" + key + "' is already set on line " + before);
            }
            try {
                values.put(key, s.parser().apply(value));
            } catch (Setting.BadValue e) {
                throw new ConfigException(file + ":" + lineNo + ": key '" + key + "': " + e.getMessage());
            }
        }
        for (Setting s : SETTINGS) {
            values.computeIfAbsent(s.key(), k -> s.parser().apply(s.defaultValue()));
        }
        return new Config(dataDir, values);
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    /** The known key closest to a misspelt one, when it is close enough to be a likely typo. */
    private static String nearest(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Setting s : SETTINGS) {
            int d = distance(key, s.key());
            if (d < bestDistance) {
                bestDistance = d;
                best = s.key();
            }
        }
        return bestDistance <= 3 ? best : null;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** The documented file {@code postern init} writes: every key, its default and what it means. */
    public static String template(String hostname) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Postern configuration. Lines are 'key = value'; '#' starts a comment.\n")
                .append("# Every key has a default: delete a line to get the default back.\n")
                .append("# Changes take effect at the next start of 'postern serve'.\n");
        for (Setting s : SETTINGS) {
            if (s.help() != null) {
                sb.append('\n');
                for (String h : s.help().split("\n")) {
                    sb.append("# ").append(h).append('\n');
                }
            }
            String value = s.key().equals("hostname") ? hostname : s.defaultValue();
            sb.append(s.key()).append(" = ").append(value).append('\n');
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ typed access

    public Path dataDir() {
        return dataDir;
    }

    public Path file() {
        return dataDir.resolve(FILE_NAME);
    }

    public String hostname() {
        return (String) values.get("hostname");
    }

    /** Replaces where a listener listens (command-line {@code --imaps 127.0.0.1:1993}). */
    public void overrideListener(ListenerName name, ListenAddress address) {
        listenOverrides.put(name, address);
    }

    public ListenAddress listener(ListenerName name) {
        ListenAddress o = listenOverrides.get(name);
        return o != null ? o : (ListenAddress) values.get("listen." + name.word());
    }

    public Path tlsCertificate() {
        return path("tls.certificate");
    }

    public Path tlsKey() {
        return path("tls.key");
    }

    public boolean plaintextOnLoopback() {
        return (Boolean) values.get("auth.plaintext-on-loopback");
    }

    public boolean requireAppPasswords() {
        return (Boolean) values.get("auth.require-app-passwords");
    }

    public boolean signInNotices() {
        return (Boolean) values.get("auth.sign-in-notices");
    }

    public long maxMessageSize() {
        return (Long) values.get("limits.message-size");
    }

    public long defaultQuota() {
        return (Long) values.get("limits.quota");
    }

    public int maxLineLength() {
        return (int) Math.min(Integer.MAX_VALUE, (Long) values.get("limits.line-length"));
    }

    public int maxConnections() {
        return (Integer) values.get("limits.connections");
    }

    public int maxConnectionsPerIp() {
        return (Integer) values.get("limits.connections-per-ip");
    }

    public int maxConnectionsPerAccount() {
        return (Integer) values.get("limits.connections-per-account");
    }

    public String dmarcPolicy() {
        return (String) values.get("smtp.dmarc-policy");
    }

    public String dkimSelector() {
        return (String) values.get("dkim.selector");
    }

    /** The folder of DKIM keys, {@code dkim/} in the data folder. */
    public Path dkimDir() {
        return dataDir.resolve("dkim");
    }

    public boolean outboundEnabled() {
        return (Boolean) values.get("outbound.enabled");
    }

    public int outboundPort() {
        return (Integer) values.get("outbound.port");
    }

    public int connectionsPerDomain() {
        return Math.max(1, (Integer) values.get("outbound.connections-per-domain"));
    }

    /** The source address of outgoing connections, or null for any. */
    public java.net.InetAddress outboundSourceAddress() {
        String v = (String) values.get("outbound.source-address");
        return v.equalsIgnoreCase("any") ? null : java.net.InetAddress.ofLiteral(v);
    }

    /** A PEM file of extra trust anchors for MTA-STS, or null for the JDK's alone. */
    public Path outboundCaFile() {
        String v = (String) values.get("outbound.ca-file");
        return v.equalsIgnoreCase("system") ? null : dataDir.resolve(v);
    }

    /** DNS resolvers as written ("127.0.0.1:5353"), empty for the system's. */
    public List<String> dnsResolvers() {
        String v = ((String) values.get("dns.resolvers")).strip();
        return v.equalsIgnoreCase("system") ? List.of() : List.of(v.split("[\\s,]+"));
    }

    public Path database() {
        return path("store.database");
    }

    public Path blobs() {
        return path("store.blobs");
    }

    /** What the store keeps of expunges for QRESYNC (store.expunge-history, store.expunge-history-max). */
    public ExpungeHistory.Policy expungeHistory() {
        return new ExpungeHistory.Policy(duration("store.expunge-history"), (Integer) values.get("store.expunge-history-max"));
    }

    public String logLevel() {
        return (String) values.get("log.level");
    }

    public Duration duration(String key) {
        return (Duration) values.get(key);
    }

    private Path path(String key) {
        return dataDir.resolve((String) values.get(key));
    }

    /** Every key with its effective value, for {@code --help} texts and diagnostics. */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        for (Setting s : SETTINGS) {
            out.add(s.key() + " = " + values.get(s.key()));
        }
        return out;
    }
}
