package org.postern.imap;

import java.util.ArrayList;
import java.util.List;
import org.postern.auth.Sasl;
import org.postern.imap.parse.ReaderLimits;

/**
 * What CAPABILITY advertises: only what works (a half-done extension stays out of this list).
 * Before TLS on the STARTTLS port, LOGINDISABLED and no AUTH= mechanisms (RFC 9051 §6.2.3),
 * unless plain text is allowed for this connection.
 */
final class Capabilities {
    private Capabilities() {}

    /** RFC 7888 §5: under LITERAL-, non-synchronizing literals are at most 4096 octets. */
    static final long LITERAL_MINUS_MAX = 4096;

    /**
     * Extensions that hold in every state, in the order listed; the literal extension, which
     * depends on the state, comes right after IMAP4rev2 (see {@link #literal}). IMAP4rev2
     * (RFC 9051) holds: every extension it folds in is listed, and ENABLE IMAP4rev2 applies what
     * Appendix E changed.
     */
    static final List<String> EXTENSIONS = List.of(
            "IMAP4rev1", "IMAP4rev2", "SASL-IR", "ID", "ENABLE", "IDLE", "NAMESPACE", "UNSELECT", "UIDPLUS",
            "MOVE", "CHILDREN", "SPECIAL-USE", "CREATE-SPECIAL-USE", "MULTIAPPEND", "STATUS=SIZE",
            "LIST-EXTENDED", "LIST-STATUS",
            "CONDSTORE", "QRESYNC", "ESEARCH", "SEARCHRES", "PARTIAL", "UTF8=ACCEPT");

    /** Extensions on searching, sorting, quotas and message data (RFC 5256, 5267, 5957, ...). */
    static final List<String> MESSAGE_EXTENSIONS = List.of("SORT", "SORT=DISPLAY", "ESORT",
            "THREAD=ORDEREDSUBJECT", "THREAD=REFERENCES", "QUOTA", "QUOTA=RES-STORAGE",
            "WITHIN", "SAVEDATE", "OBJECTID", "BINARY", "COMPRESS=DEFLATE");

    static String list(Session s, boolean loginAllowed) {
        List<String> caps = new ArrayList<>(EXTENSIONS);
        caps.add(2, literal(s.state()));
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

    /**
     * RFC 7888 §5: a server MUST NOT advertise LITERAL+ and LITERAL- at once. Before login a
     * stranger gets LITERAL- (RFC 9051 §4.3's default too), so a non-synchronizing literal it
     * sends is never more than 4096 octets that the server must read; after login, LITERAL+.
     * {@link #readerLimits} keeps the reader to the same promise.
     */
    static String literal(Session.State state) {
        return state == Session.State.NOT_AUTHENTICATED ? "LITERAL-" : "LITERAL+";
    }

    /**
     * The reader's limits for a state. Before login: commands (and their literals) up to
     * {@code maxCommandBytes}, no messages, LITERAL-: a larger non-synchronizing literal gets
     * {@code BAD [TOOBIG]} and is read and thrown away up to {@code maxCommandBytes}, beyond which
     * the connection is closed (the two ways of RFC 7888 §4 that §5 points to), so nothing a
     * stranger sends is held. After login: messages up to {@code maxMessageSize}, LITERAL+.
     */
    static ReaderLimits readerLimits(Session.State state, long maxCommandBytes, long maxMessageSize) {
        ReaderLimits common = ReaderLimits.DEFAULT.withMaxCommandBytes(maxCommandBytes);
        if (state == Session.State.NOT_AUTHENTICATED) {
            return common.withMaxMessageBytes(maxCommandBytes).withMaxNonSyncLiteral(LITERAL_MINUS_MAX)
                    .withMaxDiscardBytes(maxCommandBytes);
        }
        return common.withMaxMessageBytes(maxMessageSize);
    }
}
