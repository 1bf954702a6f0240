package org.postern.imap;

import java.util.ArrayList;
import java.util.List;
import org.postern.auth.Sasl;

/**
 * What CAPABILITY advertises: only what works (a half-done extension stays out of this list).
 * Before TLS on the STARTTLS port, LOGINDISABLED and no AUTH= mechanisms (RFC 9051 §6.2.3),
 * unless plain text is allowed for this connection.
 */
final class Capabilities {
    private Capabilities() {}

    /** Extensions that hold in every state, in the order listed. */
    static final List<String> EXTENSIONS = List.of(
            "IMAP4rev1", "LITERAL+", "SASL-IR", "ID", "ENABLE", "IDLE", "NAMESPACE", "UNSELECT", "UIDPLUS",
            "MOVE", "CHILDREN", "SPECIAL-USE", "CREATE-SPECIAL-USE", "MULTIAPPEND", "STATUS=SIZE",
            "LIST-EXTENDED", "LIST-STATUS");

    /** Extensions on searching, sorting, quotas and message data (RFC 5256, 5267, 5957, ...). */
    static final List<String> MESSAGE_EXTENSIONS = List.of("SORT", "SORT=DISPLAY", "ESORT",
            "THREAD=ORDEREDSUBJECT", "THREAD=REFERENCES", "QUOTA", "QUOTA=RES-STORAGE",
            "WITHIN", "SAVEDATE", "OBJECTID", "BINARY", "COMPRESS=DEFLATE");

    static String list(Session s, boolean loginAllowed) {
        List<String> caps = new ArrayList<>(EXTENSIONS);
        caps.addAll(MESSAGE_EXTENSIONS);
        caps.add("APPENDLIMIT=" + s.services.settings().maxMessageSize());
        if (s.state() == Session.State.NOT_AUTHENTICATED) {
            if (s.connection.canStartTls()) {
                caps.add("STARTTLS");
            }
            if (loginAllowed) {
                for (String m : Sasl.MECHANISMS) {
                    caps.add("AUTH=" + m);
                }
            } else {
                caps.add("LOGINDISABLED");
            }
        }
        return String.join(" ", caps);
    }
}
