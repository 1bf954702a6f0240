package org.postern.pop3;

import java.util.ArrayList;
import java.util.List;
import org.postern.auth.Sasl;

/**
 * The CAPA list (RFC 2449 §5): only what works on this connection now. Before TLS on the STLS
 * port, USER and SASL are left out unless plain text is allowed there, as IMAP's LOGINDISABLED
 * does; STLS only while it can still be used; after login only what TRANSACTION offers.
 */
final class Capabilities {
    private Capabilities() {}

    static List<String> list(Pop3Session s) {
        List<String> caps = new ArrayList<>();
        caps.add("TOP"); // RFC 2449 §6.1
        caps.add("UIDL"); // §6.4
        caps.add("RESP-CODES"); // §6.5
        caps.add("AUTH-RESP-CODE"); // RFC 3206 §3
        caps.add("PIPELINING"); // §6.6
        if (s.state() == Pop3Session.State.AUTHORIZATION) {
            if (s.connection.canStartTls()) {
                caps.add("STLS"); // RFC 2595 §4
            }
            if (AuthCommands.loginAllowed(s)) {
                caps.add("USER"); // §6.2
                caps.add("SASL " + String.join(" ", Sasl.MECHANISMS)); // §6.3, RFC 5034
            }
        }
        caps.add("IMPLEMENTATION Postern"); // §6.9
        return caps;
    }
}
