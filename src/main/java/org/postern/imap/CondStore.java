package org.postern.imap;

import java.io.IOException;
import java.util.Arrays;
import org.postern.imap.parse.Command;
import org.postern.imap.parse.SearchKey;
import org.postern.imap.parse.SequenceSet;

/**
 * CONDSTORE and QRESYNC (RFC 7162) where they do not belong to one command: turning CONDSTORE on
 * for a session, the QRESYNC part of SELECT, and VANISHED (EARLIER). Every message has a MODSEQ
 * in Postern's store, so NOMODSEQ is never needed.
 */
final class CondStore {
    private CondStore() {}

    /**
     * A CONDSTORE enabling command ran (RFC 7162 §3.1): from now on untagged FETCH responses
     * carry UID and MODSEQ. The first one while a mailbox is selected reports its
     * HIGHESTMODSEQ, which the client has not seen in a SELECT response of this session yet.
     */
    static void enable(Session s) throws IOException {
        if (s.condstore) {
            return;
        }
        s.condstore = true;
        if (s.selected().isPresent()) {
            s.out.untagged("OK [HIGHESTMODSEQ " + s.selected().get().highestModSeq() + "] Highest");
        }
    }

    /** Whether a search program uses the MODSEQ key (its answer then carries a MODSEQ, RFC 7162 §3.1.5). */
    static boolean usesModSeq(SearchKey key) {
        return switch (key) {
            case SearchKey.ModSeq m -> true;
            case SearchKey.And a -> a.keys().stream().anyMatch(CondStore::usesModSeq);
            case SearchKey.Or o -> usesModSeq(o.left()) || usesModSeq(o.right());
            case SearchKey.Not n -> usesModSeq(n.key());
            default -> false;
        };
    }

    /**
     * {@code VANISHED (EARLIER) uids} for the UIDs of {@code set} expunged with a MODSEQ above
     * {@code modSeq} (RFC 7162 §3.2.5.1, §3.2.6), or nothing when there are none.
     */
    static void vanishedEarlier(Session s, SelectedMailbox v, long modSeq, SequenceSet set) throws IOException {
        long[] gone = s.services.store().expungedSince(v.mailboxId, modSeq);
        long star = Math.max(v.maxUid(), gone.length == 0 ? 0 : gone[gone.length - 1]);
        long[] asked = set == null ? gone : Arrays.stream(gone).filter(uid -> set.contains(uid, star)).toArray();
        if (asked.length > 0) {
            s.out.untagged("VANISHED (EARLIER) " + UidSets.format(asked));
        }
    }

    /**
     * The QRESYNC parameter of SELECT (RFC 7162 §3.2.5): when the client's UIDVALIDITY is still
     * right, what was expunged since its MODSEQ, then the flags of the messages changed since;
     * both only among the UIDs it says it knows, when it says so. The store remembers every
     * expunge, so the sequence match data, a hint for servers that forget some, is not needed.
     */
    static void resync(Session s, SelectedMailbox v, Command.Select.Qresync q) throws IOException {
        if (q.uidValidity() != v.uidValidity) {
            return; // RFC 7162 §3.2.5: the client must throw its cache away; nothing to tell it
        }
        SequenceSet known = q.knownUids().orElse(null);
        vanishedEarlier(s, v, q.modSeq(), known);
        for (int seq = 1; seq <= v.exists(); seq++) {
            if (v.modSeq(seq) > q.modSeq() && (known == null || known.contains(v.uid(seq), v.maxUid()))) {
                s.out.untagged(seq + " FETCH (UID " + v.uid(seq) + " FLAGS " + s.flagList(v, seq)
                        + " MODSEQ (" + v.modSeq(seq) + "))");
            }
        }
    }
}
