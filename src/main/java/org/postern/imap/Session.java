package org.postern.imap;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.postern.auth.LiveSessions;
import org.postern.imap.parse.CommandReader;
import org.postern.imap.parse.MailboxName;
import org.postern.imap.parse.SequenceSet;
import org.postern.net.Connection;
import org.postern.store.ChangeBus;
import org.postern.store.Directory.Account;
import org.postern.store.ImapOptions;
import org.postern.store.MailStore;
import org.postern.store.Mailbox;
import org.postern.store.MailboxChange;
import org.postern.store.StoreException;
import org.postern.store.StoredMessage;

/**
 * The state of one IMAP connection (RFC 9051 §3): who is logged in, what is selected, what was
 * enabled. Owned by the connection's thread; the only thing other threads touch is the event
 * queue, where the store puts changes of the selected mailbox and IDLE puts the client's DONE.
 */
final class Session {
    enum State { NOT_AUTHENTICATED, AUTHENTICATED, SELECTED, LOGOUT }

    /** Something for the session's thread to handle: a mailbox change, or an IDLE event. */
    sealed interface Event {
        record Change(MailboxChange change) implements Event {}

        /** The client ended IDLE; {@code line} is what it sent (normally DONE), null at end of input. */
        record IdleLine(String line, IOException failure) implements Event {}

        /** The session must end (account removed, password changed, server stopping). */
        record Terminate(String reason) implements Event {}
    }

    /** More pending changes than this and the client is too far behind: it gets BYE. */
    static final int MAX_PENDING_EVENTS = 20_000;

    final ImapServices services;
    final Connection connection;
    final ImapWriter out;
    final CommandReader reader;

    private State state = State.NOT_AUTHENTICATED;
    private Account account;
    private LiveSessions.Registration registration;
    private SelectedMailbox selected;
    private ChangeBus.Watch watch;
    // Linked, not an array: an array queue would allocate all its slots (160 KB) for every session.
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>(MAX_PENDING_EVENTS);
    private volatile boolean overflowed;
    private volatile String terminated;
    /** The result of the last SEARCH RETURN (SAVE), as UIDs; empty after SELECT (RFC 5182 §2.1). */
    private long[] savedResult = new long[0];
    /** The RECENT count the client was last told (RFC 3501 §7.3.2). */
    private int announcedRecent;

    boolean utf8Accept;
    String clientName;
    /** RFC 7162 §3.1: a CONDSTORE enabling command ran; untagged FETCH responses carry MODSEQ. */
    boolean condstore;
    /** RFC 7162 §3.2.3: ENABLE QRESYNC ran; expunges are told as VANISHED. */
    boolean qresync;
    /** ENABLE IMAP4rev2 ran (RFC 9051 §6.3.1): no \Recent, ESEARCH answers, UTF-8 names, no UNSEEN code. */
    boolean imap4rev2;

    /**
     * Whether this session sees \Recent and RECENT (RFC 3501 §2.3.2); IMAP4rev2 removed them
     * (RFC 9051 Appendix E), so a session that enabled it does not.
     */
    boolean showsRecent() {
        return !imap4rev2;
    }

    /** The FLAGS of a message of the selected mailbox as this client reads them, \Recent included. */
    String flagList(SelectedMailbox v, int seq) {
        return Responses.flagList(v.flags(seq), showsRecent() && v.recent(seq), v.keywords(seq));
    }

    Session(ImapServices services, Connection connection, CommandReader reader) {
        this.services = services;
        this.connection = connection;
        this.out = new ImapWriter(connection);
        this.reader = reader;
    }

    State state() {
        return state;
    }

    Account account() {
        if (account == null) {
            throw new IllegalStateException("not logged in");
        }
        return account;
    }

    long accountId() {
        return account().id();
    }

    void loggedIn(Account a, LiveSessions.Registration r) {
        this.account = a;
        this.registration = r;
        this.state = State.AUTHENTICATED;
    }

    void loggingOut() {
        state = State.LOGOUT;
    }

    /**
     * Held by the session's thread while it answers a command (and while it invites a literal),
     * so that another thread may write only between commands.
     */
    final java.util.concurrent.locks.ReentrantLock answering = new java.util.concurrent.locks.ReentrantLock();

