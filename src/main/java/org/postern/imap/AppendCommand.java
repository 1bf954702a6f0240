package org.postern.imap;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.postern.delivery.LocalDelivery;
import org.postern.imap.AuthCommands.Done;
import org.postern.imap.parse.AppendMessage;
import org.postern.imap.parse.Command;
import org.postern.store.MailStore;
import org.postern.store.Mailbox;
import org.postern.store.StoreException;

/**
 * APPEND (RFC 9051 §6.3.12) with MULTIAPPEND (RFC 3502: all messages or none), APPENDUID
 * (RFC 4315 §3) and the size limit of APPENDLIMIT (RFC 7889). Each message is acknowledged only
 * once it is durably stored (DESIGN.md, Durability).
 */
final class AppendCommand {
    private AppendCommand() {}

    static Done append(Session s, Command.Append c) throws IOException {
        Mailbox target = s.services.store().mailbox(s.accountId(), Session.storeName(c.mailbox()))
                .orElseThrow(() -> ImapException.no("TRYCREATE", "Unknown Mailbox: " + c.mailbox().name() + " (Failure)"));
        long incoming = 0;
        for (AppendMessage m : c.messages()) {
            if (m.utf8() && !s.utf8Accept) {
                // RFC 6855 §4: the UTF8 data extension belongs to sessions that enabled UTF8=ACCEPT.
                throw ImapException.bad(null, "APPEND UTF8 (...) needs ENABLE UTF8=ACCEPT first");
            }
            if (m.content().size() == 0) {
                throw ImapException.no(null, "An empty message cannot be appended (Failure)");
            }
            if (m.content().containsNul() && !m.content().isBinary()) {
                throw ImapException.no(null, "The message contains NUL bytes; send it as literal8 (BINARY) (Failure)");
            }
            if (m.content().size() > s.services.settings().maxMessageSize()) {
                throw ImapException.no("TOOBIG", "The message is larger than the limit of "
                        + s.services.settings().maxMessageSize() + " bytes (Failure)");
            }
            incoming += m.content().size();
        }
        QuotaCommands.checkRoom(s, incoming);
        List<MailStore.Added> added = new ArrayList<>();
        try {
            for (AppendMessage m : c.messages()) {
                MessageCommands.FlagSet fs = MessageCommands.FlagSet.of(m.flags());
                long date = m.internalDate().map(d -> d.toInstant().toEpochMilli()).orElseGet(() -> s.services.clock().millis());
                try (InputStream in = m.content().open()) {
                    added.add(s.services.delivery().append(target.id(), in, fs.flags(), fs.keywords(), date));
                }
            }
        } catch (LocalDelivery.TooLarge e) {
            undo(s, target, added);
            throw ImapException.no("TOOBIG", "The message is too large (Failure)");
        } catch (IOException e) {
            // The literal is already here (memory or spool file): this is the disk that failed
            // (full, read-only), not the connection, so the client hears "try later" and stays.
            undo(s, target, added);
            throw StoreException.temporary("cannot store an appended message: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            undo(s, target, added);
            throw e;
        }
        long[] uids = added.stream().mapToLong(MailStore.Added::uid).toArray();
        return new Done("APPENDUID " + added.getFirst().uidValidity() + " " + UidSets.format(uids), "APPEND completed (Success)");
    }

    /** RFC 3502 §6.3.11: when one message of a MULTIAPPEND fails, none is kept. */
    private static void undo(Session s, Mailbox target, List<MailStore.Added> added) {
        if (!added.isEmpty()) {
            try {
                s.services.store().expunge(target.id(), added.stream().mapToLong(MailStore.Added::uid).toArray());
            } catch (StoreException ignored) {
                // the failure being reported is the one that matters
            }
        }
    }
}
