package org.postern.imap;

import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
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

    /** Ranges per VANISHED (EARLIER) response when the answer is a superset: lines of some 20 KB at most. */
    private static final int RANGES_PER_RESPONSE = 1_000;

    /**
     * {@code VANISHED (EARLIER) uids} for the UIDs of {@code set} expunged with a MODSEQ above
     * {@code modSeq} (RFC 7162 §3.2.5.1, §3.2.6), or nothing when there are none.
     */
    static void vanishedEarlier(Session s, SelectedMailbox v, long modSeq, SequenceSet set) throws IOException {
        vanishedEarlier(s, v, modSeq, set, 0);
    }

    /**
     * As above; when the store has forgotten some of the expunges since {@code modSeq}, every
     * UID of {@code set} (all of 1:UIDNEXT-1 when it is null) above {@code agreedUpTo} that the
     * view does not hold: RFC 7162 §3.2.5.2 and §3.2.10 let the server report UIDs that were
     * expunged earlier or never existed, and the client ignores those it does not know. The
     * gaps between the view's UIDs are written as ranges, in several responses when many.
     */
    private static void vanishedEarlier(Session s, SelectedMailbox v, long modSeq, SequenceSet set, long agreedUpTo)
            throws IOException {
        Optional<long[]> exact = s.services.store().expungedSince(v.mailboxId, modSeq);
        if (exact.isPresent()) {
            long[] gone = exact.get();
            long star = Math.max(v.maxUid(), gone.length == 0 ? 0 : gone[gone.length - 1]);
            long[] asked = set == null ? gone : Arrays.stream(gone).filter(uid -> set.contains(uid, star)).toArray();
            if (asked.length > 0) {
                s.out.untagged("VANISHED (EARLIER) " + UidSets.format(asked));
            }
            return;
        }
        // UIDs from UIDNEXT on were never used, and may be the next messages': never reported.
        // "*" reaches up to there too, for the client may know expunged UIDs above the last one.
        long last = v.uidNext() - 1;
        long[] wanted = UidSets.clip(set == null ? new long[] {1, last} : set.normalized(last), agreedUpTo + 1, last);
        UidSets.absent(wanted, v.exists(), i -> v.uid(i + 1), RANGES_PER_RESPONSE,
                piece -> s.out.untagged("VANISHED (EARLIER) " + piece));
    }

    /**
     * The QRESYNC parameter of SELECT (RFC 7162 §3.2.5): when the client's UIDVALIDITY is still
     * right, what was expunged since its MODSEQ, then the flags of the messages changed since;
     * both only among the UIDs it says it knows, when it says so. When the expunges since its
     * MODSEQ are partly forgotten, its sequence match data narrows the superset it gets.
     */
    static void resync(Session s, SelectedMailbox v, Command.Select.Qresync q) throws IOException {
        if (q.uidValidity() != v.uidValidity) {
            return; // RFC 7162 §3.2.5: the client must throw its cache away; nothing to tell it
        }
        SequenceSet known = q.knownUids().orElse(null);
        long agreed = q.knownSequenceSet().isPresent() ? agreedUpTo(v, q.knownSequenceSet().get(), q.knownUidSet().get()) : 0;
        vanishedEarlier(s, v, q.modSeq(), known, agreed);
        for (int seq = 1; seq <= v.exists(); seq++) {
            if (v.modSeq(seq) > q.modSeq() && (known == null || known.contains(v.uid(seq), v.maxUid()))) {
                s.out.untagged(seq + " FETCH (UID " + v.uid(seq) + " FLAGS " + s.flagList(v, seq)
                        + " MODSEQ (" + v.modSeq(seq) + "))");
            }
        }
    }

    /**
     * RFC 7162 §3.2.5.2, the message sequence match data: pairs of a sequence number and the UID
     * the client has for it, read in ascending order up to the first the view does not match.
     * Returns the UID of the last pair that matches, or 0. At that UID the client and the view
     * count as many messages, and the client knows every message the view holds below it (new
     * messages get higher UIDs), so nothing at or below it vanished from the client's view.
     * Data whose two sets differ in size is not used.
     */
    static long agreedUpTo(SelectedMailbox v, SequenceSet seqs, SequenceSet uids) {
        long[] sr = seqs.normalized(v.exists());
        long[] ur = uids.normalized(v.maxUid());
        if (size(sr) != size(ur)) {
            return 0;
        }
        long agreed = 0;
        int a = 0;
        int b = 0;
        long seq = sr.length == 0 ? 0 : sr[0];
        long uid = ur.length == 0 ? 0 : ur[0];
        while (a < sr.length && seq <= v.exists() && v.uid((int) seq) == uid) {
            agreed = uid;
            // The next pair: the next number of each set (both have as many, so they end together).
            if (seq == sr[a + 1]) {
                a += 2;
                seq = a < sr.length ? sr[a] : 0;
            } else {
                seq++;
            }
            if (uid == ur[b + 1]) {
                b += 2;
                uid = b < ur.length ? ur[b] : 0;
            } else {
                uid++;
            }
        }
        return agreed;
    }

    private static long size(long[] ranges) {
        long n = 0;
        for (int r = 0; r < ranges.length; r += 2) {
            n += ranges[r + 1] - ranges[r] + 1;
        }
        return n;
    }
}
