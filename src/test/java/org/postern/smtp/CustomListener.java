package org.postern.smtp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.postern.delivery.LocalDelivery;
import org.postern.net.ConnectionSettings;
import org.postern.net.LineReader;
import org.postern.net.Listener;
import org.postern.net.ListenerConfig;
import org.postern.net.TlsContext;
import org.postern.server.Services;
import org.postern.testing.TestServer;

/** An SMTP listener over a test server's store with settings a test chooses (small limits, short timeouts). */
final class CustomListener {
    private CustomListener() {}

    static Listener start(TestServer t, SmtpSettings.Role role, UnaryOperator<SmtpSettings> settings,
                          UnaryOperator<ListenerConfig> listener) throws Exception {
        return start(t, role, settings, listener, t.services().queue());
    }

    /** With another outbound queue (one that fails, to see the 451). */
    static Listener start(TestServer t, SmtpSettings.Role role, UnaryOperator<SmtpSettings> settings,
                          UnaryOperator<ListenerConfig> listener, org.postern.store.OutboundQueue queue) throws Exception {
        Services s = t.services();
        SmtpSettings base = SmtpSettings.defaults("localhost", role, s.config().maxMessageSize(), false, s.spoolDir());
        SmtpSettings chosen = settings.apply(base);
        LocalDelivery delivery = new LocalDelivery(s.store(), s.directory(), s.clock(), chosen.maxMessageSize() + SmtpSettings.TRACE_ROOM);
        TlsContext tls = TlsContext.load(t.dataDir.resolve("tls/fullchain.pem"), t.dataDir.resolve("tls/privkey.pem"));
        ListenerConfig lc = ListenerConfig.of(role == SmtpSettings.Role.MX ? "smtp" : "submission",
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withConnection(new ConnectionSettings(chosen.commandTimeout(), Duration.ofSeconds(10), Duration.ofSeconds(10),
                        s.config().maxLineLength(), LineReader.Mode.STRICT));
        return Listener.start(listener.apply(lc), tls,
                new SmtpHandler(new SmtpServices(s.store(), s.directory(), s.authenticator(), delivery, queue, chosen, s.clock(),
                        new org.postern.smtp.dmarc.InboundChecks("localhost", s.dns(), s.clock(),
                                org.postern.smtp.dmarc.InboundChecks.Mode.HONOUR),
                        new org.postern.smtp.dkim.DkimSigner(s.dkimKeys(), s.clock()), s.outboundDoorbell())));
    }
}
