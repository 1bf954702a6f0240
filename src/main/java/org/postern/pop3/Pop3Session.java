package org.postern.pop3;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.postern.auth.LiveSessions;
import org.postern.net.Connection;
import org.postern.store.ChangeBus;
import org.postern.store.Directory.Account;
import org.postern.store.MailboxChange;
import org.postern.store.PopSettings;
import org.postern.store.StoredMessage;

/**
 * The state of one POP3 connection (RFC 1939 §3): AUTHORIZATION until a login succeeds, then
 * TRANSACTION with a {@link Maildrop}; QUIT in TRANSACTION is the UPDATE state. Owned by the
 * connection's thread; other threads touch only the change queue (the store's writer thread
 * puts INBOX changes there) and the connection's {@code abort()}.
 */
final class Pop3Session {
    enum State { AUTHORIZATION, TRANSACTION }

    /** INBOX changes waiting for the next command; past this many, the session checks the store instead. */
    static final int MAX_PENDING_CHANGES = 10_000;

    final Pop3Services services;
    final Connection connection;
    final Pop3Writer out;

    private State state = State.AUTHORIZATION;
    /** The name given with USER, waiting for PASS. */
    String pendingUser;
    int failedLogins;
    int errorsInARow;

    private Account account;
    private boolean recentMode;
    private PopSettings popSettings;
    private Maildrop maildrop;
    private LiveSessions.Registration registration;
    private ChangeBus.Watch watch;
    private final BlockingQueue<MailboxChange> changes = new LinkedBlockingQueue<>(MAX_PENDING_CHANGES); // slots allocated as used
    private volatile boolean missedChanges;

    Pop3Session(Pop3Services services, Connection connection) {
        this.services = services;
        this.connection = connection;
        this.out = new Pop3Writer(connection);
    }

    State state() {
        return state;
    }

    /** Holds the account's session slot (and so the maildrop lock) until {@link #close()}. */
    void registered(LiveSessions.Registration r) {
        this.registration = r;
    }

    /** Starts listening to INBOX; called before its snapshot is read, so no expunge falls between. */
    void watch(long mailboxId) {
        watch = services.store().changes().watch(mailboxId, this::changed);
    }

    void loggedIn(Account a, boolean recent, PopSettings settings, Maildrop m) {
        this.account = a;
        this.recentMode = recent;
        this.popSettings = settings;
        this.maildrop = m;
        this.state = State.TRANSACTION;
        this.pendingUser = null;
    }

    Account account() {
        return account;
    }

    boolean recentMode() {
        return recentMode;
    }

    PopSettings popSettings() {
        return popSettings;
    }

    Maildrop maildrop() {
        if (maildrop == null) {
            throw new IllegalStateException("no maildrop before login");
        }
        return maildrop;
    }

    /** Called on the store's writer thread: must not block. */
    private void changed(MailboxChange change) {
        if (change instanceof MailboxChange.Expunged || change instanceof MailboxChange.Gone) {
            if (!changes.offer(change)) {
                missedChanges = true;
            }
        }
    }

    /**
     * Applies what happened to INBOX elsewhere since the last command: expunged messages answer
     * {@code -ERR} from now on. After an overflow, asks the store which messages remain.
     */
    void applyChanges() {
        if (maildrop == null) {
            return;
        }
        List<MailboxChange> pending = new ArrayList<>();
        changes.drainTo(pending);
        for (MailboxChange c : pending) {
            switch (c) {
                case MailboxChange.Expunged e -> maildrop.markGone(e.uids());
                case MailboxChange.Gone g -> maildrop.markGone(maildrop.uids());
                case MailboxChange.Appended a -> { }
                case MailboxChange.FlagsChanged f -> { }
            }
        }
        if (missedChanges) {
            missedChanges = false;
            long[] offered = maildrop.uids();
            long[] present = services.store().messages(maildrop.mailboxId(), offered).stream()
                    .mapToLong(StoredMessage::uid).toArray();
            maildrop.markGone(java.util.Arrays.stream(offered)
                    .filter(u -> java.util.Arrays.binarySearch(present, u) < 0).toArray());
        }
    }

    /** Ends the session's hold on its account: the watch and the session slot (and so the maildrop lock). */
    void close() {
        if (watch != null) {
            watch.close();
            watch = null;
        }
        if (registration != null) {
            registration.close();
            registration = null;
        }
    }
}
