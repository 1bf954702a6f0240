package org.postern.imap;

import java.io.IOException;
import java.util.List;
import java.util.TreeSet;
import org.postern.imap.AuthCommands.Done;
import org.postern.imap.parse.Command;
import org.postern.store.Flags;
import org.postern.store.Mailbox;

/** SELECT, EXAMINE, CLOSE, UNSELECT (RFC 9051 §6.3.2, §6.3.3, §6.4.1, §6.4.2). */
final class SelectCommands {
    private SelectCommands() {}

    static Done select(Session s, Command.Select c) throws IOException {
        boolean wasSelected = s.selected().isPresent();
        Mailbox mailbox;
        try {
            mailbox = s.mailbox(c.mailbox());
        } catch (ImapException e) {
            // RFC 9051 §6.3.2: a failed SELECT leaves no mailbox selected.
            s.deselect();
            throw e;
        }
        if (wasSelected) {
            // RFC 7162 §3.2.11 / RFC 9051 §7.1: the previous mailbox is closed.
            s.out.untagged("OK [CLOSED] Previous mailbox closed.");
        }
        SelectedMailbox v = s.select(mailbox, c.readOnly());
        announceFlags(s, v);
        s.out.untagged(v.exists() + " EXISTS");
        s.out.untagged("0 RECENT");
        int firstUnseen = firstUnseen(v);
        if (firstUnseen > 0) {
            s.out.untagged("OK [UNSEEN " + firstUnseen + "] First unseen.");
        }
        s.out.untagged("OK [UIDVALIDITY " + v.uidValidity + "] UIDs valid.");
        s.out.untagged("OK [UIDNEXT " + v.uidNext() + "] Predicted next UID.");
        s.out.untagged("OK [MAILBOXID (" + ObjectIds.mailboxId(v.uidValidity) + ")] Ok"); // RFC 8474 §4.2
        return new Done(c.readOnly() ? "READ-ONLY" : "READ-WRITE",
                (c.readOnly() ? "EXAMINE" : "SELECT") + " completed (Success)");
    }

    /** FLAGS and PERMANENTFLAGS: the flags in use, and what the client may set (RFC 9051 §7.1, §7.3.5). */
    static void announceFlags(Session s, SelectedMailbox v) throws IOException {
        for (String line : flagLines(v)) {
            s.out.untagged(line);
        }
    }

    /** The FLAGS and PERMANENTFLAGS lines, sent at SELECT and again whenever a keyword appears. */
    static List<String> flagLines(SelectedMailbox v) {
        // \* says clients may create keywords; a read-only mailbox allows no change at all.
        TreeSet<String> permanent = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        permanent.addAll(v.keywordsInUse());
        permanent.add("\\*");
        return List.of("FLAGS " + Responses.flagList(Flags.ALL, v.keywordsInUse()),
                "OK [PERMANENTFLAGS " + (v.readOnly ? "()" : Responses.flagList(Flags.ALL, permanent)) + "] Flags permitted.");
    }

    private static int firstUnseen(SelectedMailbox v) {
        for (int seq = 1; seq <= v.exists(); seq++) {
            if ((v.flags(seq) & Flags.SEEN) == 0) {
                return seq;
            }
        }
        return 0;
    }

    /** CLOSE: expunges \Deleted messages silently (unless read-only), then deselects. */
    static Done close(Session s) {
        SelectedMailbox v = s.requireSelected();
        if (!v.readOnly) {
            long[] deleted = MessageCommands.deletedUids(v, null);
            if (deleted.length > 0) {
                s.services.store().expunge(v.mailboxId, deleted);
            }
        }
        s.deselect();
        return new Done(null, "CLOSE completed (Success)");
    }

    static Done unselect(Session s) {
        s.requireSelected();
        s.deselect();
        return new Done(null, "UNSELECT completed (Success)");
    }
}
