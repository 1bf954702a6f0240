package org.postern.pop3;

import java.io.IOException;
import java.util.OptionalLong;
import org.postern.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * STAT, LIST, UIDL, DELE, RSET, NOOP (RFC 1939 §5, §7) and QUIT in the TRANSACTION state, which
 * is the UPDATE state of §6: only there does anything a session did reach the store.
 */
final class MaildropCommands {
    private static final Logger log = LoggerFactory.getLogger(MaildropCommands.class);

    private MaildropCommands() {}

    static void stat(Pop3Session s) throws IOException {
        long[] cs = s.maildrop().countAndSize();
        s.out.ok(cs[0] + " " + cs[1]);
    }

    static void list(Pop3Session s, OptionalLong message) throws IOException {
        Maildrop m = s.maildrop();
        if (message.isPresent()) {
            int i = m.index(message.getAsLong());
            s.out.ok((i + 1) + " " + m.size(i));
            return;
        }
        long[] cs = m.countAndSize();
        s.out.ok(cs[0] + " messages (" + cs[1] + " octets)");
        for (int i = 0; i < m.size(); i++) {
            if (m.listed(i)) {
                s.out.line((i + 1) + " " + m.size(i));
            }
        }
        s.out.end();
    }

    static void uidl(Pop3Session s, OptionalLong message) throws IOException {
        Maildrop m = s.maildrop();
        if (message.isPresent()) {
            int i = m.index(message.getAsLong());
            s.out.ok((i + 1) + " " + m.uniqueId(i));
            return;
        }
        s.out.ok("unique-id listing follows");
        for (int i = 0; i < m.size(); i++) {
            if (m.listed(i)) {
                s.out.line((i + 1) + " " + m.uniqueId(i));
            }
        }
        s.out.end();
    }

    static void dele(Pop3Session s, long message) throws IOException {
        Maildrop m = s.maildrop();
        int i = m.index(message);
        m.delete(i);
        s.out.ok("message " + message + " deleted");
    }

    static void rset(Pop3Session s) throws IOException {
        Maildrop m = s.maildrop();
        m.undeleteAll();
        long[] cs = m.countAndSize();
        s.out.ok("maildrop has " + cs[0] + " messages (" + cs[1] + " octets)");
    }

    /**
     * RFC 1939 §6: the UPDATE state. Messages retrieved or deleted in this session are committed
     * in one transaction — remembered as downloaded, then kept, marked read, archived or moved
     * to Trash as the account's setting says. On failure nothing changed and the client hears
     * {@code -ERR [SYS/TEMP]}; either way the connection then closes.
     */
    static void update(Pop3Session s) throws IOException {
        long[] uids = s.maildrop().accessedUids();
        if (uids.length > 0) {
            try {
                long[] handled = s.services.store().popUpdate(s.maildrop().mailboxId(), uids, s.popSettings().after());
                log.info("[pop3] {} {}: {} messages downloaded, then {}", s.connection.name(), s.account().email(),
                        handled.length, s.popSettings().after().word());
            } catch (StoreException e) {
                log.warn("[pop3] {} QUIT of {}: {}", s.connection.name(), s.account().email(), e.getMessage());
                throw Pop3Exception.err(Pop3Exception.Code.SYS_TEMP, Responses.UPDATE_FAILED).closing();
            }
        }
        s.out.ok(Responses.SIGNING_OFF);
    }
}