    /**
     * Ends the session from another thread (revocation). During IDLE the session's own loop
     * answers with BYE at once; while it waits for a command, the BYE is written here and the
     * connection closed; while a command runs, the session says BYE when it ends.
     */
    void terminate(String reason) {
        terminated = reason;
        events.offer(new Event.Terminate(reason));
        Thread.ofVirtual().name(connection.name() + "-terminate").start(() -> {
            try {
                if (answering.tryLock(2, TimeUnit.SECONDS)) {
                    try {
                        if (state != State.LOGOUT && !connection.isClosed()) {
                            out.untagged("BYE " + reason);
                            out.flush();
                            connection.abort();
                        }
                    } finally {
                        answering.unlock();
                    }
                }
            } catch (IOException | InterruptedException ignored) {
                connection.abort();
            }
        });
    }

    String terminated() {
        return overflowed ? "Too many changes to keep up with; please reconnect" : terminated;
    }

    // ------------------------------------------------------------------ selection

    Optional<SelectedMailbox> selected() {
        return Optional.ofNullable(selected);
    }

    SelectedMailbox requireSelected() {
        if (selected == null) {
            throw ImapException.bad(null, "No mailbox selected");
        }
        return selected;
    }

    /**
     * Selects a mailbox: starts watching it first, then reads the snapshot, so no change falls
     * between the two (SelectedMailbox applies only what is newer than the snapshot).
     */
    SelectedMailbox select(Mailbox mailbox, boolean readOnly) {
        // \Recent lasts while the session stays on the mailbox: selecting it again keeps what
        // this session claimed; leaving it (another SELECT, CLOSE, UNSELECT) spends the claims.
        long[] keptRecent = selected != null && selected.mailboxId == mailbox.id() ? selected.recentUids() : new long[0];
        deselect();
        events.clear();
        watch = services.store().changes().watch(mailbox.id(), this::changed);
        try {
            selected = new SelectedMailbox(limited(services.store().snapshot(mailbox.id())), readOnly);
            // RFC 3501 §2.3.2: SELECT claims the messages no session has seen as \Recent;
            // EXAMINE shows them as \Recent without taking them from the next SELECT.
            SelectedMailbox v = selected;
            long from = readOnly ? services.store().unclaimedRecent(mailbox.id()).firstUid()
                    : services.store().claimRecent(mailbox.id(), v.uidNext());
            v.markRecent(uid -> uid >= from || java.util.Arrays.binarySearch(keptRecent, uid) >= 0);
            announcedRecent = v.recentCount();
        } catch (RuntimeException e) {
            deselect();
            throw e;
        }
        state = State.SELECTED;
        return selected;
    }

    /**
     * The account's IMAP settings as saved now (Gmail's "Forwarding and POP/IMAP"), read when a
     * command needs them, so a change made on the web applies to sessions already connected.
     */
    ImapOptions imapOptions() {
        return services.directory().imapOptions(accountId());
    }

    /** Gmail's folder size limit: a selected mailbox shows only its most recent messages. */
    private MailStore.Snapshot limited(MailStore.Snapshot snapshot) {
        int limit = imapOptions().folderSizeLimit();
        List<StoredMessage> all = snapshot.messages();
        if (limit <= 0 || all.size() <= limit) {
            return snapshot;
        }
        return new MailStore.Snapshot(snapshot.mailbox(), all.subList(all.size() - limit, all.size()));
    }

    void deselect() {
        if (watch != null) {
            watch.close();
            watch = null;
        }
        selected = null;
        savedResult = new long[0];
        events.removeIf(e -> e instanceof Event.Change);
        if (state == State.SELECTED) {
            state = State.AUTHENTICATED;
        }
    }

    private void changed(MailboxChange change) {
        if (!events.offer(new Event.Change(change))) {
            overflowed = true;
        }
    }

