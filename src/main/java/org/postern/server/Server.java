package org.postern.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.postern.delivery.LocalDelivery;
import org.postern.net.ClientTls;
import org.postern.net.Listener;
import org.postern.net.ListenerConfig;
import org.postern.net.TlsConfigException;
import org.postern.net.TlsContext;
import org.postern.net.WriteWatchdog;
import org.postern.smtp.SmtpSettings;
import org.postern.smtp.outbound.DeliveryEngine;
import org.postern.smtp.outbound.OutboundServices;
import org.postern.smtp.outbound.OutboundSettings;
import org.postern.store.sqlite.SqliteMailStore;
import org.postern.web.WebServer;
import org.postern.web.WebServices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Postern: the store, the certificate, and a listener for each configured listener
 * whose protocol exists. Listeners of protocols not yet built are reported, not started.
 */
public final class Server implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Server.class);
    private static final Duration GARBAGE_GRACE = Duration.ofHours(1);
    private static final Duration LEFTOVER_AGE = Duration.ofHours(6);
    private static final Duration REVOCATION_POLL = Duration.ofSeconds(1);

    /** The protocols this version serves, by listener. */
    public static Map<ListenerName, Protocol> builtIn() {
        Map<ListenerName, Protocol> m = new EnumMap<>(ListenerName.class);
        ImapProtocol imap = new ImapProtocol();
        m.put(ListenerName.IMAP, imap);
        m.put(ListenerName.IMAPS, imap);
        Pop3Protocol pop3 = new Pop3Protocol();
        m.put(ListenerName.POP3, pop3);
        m.put(ListenerName.POP3S, pop3);
        SmtpProtocol smtp = new SmtpProtocol();
        m.put(ListenerName.SMTP, smtp);
        m.put(ListenerName.SUBMISSION, smtp);
        m.put(ListenerName.SUBMISSIONS, smtp);
        return m;
    }

    private final Services services;
    private final TlsContext tls;
    private final Map<ListenerName, Listener> listeners = new EnumMap<>(ListenerName.class);
    private final List<ListenerName> notBuilt = new ArrayList<>();
    private final Thread housekeeping;
    private final Thread revocations;
    private WebServer web;
    private final WriteWatchdog outboundWatchdog = new WriteWatchdog("outbound-watchdog", Duration.ofSeconds(1));
    private DeliveryEngine outbound;

    private Server(Services services, TlsContext tls) {
        this.services = services;
        this.tls = tls;
        this.housekeeping = Thread.ofVirtual().name("housekeeping").unstarted(this::housekeep);
        this.revocations = Thread.ofVirtual().name("revocations").unstarted(this::watchRevocations);
    }

    /** Loads the certificate, opens the store and starts every listener; fails as a whole. */
    public static Server start(Config config, Map<ListenerName, Protocol> protocols) {
        return start(config, protocols, java.time.Clock.systemUTC());
    }

    /** With another clock (tests of retries and expiry move it). */
    public static Server start(Config config, Map<ListenerName, Protocol> protocols, java.time.Clock clock) {
        TlsContext tls;
        try {
            tls = TlsContext.load(config.tlsCertificate(), config.tlsKey());
        } catch (TlsConfigException e) {
            throw new CommandFailed(e.getMessage());
        }
        Services services = Services.open(config, clock);
        Server server = new Server(services, tls);
        try {
            Files.createDirectories(services.spoolDir());
            server.removeLeftovers();
        } catch (IOException e) {
            server.close();
            throw new CommandFailed("cannot prepare " + services.spoolDir() + ": " + e.getMessage());
        }
        try {
            for (ListenerName name : ListenerName.values()) {
                if (!isWeb(name)) {
                    server.startListener(name, protocols.get(name));
                }
            }
            server.startWeb();
        } catch (IOException | RuntimeException e) {
            server.close();
            throw new CommandFailed(e.getMessage());
        }
        try {
            server.startOutbound();
        } catch (RuntimeException e) {
            server.close();
            throw new CommandFailed(e.getMessage());
        }
        server.housekeeping.start();
        server.revocations.start();
        return server;
    }

    private void startListener(ListenerName name, Protocol protocol) throws IOException {
        Config config = services.config();
        var address = config.listener(name);
        if (address.isOff()) {
            return;
        }
        if (protocol == null) {
            notBuilt.add(name);
            log.info("[{}] not available in this version yet; not listening on {}", name.word(), address);
            return;
        }
        ListenerConfig lc = ListenerConfig.of(name.word(), address.socketAddress())
                .withImplicitTls(name.implicitTls())
                .withMaxConnections(config.maxConnections())
                .withMaxConnectionsPerAddress(config.maxConnectionsPerIp())
                .withConnection(protocol.settings(config));
        listeners.put(name, Listener.start(lc, tls, protocol.handler(name, services, tls)));
    }

    /** http and https are served by the web side ({@link WebServer}), not by a {@link Protocol}. */
    public static boolean isWeb(ListenerName name) {
        return name == ListenerName.HTTP || name == ListenerName.HTTPS;
    }

    /** Starts the web listeners that are configured, with the mail ports' certificate. */
    private void startWeb() throws IOException {
        Config config = services.config();
        ListenAddress http = config.listener(ListenerName.HTTP);
        ListenAddress https = config.listener(ListenerName.HTTPS);
        if (http.isOff() && https.isOff()) {
            return;
        }
        Map<String, String> configured = new LinkedHashMap<>();
        for (ListenerName n : ListenerName.values()) {
            configured.put(n.word(), config.listener(n).toString());
        }
        WebServices ws = new WebServices(config.hostname(), services.clock(), services.store(), services.directory(),
                services.security(), services.authenticator(), services.twoStep(), services.delivery(), services.queue(),
                services.sessions(), tls, config.dataDir(), services.dkimKeys(), services.outboundDoorbell()::ring,
                config.defaultQuota(), config.requireAppPasswords(), config.maxConnectionsPerAccount(), configured, this::boundWords);
        web = WebServer.start(ws, http.isOff() ? null : http.socketAddress(), https.isOff() ? null : https.socketAddress());
    }

    private Map<String, InetSocketAddress> boundWords() {
        Map<String, InetSocketAddress> m = new LinkedHashMap<>();
        bound().forEach((n, a) -> m.put(n.word(), a));
        return m;
    }

    public Services services() {
        return services;
    }

    /** The delivery engine (outbound.enabled), or null when queued mail is held. */
    public DeliveryEngine outbound() {
        return outbound;
    }

    private void startOutbound() {
        Config c = services.config();
        if (!c.outboundEnabled()) {
            log.info("[outbound] outbound.enabled = no: queued mail stays in the queue");
            return;
        }
        ClientTls verified;
        try {
            verified = c.outboundCaFile() == null ? ClientTls.systemTrust() : ClientTls.systemTrustAnd(c.outboundCaFile());
        } catch (TlsConfigException e) {
            throw new CommandFailed("outbound.ca-file: " + e.getMessage());
        }
        OutboundSettings settings = OutboundSettings.defaults(c.hostname())
                .withPort(c.outboundPort())
                .withSourceAddress(c.outboundSourceAddress())
                .withRetries(c.duration("outbound.retry-for"), c.duration("outbound.delay-notice"), Duration.ofMinutes(5),
                        Duration.ofHours(4))
                .withLimits(50, c.connectionsPerDomain(), Duration.ofSeconds(5));
        // Notices for local senders go through local delivery, with room for the added trace fields.
        LocalDelivery delivery = new LocalDelivery(services.store(), services.directory(), services.clock(),
                c.maxMessageSize() + 2L * SmtpSettings.TRACE_ROOM);
        outbound = new DeliveryEngine(new OutboundServices(settings, services.queue(), services.store().blobs(),
                services.directory(), delivery, services.dns(), verified, services.mtaSts(), outboundWatchdog, services.clock()),
                services.outboundDoorbell()).start();
    }

    /** Where each started listener listens (the real port when 0 was asked for). */
    public Map<ListenerName, InetSocketAddress> bound() {
        Map<ListenerName, InetSocketAddress> m = new EnumMap<>(ListenerName.class);
        listeners.forEach((n, l) -> m.put(n, l.address()));
        WebServer w = web;
        if (w != null) {
            w.bound().forEach((word, a) -> m.put(ListenerName.valueOf(word.toUpperCase(java.util.Locale.ROOT)), a));
        }
        return m;
    }

    /** Configured listeners whose protocol this version does not have yet. */
    public List<ListenerName> notBuilt() {
        return List.copyOf(notBuilt);
    }

    /** Temporary files a crash left behind; young ones may belong to work in progress. */
    private void removeLeftovers() throws IOException {
        int n = services.store().blobs().cleanTemporaryFiles(LEFTOVER_AGE)
                + org.postern.store.BlobStore.removeOlderThan(services.spoolDir(), LEFTOVER_AGE);
        if (n > 0) {
            log.info("removed {} temporary files left by an earlier run", n);
        }
    }

    private void housekeep() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(Duration.ofMinutes(10));
                if (services.store() instanceof SqliteMailStore s) {
                    int n = s.collectGarbage(GARBAGE_GRACE);
                    if (n > 0) {
                        log.info("removed {} message files no message refers to any more", n);
                    }
                    long forgotten = s.pruneExpunged(services.config().expungeHistory());
                    if (forgotten > 0) {
                        log.info("forgot {} expunge records older than store.expunge-history allows", forgotten);
                    }
                }
                tls.reloadIfChanged();
                removeLeftovers();
                services.mtaSts().forgetExpired(services.clock().millis()); // RFC 8461 §5.1: expired policies no longer count
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                log.warn("housekeeping: {}", e.getMessage());
            }
        }
    }

    /**
     * Ends live sessions whose sign-in was revoked — an app password revoked, a device signed
     * out, a password changed, an account removed — also when another process (the command
     * line) did it: the revocations table is read every {@link #REVOCATION_POLL}.
     */
    private void watchRevocations() {
        long last;
        try {
            last = services.security().lastRevocationId();
        } catch (RuntimeException e) {
            log.warn("cannot read revocations: {}", e.getMessage());
            last = 0;
        }
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(REVOCATION_POLL);
                for (var r : services.security().revocationsAfter(last)) {
                    last = r.id();
                    int n = services.sessions().terminate(r.accountId(), r.credential(), r.client(), r.time());
                    if (n > 0) {
                        log.info("ended {} session(s) of account {} after a revocation ({})", n, r.accountId(),
                                r.credential() == null ? "all sign-ins" : r.credential());
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("revocations: {}", e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        revocations.interrupt();
        housekeeping.interrupt();
        if (web != null) {
            web.close();
        }
        for (Listener l : listeners.values()) {
            l.close();
        }
        listeners.clear();
        if (outbound != null) {
            outbound.close();
        }
        outboundWatchdog.close();
        services.close();
    }
}
