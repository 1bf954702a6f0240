package org.postern.imap;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postern.imap.AuthCommands.Done;
import org.postern.imap.parse.Command;
import org.postern.imap.parse.MailboxName;
import org.postern.imap.parse.StatusItem;
import org.postern.store.MailStore;
import org.postern.store.Mailbox;
import org.postern.store.SpecialUse;
import org.postern.store.StoreException;

/** CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE, NAMESPACE, STATUS (RFC 9051 §6.3). */
final class MailboxCommands {
    private MailboxCommands() {}

    /** Longest mailbox name accepted, in characters, and deepest hierarchy. */
    static final int MAX_NAME_LENGTH = 1000;
    static final int MAX_DEPTH = 64;

    /**
     * RFC 9051 §6.3.4: a trailing separator only says the name will have children; missing
     * parents are created too ("SHOULD create any superior hierarchical names").
     */
    static Done create(Session s, Command.Create c) {
        String name = validNewName(c.mailbox());
        if (name.equals(Mailbox.INBOX)) {
            throw ImapException.no("ALREADYEXISTS", "INBOX always exists (Failure)");
        }
        SpecialUse use = null;
        if (c.specialUse().size() > 1) {
            throw ImapException.no("USEATTR", "A mailbox can have only one special use (Failure)");
        }
        if (!c.specialUse().isEmpty()) {
            use = SpecialUse.fromAttribute(c.specialUse().getFirst())
                    .orElseThrow(() -> ImapException.no("USEATTR", "Unknown special use " + c.specialUse().getFirst() + " (Failure)"));
        }
        if (s.services.store().mailbox(s.accountId(), name).isPresent()) {
            throw ImapException.no("ALREADYEXISTS", "Mailbox already exists (Failure)");
        }
        createParents(s, name);
        Mailbox created = s.services.store().createMailbox(s.accountId(), name, use);
        // RFC 8474 §4.1
        return new Done("MAILBOXID (" + ObjectIds.mailboxId(created.uidValidity()) + ")", "CREATE completed (Success)");
    }

    private static void createParents(Session s, String name) {
        int slash = -1;
        while ((slash = name.indexOf(Mailbox.SEPARATOR, slash + 1)) > 0) {
            String parent = name.substring(0, slash);
            if (s.services.store().mailbox(s.accountId(), parent).isEmpty()) {
                try {
                    s.services.store().createMailbox(s.accountId(), parent, null);
                } catch (StoreException e) {
                    if (e.kind() != StoreException.Kind.EXISTS) {
                        throw e;
                    }
                }
            }
        }
    }

    /** The store name for a new mailbox, or NO saying what is wrong with it. */
    static String validNewName(MailboxName wire) {
        if (!wire.valid()) {
            // RFC 5530 §3: CANNOT, "the operation violates some invariant of the server"
            throw ImapException.no("CANNOT", wire.problemText() + " (Failure)");
        }
        String name = Session.storeName(wire);
        while (name.endsWith("/")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.isEmpty()) {
            throw ImapException.no("CANNOT", "A mailbox needs a name (Failure)");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw ImapException.no("CANNOT", "Mailbox name too long (Failure)");
        }
        if (name.startsWith("/") || name.contains("//")) {
            throw ImapException.no("CANNOT", "Mailbox name has an empty level (Failure)");
        }
        if (name.indexOf('*') >= 0 || name.indexOf('%') >= 0) {
            throw ImapException.no("CANNOT", "Mailbox names cannot contain * or % (Failure)");
        }
        if (name.chars().filter(ch -> ch == Mailbox.SEPARATOR).count() >= MAX_DEPTH) {
            throw ImapException.no("CANNOT", "Mailbox hierarchy too deep (Failure)");
        }
        return name;
    }

    static Done delete(Session s, Command.Delete c) {
        String name = Session.storeName(c.mailbox());
        if (name.equals(Mailbox.INBOX)) {
            throw ImapException.no("CANNOT", "INBOX cannot be deleted (Failure)");
        }
        Mailbox m = s.mailbox(c.mailbox());
        if (s.selected().map(v -> v.mailboxId == m.id()).orElse(false)) {
            s.deselect();
        }
        s.services.store().deleteMailbox(s.accountId(), name);
        return new Done(null, "DELETE completed (Success)");
    }