    /** Waits for the next event (IDLE). */
    Event nextEvent(long timeoutMillis) throws InterruptedException {
        return events.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** The next event without taking it (the session's thread is the only consumer). */
    Event peekEvent() {
        return events.peek();
    }

    void offer(Event e) {
        events.offer(e);
    }

    /**
     * Tells the client about changes made elsewhere, as the untagged responses RFC 9051 §7 allows
     * at this point: with {@code allowExpunge} false (during FETCH, STORE, SEARCH and the other
     * commands that use sequence numbers, §7.5.1) expunges wait.
     */
    void flushUpdates(boolean allowExpunge) throws IOException {
        if (selected == null) {
            return;
        }
        List<MailboxChange> changes = new ArrayList<>();
        List<Event> other = new ArrayList<>();
        for (Event e; (e = events.poll()) != null; ) {
            if (e instanceof Event.Change c) {
                changes.add(c.change());
            } else {
                other.add(e);
            }
        }
        events.addAll(other);
        applyChanges(changes, allowExpunge);
    }

    void applyChanges(List<MailboxChange> changes, boolean allowExpunge) throws IOException {
        if (selected == null) {
            return;
        }
        for (MailboxChange c : changes) {
            if (c instanceof MailboxChange.Gone && c.mailboxId() == selected.mailboxId) {
                // The mailbox was deleted or renamed elsewhere: the client must select again.
                terminate("The selected mailbox was deleted or renamed by another session");
                return;
            }
        }
        if (changes.isEmpty() && !(allowExpunge && selected.hasDeferredExpunges())) {
            return;
        }
        IOException[] failure = new IOException[1];
        SelectedMailbox v = selected;
        v.apply(changes, allowExpunge, recentFrom(v, changes), new SelectedMailbox.Updates() {
            @Override
            public void exists(int count) {
                write(count + " EXISTS");
                if (showsRecent()) {
                    // RFC 3501 §7.3.2: the RECENT count comes with the EXISTS that changes it.
                    write(v.recentCount() + " RECENT");
                    announcedRecent = v.recentCount();
                }
            }

            @Override
            public void expunged(long[] uids, int[] seqs) {
                for (String line : expungeLines(uids, seqs)) {
                    write(line);
                }
                String recent = recentUpdate();
                if (recent != null) {
                    write(recent);
                }
            }

            @Override
            public void flags(int seq, long uid, int flags, Set<String> keywords, long modSeq) {
                write(seq + " FETCH (UID " + uid + " FLAGS " + flagList(v, seq) + (condstore ? " MODSEQ (" + modSeq + ")" : "") + ")");
            }

            @Override
            public void newKeywords(Set<String> all) {
                // RFC 9051 §7.3.5: the client records the new set; what it may set grew too.
                SelectCommands.flagLines(selected).forEach(this::write);
            }

            private void write(String line) {
                if (failure[0] != null) {
                    return;
                }
                try {
                    out.untagged(line);
                } catch (IOException e) {
                    failure[0] = e;
                }
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    /**
     * The first UID of the new messages among {@code changes} that are \Recent in this session:
     * the first session told of a message's arrival claims it (RFC 3501 §2.3.2); a read-only
     * session only looks whether another has claimed it yet.
     */
    private long recentFrom(SelectedMailbox v, List<MailboxChange> changes) {
        long newest = v.newestAppended(changes);
        if (newest == 0) {
            return Long.MAX_VALUE;
        }
        try {
            if (v.readOnly) {
                return services.store().unclaimedRecent(v.mailboxId).firstUid();
            }
            return services.store().claimRecent(v.mailboxId, newest + 1);
        } catch (StoreException e) {
            return Long.MAX_VALUE; // the mailbox is gone; the session hears of it with the next change
        }
    }

    /**
     * {@code n RECENT} when expunges changed the count the client knows, else null. (RFC 3501
     * §7.3.2 lets the server send it at any time; clients keep the last value.)
     */
    String recentUpdate() {
        SelectedMailbox v = selected;
        if (v == null || !showsRecent() || v.recentCount() == announcedRecent) {
            return null;
        }
        announcedRecent = v.recentCount();
        return announcedRecent + " RECENT";
    }

    /**
     * Takes messages this session expunged (or moved away) out of its view and tells the client:
     * EXPUNGE responses, highest first, or one VANISHED response once QRESYNC is enabled
     * (RFC 7162 §3.2.10); then, after EXPUNGE, RECENT if its count changed (not after MOVE,
     * whose answer RFC 6851 §4.3 describes without it).
     */
    void removeFromView(long[] removedUids, boolean announceRecent) throws IOException {
        SelectedMailbox v = requireSelected();
        long[] present = java.util.Arrays.stream(removedUids).filter(u -> v.seq(u) > 0).toArray();
        for (String line : expungeLines(present, v.remove(present))) {
            out.untagged(line);
        }
        String recent = announceRecent ? recentUpdate() : null;
        if (recent != null) {
            out.untagged(recent);
        }
    }

    private List<String> expungeLines(long[] uids, int[] seqs) {
        if (qresync) {
            long[] sorted = uids.clone();
            java.util.Arrays.sort(sorted);
            return sorted.length == 0 ? List.of() : List.of("VANISHED " + UidSets.format(sorted));
        }
        List<String> lines = new ArrayList<>(seqs.length);
        for (int seq : seqs) {
            lines.add(seq + " EXPUNGE");
        }
        return lines;
    }

    // ------------------------------------------------------------------ helpers for handlers

    /** A mailbox of this account by its client-side name; NO [NONEXISTENT] when there is none. */
    Mailbox mailbox(MailboxName name) {
        return services.store().mailbox(accountId(), storeName(name))
                .orElseThrow(() -> ImapException.no("NONEXISTENT", "Unknown Mailbox: " + name.name() + " (Failure)"));
    }

    /**
     * The name as the store keeps it: the decoded name with INBOX in capitals. A name that could
     * not be decoded is the name of no mailbox: NO [NONEXISTENT] (RFC 5530 §3), never a
     * TRYCREATE, since CREATE would refuse it too.
     */
    static String storeName(MailboxName name) {
        if (!name.valid()) {
            throw ImapException.no("NONEXISTENT", "No such mailbox: " + name.problemText() + " (Failure)");
        }
        return Mailbox.normalize(name.name());
    }

    /** A mailbox name as this client reads it: modified UTF-7, or UTF-8 after ENABLE UTF8=ACCEPT. */
    String wireName(String storeName) {
        return Responses.string(new MailboxName(storeName).toWire(utf8Accept), utf8Accept);
    }

    /**
     * The UIDs a sequence set names in the selected mailbox: as UIDs ({@code uid} true) or as
     * sequence numbers. Numbers that name nothing are dropped (RFC 9051 §6.4.8 for UID sets);
     * a sequence number beyond the mailbox is an error (§9 seq-number).
     */
    long[] resolve(SequenceSet set, boolean uid) {
        SelectedMailbox s = requireSelected();
        if (uid) {
            return set.selectUids(s.uids(), savedUids());
        }
        if (maxWithoutStar(set) > s.exists()) {
            throw ImapException.bad(null, "Invalid messageset: the mailbox has " + s.exists() + " messages");
        }
        long[] seqs = set.selectSequenceNumbers(s.exists(), savedSequenceNumbers());
        long[] uids = new long[seqs.length];
        for (int i = 0; i < seqs.length; i++) {
            uids[i] = s.uid((int) seqs[i]);
        }
        return uids;
    }

    /**
     * The largest number of ranges that do not involve {@code *}: {@code 1:*} on an empty
     * mailbox names nothing rather than being an error, as clients send it after any SELECT.
     */
    private static long maxWithoutStar(SequenceSet set) {
        long max = 0;
        for (SequenceSet.Range r : set.ranges()) {
            if (r.first() != SequenceSet.STAR && r.last() != SequenceSet.STAR) {
                max = Math.max(max, Math.max(r.first(), r.last()));
            }
        }
        return max;
    }

    private long[] savedUids() {
        return savedResult;
    }

    /** The saved result as the sequence numbers its messages have now (expunged ones left out). */
    private long[] savedSequenceNumbers() {
        SelectedMailbox v = requireSelected();
        return java.util.Arrays.stream(savedResult).map(v::seq).filter(n -> n > 0).sorted().toArray();
    }

    /** RFC 5182 §2.1: SEARCH RETURN (SAVE) keeps its result for {@code $}, as UIDs (ascending). */
    void saveSearchResult(long[] uids) {
        savedResult = uids.clone();
        java.util.Arrays.sort(savedResult);
    }

    /** Whether the message with this UID is in the saved result ({@code $}). */
    boolean savedResultHas(long uid) {
        return java.util.Arrays.binarySearch(savedResult, uid) >= 0;
    }

    /** Turns a store failure into the answer the client gets (STYLE.md 4). */
    static ImapException fromStore(StoreException e) {
        return switch (e.kind()) {
            case NOT_FOUND -> ImapException.no("NONEXISTENT", capitalized(e.getMessage()) + " (Failure)");
            case EXISTS -> ImapException.no("ALREADYEXISTS", capitalized(e.getMessage()) + " (Failure)");
            case NOT_ALLOWED -> ImapException.no("CANNOT", capitalized(e.getMessage()) + " (Failure)");
            case OVER_QUOTA -> ImapException.no("OVERQUOTA", "Over quota (Failure)");
            case TEMPORARY -> ImapException.no("UNAVAILABLE", Responses.TEMPORARY_PROBLEM);
        };
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    void close() {
        deselect();
        if (registration != null) {
            registration.close();
            registration = null;
        }
    }
}
