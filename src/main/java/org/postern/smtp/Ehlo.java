package org.postern.smtp;

import java.util.ArrayList;
import java.util.List;

/**
 * The EHLO reply: only what works (RFC 5321 §4.1.1.1). REQUIRETLS only over TLS (RFC 8689);
 * AUTH only on submission once a password may be sent (RFC 4954 §4, RFC 3207 §4.2).
 */
final class Ehlo {
    private Ehlo() {}

    static Reply reply(Session s) {
        String host = s.settings.hostname();
        List<String> lines = new ArrayList<>();
        lines.add(host + " at your service, [" + s.connection.remoteAddress().getAddress().getHostAddress() + "]");
        lines.add("SIZE " + s.settings.maxMessageSize());  // RFC 1870
        lines.add("8BITMIME");                                // RFC 6152
        if (s.connection.canStartTls()) {
            lines.add("STARTTLS");                            // RFC 3207
        }
        if (s.submission() && s.passwordsAllowed()) {
            lines.add("AUTH " + String.join(" ", org.postern.auth.Sasl.MECHANISMS)); // RFC 4954, RFC 7628
        }
        lines.add("ENHANCEDSTATUSCODES");                     // RFC 2034
        lines.add("PIPELINING");                              // RFC 2920
        lines.add("CHUNKING");                                // RFC 3030
        lines.add("BINARYMIME");                              // RFC 3030
        lines.add("SMTPUTF8");                                // RFC 6531
        lines.add("DSN");                                     // RFC 3461
        if (s.connection.isTls()) {
            lines.add("REQUIRETLS");                          // RFC 8689: only once TLS is up
        }
        return new Reply(250, null, lines);
    }

    static Reply helo(Session s) {
        return Reply.of(250, null, s.settings.hostname() + " at your service");
    }
}
