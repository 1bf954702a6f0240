package org.postern.server;

import java.time.Duration;
import org.postern.imap.ImapHandler;
import org.postern.imap.ImapServices;
import org.postern.imap.ImapSettings;
import org.postern.net.ConnectionHandler;
import org.postern.net.ConnectionSettings;
import org.postern.net.LineReader;
import org.postern.net.TlsContext;

/** IMAP on the imap (STARTTLS) and imaps (TLS) listeners. */
final class ImapProtocol implements Protocol {
    @Override
    public ConnectionHandler handler(ListenerName listener, Services s, TlsContext tls) {
        Config c = s.config();
        ImapSettings settings = new ImapSettings(c.hostname(), c.maxMessageSize(), c.plaintextOnLoopback(),
                c.maxConnectionsPerAccount(), c.defaultQuota(), s.spoolDir(), ImapSettings.AUTOLOGOUT);
        return new ImapHandler(new ImapServices(s.store(), s.directory(), s.authenticator(), s.delivery(),
                s.sessions(), settings, s.clock()));
    }

    @Override
    public ConnectionSettings settings(Config config) {
        return new ConnectionSettings(ImapSettings.AUTOLOGOUT, Duration.ofSeconds(60), Duration.ofSeconds(30),
                config.maxLineLength(), LineReader.Mode.LENIENT);
    }
}
