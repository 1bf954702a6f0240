package org.postern.server;

import java.time.Duration;
import org.postern.net.ConnectionHandler;
import org.postern.net.ConnectionSettings;
import org.postern.net.LineReader;
import org.postern.net.TlsContext;
import org.postern.pop3.Pop3Handler;
import org.postern.pop3.Pop3Services;
import org.postern.pop3.Pop3Settings;

/** POP3 on the pop3 (STLS) and pop3s (TLS) listeners. */
final class Pop3Protocol implements Protocol {
    @Override
    public ConnectionHandler handler(ListenerName listener, Services s, TlsContext tls) {
        Config c = s.config();
        Pop3Settings settings = new Pop3Settings(c.hostname(), c.plaintextOnLoopback(), c.maxConnectionsPerAccount(),
                Pop3Settings.AUTOLOGOUT, Pop3Settings.RECENT_WINDOW);
        return new Pop3Handler(new Pop3Services(s.store(), s.directory(), s.authenticator(), s.sessions(), settings, s.clock()));
    }

    @Override
    public ConnectionSettings settings(Config config) {
        return new ConnectionSettings(Pop3Settings.AUTOLOGOUT, Duration.ofSeconds(60), Duration.ofSeconds(30),
                config.maxLineLength(), LineReader.Mode.LENIENT);
    }
}
