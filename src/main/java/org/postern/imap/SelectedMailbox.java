package org.postern.imap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.postern.store.MailStore;
import org.postern.store.Mailbox;
import org.postern.store.MailboxChange;
import org.postern.store.StoredMessage;

/**
 * One session's view of its selected mailbox: the UIDs it knows in sequence-number order, with
 * their flags, keywords and MODSEQ (STYLE.md 5). Owned by the session's thread; no lock.
 *
 * <p>Changes made by any session arrive from the store as {@link MailboxChange}s and are applied
 * here only where RFC 9051 §7.5.1 allows: appends and flag changes at any command boundary,
 * expunges only when the command in progress does not use sequence numbers (not during FETCH,
 * STORE or SEARCH). Deferred expunges keep their messages visible until then. Applying a change
 * this view already has (its own STORE, a change older than the snapshot) does nothing, so the
 * watch can start before the snapshot is read and nothing falls between the two.
 */
final class SelectedMailbox {

    /** What the view tells the client when it applies changes. */
    interface Updates {
        void exists(int count);

        /** Messages left the view; {@code seqs} are in the order to send, each valid after the previous. */
        void expunged(long[] uids, int[] seqs);

        void flags(int seq, long uid, int flags, Set<String> keywords, long modSeq);

        /** A keyword not seen before in this mailbox appeared: a new FLAGS response is due. */
        void newKeywords(Set<String> allKeywords);
    }

    final long mailboxId;
    final String name;
    final long uidValidity;
    final boolean readOnly;

    private long[] uids = new long[16];
    private int[] flags = new int[16];
    @SuppressWarnings("unchecked")
    private Set<String>[] keywords = new Set[16];
    private long[] modSeqs = new long[16];
    /** \Recent for this session (RFC 3501 §2.3.2): the messages it claimed from the store. */
    private boolean[] recent = new boolean[16];
    private int recentCount;
    private int count;
    private long uidNext;
    private long highestModSeq;
    private final TreeSet<String> knownKeywords = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    private final List<long[]> deferredExpunges = new ArrayList<>();

    /** The view of a consistent snapshot: the mailbox row and its messages read together. */
    SelectedMailbox(MailStore.Snapshot snapshot, boolean readOnly) {
        this(snapshot.mailbox(), snapshot.messages(), readOnly);
    }

    private SelectedMailbox(Mailbox mailbox, List<StoredMessage> snapshot, boolean readOnly) {
        this.mailboxId = mailbox.id();
        this.name = mailbox.name();
        this.uidValidity = mailbox.uidValidity();
        this.readOnly = readOnly;
        this.uidNext = mailbox.uidNext();
        this.highestModSeq = mailbox.highestModSeq();
        for (StoredMessage m : snapshot) {
            add(m.uid(), m.flags(), m.keywords(), m.modSeq());
            uidNext = Math.max(uidNext, m.uid() + 1);
        }
    }

    int exists() {
        return count;
    }

    long uidNext() {
        return uidNext;
    }

    long highestModSeq() {
        return highestModSeq;
    }

    Set<String> keywordsInUse() {
        return Collections.unmodifiableSet(knownKeywords);
    }

    /** The UID of sequence number {@code seq} (1-based). */
    long uid(int seq) {
        return uids[seq - 1];
    }

    int flags(int seq) {
        return flags[seq - 1];
    }

    Set<String> keywords(int seq) {
        return keywords[seq - 1];
    }

    long modSeq(int seq) {
        return modSeqs[seq - 1];
    }

    /** Whether the message is \Recent in this session. */
    boolean recent(int seq) {
        return recent[seq - 1];
    }

    /** How many messages are \Recent in this session (the RECENT count, RFC 3501 §7.3.2). */
    int recentCount() {
        return recentCount;
    }