    static Done rename(Session s, Command.Rename c) {
        Mailbox from = s.mailbox(c.from());
        String to = validNewName(c.to());
        if (to.equals(Mailbox.INBOX) || s.services.store().mailbox(s.accountId(), to).isPresent()) {
            throw ImapException.no("ALREADYEXISTS", "Mailbox already exists (Failure)");
        }
        // A selected mailbox stays selected under its new name (RFC 2180 §3.4): it is the same
        // mailbox, and the client's state only changes by SELECT, EXAMINE, CLOSE or UNSELECT.
        createParents(s, to);
        s.services.store().renameMailbox(s.accountId(), from.name(), to);
        return new Done(null, "RENAME completed (Success)");
    }

    /**
     * RFC 9051 §6.3.7, §6.3.8: subscriptions are names, not mailboxes. A name with no mailbox may
     * be subscribed (the server MAY check, Postern does not, as Dovecot and James do not), and a
     * subscription stays when its mailbox is deleted. SUBSCRIBE of a subscribed name and
     * UNSUBSCRIBE of one that is not subscribed are OK. The name must be one CREATE would accept.
     */
    static Done subscribe(Session s, MailboxName name, boolean on) {
        s.services.store().setSubscribed(s.accountId(), validNewName(name), on);
        return new Done(null, (on ? "SUBSCRIBE" : "UNSUBSCRIBE") + " completed (Success)");
    }

    /** RFC 2342: one personal namespace, no prefix, "/" as the separator; no others. */
    static Done namespace(Session s) throws IOException {
        s.out.untagged("NAMESPACE ((\"\" \"/\")) NIL NIL");
        return new Done(null, "NAMESPACE completed (Success)");
    }

    static Done status(Session s, Command.Status c) throws IOException {
        Mailbox m = s.mailbox(c.mailbox());
        if (c.items().contains(StatusItem.HIGHESTMODSEQ)) {
            CondStore.enable(s); // RFC 7162 §3.1: STATUS (HIGHESTMODSEQ) is an enabling command
        }
        s.out.untagged("STATUS " + s.wireName(m.name()) + " " + statusItems(s, m, c.items()));
        return new Done(null, "STATUS completed (Success)");
    }

    /**
     * RFC 3501 §6.3.10 RECENT: the messages no session has claimed yet, and those that are
     * \Recent in this session when it has the mailbox selected (§2.3.2).
     */
    private static long recent(Session s, Mailbox m) {
        long mine = s.selected().filter(v -> v.mailboxId == m.id()).map(v -> (long) v.recentCount()).orElse(0L);
        return s.services.store().unclaimedRecent(m.id()).count() + mine;
    }

    /** The parenthesised STATUS data (also used by LIST-STATUS). */
    static String statusItems(Session s, Mailbox m, List<StatusItem> items) {
        Optional<MailStore.Counts> counts = Optional.empty();
        List<String> parts = new ArrayList<>();
        for (StatusItem item : items) {
            if (counts.isEmpty() && (item == StatusItem.MESSAGES || item == StatusItem.UNSEEN
                    || item == StatusItem.DELETED || item == StatusItem.SIZE)) {
                counts = Optional.of(s.services.store().counts(m.id()));
            }
            String value = switch (item) {
                case MESSAGES -> Long.toString(counts.orElseThrow().messages());
                case UIDNEXT -> Long.toString(m.uidNext());
                case UIDVALIDITY -> Long.toString(m.uidValidity());
                case UNSEEN -> Long.toString(counts.orElseThrow().unseen());
                case DELETED -> Long.toString(counts.orElseThrow().deleted());
                case SIZE -> Long.toString(counts.orElseThrow().size());
                case RECENT -> {
                    if (!s.showsRecent()) {
                        throw ImapException.bad(null, "STATUS RECENT is not part of IMAP4rev2 (RFC 9051 Appendix E)");
                    }
                    yield Long.toString(recent(s, m));
                }
                case APPENDLIMIT -> Long.toString(s.services.settings().maxMessageSize());
                case HIGHESTMODSEQ -> Long.toString(m.highestModSeq());
                case MAILBOXID -> "(" + ObjectIds.mailboxId(m.uidValidity()) + ")";
                case DELETED_STORAGE -> Long.toString(s.services.store().reclaimableBytes(m.id())); // RFC 9208 §4.2.2
            };
            parts.add(item.wireName() + " " + value);
        }
        return "(" + String.join(" ", parts) + ")";
    }
}
