package org.postern.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.postern.auth.Authenticator;
import org.postern.auth.LiveSessions;
import org.postern.auth.TwoStepVerification;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.postern.delivery.LocalDelivery;
import org.postern.dns.Dns;
import org.postern.dns.DnsJavaResolver;
import org.postern.smtp.dkim.DkimKeys;
import org.postern.smtp.outbound.Doorbell;
import org.postern.store.BlobStore;
import org.postern.store.Directory;
import org.postern.store.MailStore;
import org.postern.store.MtaStsCache;
import org.postern.store.OutboundQueue;
import org.postern.store.Security;
import org.postern.store.sqlite.Database;
import org.postern.store.sqlite.SqliteDirectory;
import org.postern.store.sqlite.SqliteMailStore;
import org.postern.store.sqlite.SqliteMtaStsCache;
import org.postern.store.sqlite.SqliteQueue;
import org.postern.store.sqlite.SqliteSecurity;

/**
 * Everything a running Postern (or one command) works with, passed to constructors instead of
 * singletons, so one JVM can run two independent servers in a test (STYLE.md 9).
 */
public record Services(
        Config config,
        Clock clock,
        MailStore store,
        Directory directory,
        Security security,
        Authenticator authenticator,
        TwoStepVerification twoStep,
        LocalDelivery delivery,
        LiveSessions sessions,
        Path spoolDir,
        OutboundQueue queue,
        MtaStsCache mtaSts,
        Dns dns,
        DkimKeys dkimKeys,
        Doorbell outboundDoorbell) implements AutoCloseable {

    /** Opens the store of a configured data folder. */
    public static Services open(Config config, Clock clock) {
        if (!Files.isDirectory(config.dataDir())) {
            throw new CommandFailed(config.dataDir() + " does not exist; make it with: postern init --data " + config.dataDir());
        }
        Database db = Database.open(config.database());
        BlobStore blobs = new BlobStore(config.blobs());
        SqliteMailStore store = new SqliteMailStore(db, blobs, clock);
        SqliteDirectory directory = new SqliteDirectory(db, store, clock);
        SqliteSecurity security = new SqliteSecurity(db, clock);
        SqliteQueue queue = new SqliteQueue(db, blobs, clock);
        LocalDelivery delivery = new LocalDelivery(store, directory, clock, config.maxMessageSize(), queue);
        Authenticator auth = new Authenticator(directory, security, clock, config.requireAppPasswords(),
                config.signInNotices() ? new SignInNotice(delivery, config.hostname()) : null);
        TwoStepVerification twoStep = new TwoStepVerification(security, clock, "Postern (" + config.hostname() + ")");
        return new Services(config, clock, store, directory, security, auth, twoStep, delivery, new LiveSessions(clock),
                config.dataDir().resolve("spool"), queue, new SqliteMtaStsCache(db), dns(config),
                new DkimKeys(config.dkimDir(), config.dkimSelector()), new Doorbell());
    }

    /** The resolvers of {@code dns.resolvers}, asked twice each with {@code dns.timeout}. */
    static Dns dns(Config config) {
        List<InetSocketAddress> servers = new ArrayList<>();
        for (String s : config.dnsResolvers()) {
            try {
                servers.add(DnsJavaResolver.parseServer(s));
            } catch (java.io.IOException e) {
                throw new CommandFailed("dns.resolvers: " + s + ": " + e.getMessage());
            }
        }
        return DnsJavaResolver.of(servers, config.duration("dns.timeout"), 1);
    }

    @Override
    public void close() {
        store.close();
    }
}
