package org.postern.web;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;
import org.postern.auth.Authenticator;
import org.postern.auth.LiveSessions;
import org.postern.auth.TwoStepVerification;
import org.postern.delivery.LocalDelivery;
import org.postern.net.TlsContext;
import org.postern.smtp.dkim.DkimKeys;
import org.postern.store.Directory;
import org.postern.store.MailStore;
import org.postern.store.OutboundQueue;
import org.postern.store.Security;

/**
 * Everything the web side works with (STYLE.md 9: a context, not singletons).
 *
 * @param hostname              the server's name: in links, client settings and autoconfiguration
 * @param dataDir               the data folder (disk space on the health page)
 * @param dkim                  the DKIM keys of the domains (the records to publish)
 * @param queueChanged          tells the delivery engine that the outbound queue has new work
 * @param defaultQuota          storage per account unless set per account (0: none)
 * @param requireAppPasswords   {@code auth.require-app-passwords}
 * @param connectionsPerAccount {@code limits.connections-per-account}
 * @param configured            each listener's word and its configured address ({@code *:993}, {@code off})
 * @param listening             each started listener's word and where it listens now
 */
public record WebServices(
        String hostname,
        Clock clock,
        MailStore store,
        Directory directory,
        Security security,
        Authenticator authenticator,
        TwoStepVerification twoStep,
        LocalDelivery delivery,
        OutboundQueue queue,
        LiveSessions sessions,
        TlsContext tls,
        Path dataDir,
        DkimKeys dkim,
        Runnable queueChanged,
        long defaultQuota,
        boolean requireAppPasswords,
        int connectionsPerAccount,
        Map<String, String> configured,
        Supplier<Map<String, InetSocketAddress>> listening) {}