    /** The UIDs that are \Recent in this session, ascending. */
    long[] recentUids() {
        long[] out = new long[recentCount];
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (recent[i]) {
                out[n++] = uids[i];
            }
        }
        return out;
    }

    /** Marks as \Recent the messages of the view whose UIDs pass {@code test} (at SELECT or EXAMINE). */
    void markRecent(java.util.function.LongPredicate test) {
        for (int i = 0; i < count; i++) {
            if (!recent[i] && test.test(uids[i])) {
                recent[i] = true;
                recentCount++;
            }
        }
    }

    /** The highest UID among appends in {@code changes} that this view has not seen yet, or 0. */
    long newestAppended(List<MailboxChange> changes) {
        long newest = 0;
        for (MailboxChange c : changes) {
            if (c instanceof MailboxChange.Appended a && a.mailboxId() == mailboxId && a.uid() >= uidNext) {
                newest = Math.max(newest, a.uid());
            }
        }
        return newest;
    }

    /** The sequence number of a UID, or -1 when the view does not hold it. */
    int seq(long uid) {
        int i = Arrays.binarySearch(uids, 0, count, uid);
        return i >= 0 ? i + 1 : -1;
    }

    /** The highest UID in the view, or 0 when it is empty (for {@code *} in UID sets). */
    long maxUid() {
        return count == 0 ? 0 : uids[count - 1];
    }

    /** The UIDs of the view, ascending (a copy). */
    long[] uids() {
        return Arrays.copyOf(uids, count);
    }

    /** Records a change this session made itself, so the echo from the store is not sent again. */
    void updated(long uid, int newFlags, Set<String> newKeywords, long modSeq) {
        int seq = seq(uid);
        if (seq > 0 && modSeq >= modSeqs[seq - 1]) {
            flags[seq - 1] = newFlags;
            keywords[seq - 1] = newKeywords;
            modSeqs[seq - 1] = modSeq;
            knownKeywords.addAll(newKeywords);
        }
        highestModSeq = Math.max(highestModSeq, modSeq);
    }

    /**
     * Applies changes in commit order, telling {@code out} what the client must hear. With
     * {@code allowExpunge} false, expunges are held back (their messages stay) until a later call.
     */
    void apply(List<MailboxChange> changes, boolean allowExpunge, Updates out) {
        apply(changes, allowExpunge, Long.MAX_VALUE, out);
    }

    /** As above; appended messages with UIDs from {@code recentFrom} are \Recent in this session. */
    void apply(List<MailboxChange> changes, boolean allowExpunge, long recentFrom, Updates out) {
        int before = count;
        boolean existsDue = false;
        Set<Long> goingNow = allowExpunge ? expungedBy(changes) : Set.of();
        // When EXPUNGEs end this answer, the flags of the messages that stay are told after them,
        // with the sequence numbers the client will have from then on (as James does).
        Set<Long> flagsAfterExpunges = new java.util.LinkedHashSet<>();
        for (MailboxChange c : changes) {
            if (c.mailboxId() != mailboxId) {
                continue;
            }
            switch (c) {
                case MailboxChange.Appended a -> {
                    if (a.uid() >= uidNext) {
                        // Keywords first: add() makes them known, and the client must hear of them.
                        noteKeywords(a.keywords(), out);
                        add(a.uid(), a.flags(), a.keywords(), a.modSeq());
                        if (a.uid() >= recentFrom) {
                            recent[count - 1] = true;
                            recentCount++;
                        }
                        uidNext = Math.max(uidNext, a.uid() + 1);
                        existsDue = true;
                    }
                    highestModSeq = Math.max(highestModSeq, a.modSeq());
                }
                case MailboxChange.FlagsChanged f -> {
                    int seq = seq(f.uid());
                    if (seq > 0 && f.modSeq() > modSeqs[seq - 1]) {
                        flags[seq - 1] = f.flags();
                        keywords[seq - 1] = f.keywords();
                        modSeqs[seq - 1] = f.modSeq();
                        noteKeywords(f.keywords(), out);
                        if (!goingNow.isEmpty()) {
                            // A message whose EXPUNGE follows is not told of: flag updates keep
                            // the client's view current (RFC 9051 §5.2), and it leaves that view.
                            if (!goingNow.contains(f.uid())) {
                                flagsAfterExpunges.add(f.uid());
                            }
                            highestModSeq = Math.max(highestModSeq, f.modSeq());
                            continue;
                        }
                        // An EXISTS for appends earlier in this batch must come first: the
                        // client cannot be told about a sequence number it has not heard of.
                        if (existsDue && seq > before) {
                            out.exists(count);
                            existsDue = false;
                            before = count;
                        }
                        out.flags(seq, f.uid(), f.flags(), f.keywords(), f.modSeq());
                    }
                    highestModSeq = Math.max(highestModSeq, f.modSeq());
                }
                case MailboxChange.Expunged e -> {
                    deferredExpunges.add(e.uids());
                    highestModSeq = Math.max(highestModSeq, e.modSeq());
                }
                case MailboxChange.Gone g -> {
                    // The session notices through the store when it next touches the mailbox.
                }
            }
        }
        if (existsDue) {
            out.exists(count);
        }
        if (allowExpunge && !deferredExpunges.isEmpty()) {
            expungeDeferred(out);
        }
        for (long uid : flagsAfterExpunges) {
            int seq = seq(uid);
            if (seq > 0) {
                out.flags(seq, uid, flags[seq - 1], keywords[seq - 1], modSeqs[seq - 1]);
            }
        }
    }

    /** The UIDs whose expunge is held back or arrives in {@code changes}: all told at the end of an apply that allows expunges. */
    private Set<Long> expungedBy(List<MailboxChange> changes) {
        Set<Long> uids = new java.util.HashSet<>();
        for (long[] batch : deferredExpunges) {
            for (long u : batch) {
                uids.add(u);
            }
        }
        for (MailboxChange c : changes) {
            if (c instanceof MailboxChange.Expunged e && e.mailboxId() == mailboxId) {
                for (long u : e.uids()) {
                    uids.add(u);
                }
            }
        }
        return uids;
    }

    /** Whether expunges are being held back for a command boundary that allows them. */
    boolean hasDeferredExpunges() {
        return !deferredExpunges.isEmpty();
    }

    /** Removes UIDs the session expunged itself; returns their sequence numbers in sending order. */
    int[] remove(long[] removedUids) {
        List<Integer> seqs = new ArrayList<>();
        // Highest first: each EXPUNGE then leaves the lower sequence numbers as they were.
        for (int i = removedUids.length - 1; i >= 0; i--) {
            int seq = seq(removedUids[i]);
            if (seq > 0) {
                removeAt(seq - 1);
                seqs.add(seq);
            }
        }
        return seqs.stream().mapToInt(Integer::intValue).toArray();
    }

    private void expungeDeferred(Updates out) {
        TreeSet<Long> all = new TreeSet<>();
        for (long[] batch : deferredExpunges) {
            for (long u : batch) {
                all.add(u);
            }
        }
        deferredExpunges.clear();
        long[] present = all.stream().mapToLong(Long::longValue).filter(u -> seq(u) > 0).toArray();
        if (present.length == 0) {
            return;
        }
        long[] sendingOrder = new long[present.length];
        for (int i = 0; i < present.length; i++) {
            sendingOrder[i] = present[present.length - 1 - i];
        }
        int[] seqs = remove(present);
        out.expunged(sendingOrder, seqs);
    }

    private void noteKeywords(Set<String> kw, Updates out) {
        if (kw.isEmpty() || knownKeywords.containsAll(kw)) {
            return;
        }
        knownKeywords.addAll(kw);
        out.newKeywords(keywordsInUse());
    }

    private void add(long uid, int f, Set<String> kw, long modSeq) {
        if (count == uids.length) {
            int n = count * 2;
            uids = Arrays.copyOf(uids, n);
            flags = Arrays.copyOf(flags, n);
            keywords = Arrays.copyOf(keywords, n);
            modSeqs = Arrays.copyOf(modSeqs, n);
            recent = Arrays.copyOf(recent, n);
        }
        uids[count] = uid;
        flags[count] = f;
        keywords[count] = kw;
        modSeqs[count] = modSeq;
        recent[count] = false;
        knownKeywords.addAll(kw);
        count++;
    }

    private void removeAt(int i) {
        if (recent[i]) {
            recentCount--;
        }
        int tail = count - i - 1;
        System.arraycopy(uids, i + 1, uids, i, tail);
        System.arraycopy(flags, i + 1, flags, i, tail);
        System.arraycopy(keywords, i + 1, keywords, i, tail);
        System.arraycopy(modSeqs, i + 1, modSeqs, i, tail);
        System.arraycopy(recent, i + 1, recent, i, tail);
        count--;
        keywords[count] = null;
    }
}
