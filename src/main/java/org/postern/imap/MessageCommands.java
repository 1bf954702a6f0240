package org.postern.imap;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.postern.imap.AuthCommands.Done;
import org.postern.imap.parse.Command;
import org.postern.imap.parse.MailboxName;
import org.postern.imap.parse.SequenceSet;
import org.postern.store.Flags;
import org.postern.store.MailStore;
import org.postern.store.Mailbox;
import org.postern.store.MailboxChange;

/** STORE, COPY, MOVE, EXPUNGE and their UID forms (RFC 9051 §6.4). */
final class MessageCommands {
    private MessageCommands() {}

    /** Flags and keywords from a flag list: system flags as bits, the rest as keywords. */
    record FlagSet(int flags, Set<String> keywords) {
        static FlagSet of(List<String> names) {
            int bits = 0;
            TreeSet<String> kw = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
            for (String n : names) {
                int bit = Flags.bit(n);
                if (bit != 0) {
                    bits |= bit;
                } else if (n.startsWith("\\")) {
                    if (!n.equalsIgnoreCase("\\Recent")) {
                        throw ImapException.bad(null, "Unknown system flag " + n);
                    }
                    // \Recent cannot be set by a client (RFC 3501 §2.3.2); ignored
                } else {
                    kw.add(n);
                }
            }
            return new FlagSet(bits, kw);
        }
    }

    static Done store(Session s, Command.Store c) throws IOException {
        SelectedMailbox v = s.requireSelected();
        if (v.readOnly) {
            throw ImapException.no("READ-ONLY", "The mailbox is read-only (EXAMINE) (Failure)");
        }
        long[] uids = s.resolve(c.set(), c.uid());
        FlagSet fs = FlagSet.of(c.flags());
        MailStore.FlagOp op = switch (c.op()) {
            case ADD -> MailStore.FlagOp.ADD;
            case REMOVE -> MailStore.FlagOp.REMOVE;
            case REPLACE -> MailStore.FlagOp.SET;
        };
        MailStore.FlagResult r = uids.length == 0 ? new MailStore.FlagResult(List.of(), new long[0])
                : s.services.store().setFlags(v.mailboxId, uids, op, fs.flags(), fs.keywords(), c.unchangedSince().orElse(-1));
        boolean newKeywords = !v.keywordsInUse().containsAll(fs.keywords());
        for (MailboxChange.FlagsChanged f : r.changed()) {
            v.updated(f.uid(), f.flags(), f.keywords(), f.modSeq());
        }
        if (newKeywords && !r.changed().isEmpty()) {
            // RFC 9051 §7.3.5: the set of flags of the mailbox grew; say so before using them.
            SelectCommands.announceFlags(s, v);
        }
        if (!c.silent()) {
            // RFC 9051 §6.4.6: the FETCH responses show the flags as they now are, also for
            // messages that already had them.
            for (long uid : uids) {
                int seq = v.seq(uid);
                if (seq > 0) {
                    s.out.untagged(seq + " FETCH (" + (c.uid() ? "UID " + uid + " " : "")
                            + "FLAGS " + Responses.flagList(v.flags(seq), v.keywords(seq)) + ")");
                }
            }
        }
        return new Done(null, (c.uid() ? "UID STORE" : "STORE") + " completed (Success)");
    }

    /** COPY and MOVE: COPYUID (RFC 4315), and for MOVE the expunges (RFC 6851 §4.3). */
    static Done copy(Session s, SequenceSet set, boolean uid, MailboxName destination, boolean move) throws IOException {
        SelectedMailbox v = s.requireSelected();
        if (move && v.readOnly) {
            throw ImapException.no("READ-ONLY", "The mailbox is read-only (EXAMINE) (Failure)");
        }
        long[] uids = s.resolve(set, uid);
        Mailbox target = s.services.store().mailbox(s.accountId(), Session.storeName(destination))
                .orElseThrow(() -> ImapException.no("TRYCREATE", "Unknown Mailbox: " + destination.name() + " (Failure)"));
        String verb = (uid ? "UID " : "") + (move ? "MOVE" : "COPY");
        if (uids.length == 0) {
            return new Done(null, verb + " completed; no messages (Success)");
        }
        if (!move) {
            // A copy shares the stored message and adds no storage: refused only once the account
            // is over its limit. MOVE never grows the account, and is how clients delete mail.
            QuotaCommands.checkRoom(s, 0);
        }
        MailStore.CopyResult r = move
                ? s.services.store().move(v.mailboxId, uids, target.id())
                : s.services.store().copy(v.mailboxId, uids, target.id());
        String copyUid = r.sourceUids().length == 0 ? null
                : "COPYUID " + r.uidValidity() + " " + UidSets.format(r.sourceUids()) + " " + UidSets.format(r.targetUids());
        if (!move) {
            return new Done(copyUid, verb + " completed (Success)");
        }
        if (copyUid != null) {
            s.out.untagged("OK [" + copyUid + "] Moved");
        }
        for (int seq : v.remove(r.sourceUids())) {
            s.out.untagged(seq + " EXPUNGE");
        }
        return new Done(null, verb + " completed (Success)");
    }

    /** EXPUNGE and UID EXPUNGE (RFC 4315 §2.1): removes messages marked \Deleted. */
    static Done expunge(Session s, Command.Expunge c) throws IOException {
        SelectedMailbox v = s.requireSelected();
        if (v.readOnly) {
            throw ImapException.no("READ-ONLY", "The mailbox is read-only (EXAMINE) (Failure)");
        }
        long[] restrict = c.uids().map(set -> s.resolve(set, true)).orElse(null);
        long[] deleted = deletedUids(v, restrict);
        if (deleted.length > 0) {
            long[] removed = s.services.store().expunge(v.mailboxId, deleted);
            for (int seq : v.remove(removed)) {
                s.out.untagged(seq + " EXPUNGE");
            }
        }
        return new Done(null, (c.uids().isPresent() ? "UID EXPUNGE" : "EXPUNGE") + " completed (Success)");
    }

    /** The UIDs in the view marked \Deleted, within {@code restrict} (sorted) when given. */
    static long[] deletedUids(SelectedMailbox v, long[] restrict) {
        long[] out = new long[v.exists()];
        int n = 0;
        for (int seq = 1; seq <= v.exists(); seq++) {
            long uid = v.uid(seq);
            if ((v.flags(seq) & Flags.DELETED) != 0 && (restrict == null || Arrays.binarySearch(restrict, uid) >= 0)) {
                out[n++] = uid;
            }
        }
        return Arrays.copyOf(out, n);
    }
}
