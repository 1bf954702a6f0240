package org.postern.server;

import java.time.Duration;
import org.postern.delivery.LocalDelivery;
import org.postern.net.ConnectionHandler;
import org.postern.net.ConnectionSettings;
import org.postern.net.LineReader;
import org.postern.net.TlsContext;
import org.postern.smtp.SmtpHandler;
import org.postern.smtp.SmtpServices;
import org.postern.smtp.SmtpSettings;
import org.postern.smtp.dkim.DkimSigner;
import org.postern.smtp.dmarc.InboundChecks;

/** SMTP on smtp (the MX), submission (STARTTLS) and submissions (TLS). */
final class SmtpProtocol implements Protocol {
    @Override
    public ConnectionHandler handler(ListenerName listener, Services s, TlsContext tls) {
        Config c = s.config();
        SmtpSettings.Role role = listener == ListenerName.SMTP ? SmtpSettings.Role.MX : SmtpSettings.Role.SUBMISSION;
        SmtpSettings settings = SmtpSettings.defaults(c.hostname(), role, c.maxMessageSize(), c.plaintextOnLoopback(),
                s.spoolDir());
        // The store takes a little more than clients may send: the trace fields SMTP adds.
        LocalDelivery delivery = new LocalDelivery(s.store(), s.directory(), s.clock(),
                c.maxMessageSize() + SmtpSettings.TRACE_ROOM);
        InboundChecks checks = new InboundChecks(c.hostname(), s.dns(), s.clock(), InboundChecks.mode(c.dmarcPolicy()));
        return new SmtpHandler(new SmtpServices(s.store(), s.directory(), s.authenticator(), delivery, s.queue(),
                settings, s.clock(), checks, new DkimSigner(s.dkimKeys(), s.clock()), s.outboundDoorbell()));
    }

    @Override
    public ConnectionSettings settings(Config config) {
        // Strict line ends: only CR LF ends a command or a line of DATA (SMTP smuggling).
        return new ConnectionSettings(SmtpSettings.COMMAND_TIMEOUT, Duration.ofSeconds(60), Duration.ofSeconds(30),
                config.maxLineLength(), LineReader.Mode.STRICT);
    }
}
