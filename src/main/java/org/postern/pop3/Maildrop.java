package org.postern.pop3;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.postern.store.MailStore;
import org.postern.store.PopSettings;
import org.postern.store.StoredMessage;

/**
 * What one POP session offers: INBOX as it was at login, filtered by the account's POP settings
 * (RFC 1939 §8: the maildrop is fixed for the session; message numbers never change). Owned by
 * the session's thread; expunges made elsewhere reach it through {@link #markGone}.
 *
 * <p>Gmail's rules: in normal mode a message that POP has downloaded before is not offered again;
 * in recent mode (user name {@code recent:...}) every message of the last 30 days is offered,
 * downloaded or not; with "from now on" only mail received since POP was switched on is offered.
 * Oldest first.
 */
final class Maildrop {
    private final long mailboxId;
    private final long uidValidity;
    private final long[] uids;
    private final long[] sizes;
    private final String[] blobs;
    private final boolean[] deleted;
    private final boolean[] retrieved;
    private final boolean[] gone;

    private Maildrop(long mailboxId, long uidValidity, List<StoredMessage> offered) {
        this.mailboxId = mailboxId;
        this.uidValidity = uidValidity;
        int n = offered.size();
        uids = new long[n];
        sizes = new long[n];
        blobs = new String[n];
        for (int i = 0; i < n; i++) {
            StoredMessage m = offered.get(i);
            uids[i] = m.uid();
            sizes[i] = m.size();
            blobs[i] = m.blob();
        }
        deleted = new boolean[n];
        retrieved = new boolean[n];
        gone = new boolean[n];
    }

    /**
     * The messages of {@code snapshot} that POP offers under these settings.
     *
     * @param downloaded   account-wide ids (ascending) of messages POP has downloaded before
     * @param recentMode   the user name began with {@code recent:}
     * @param now          the time of login, epoch ms
     * @param recentWindow how far back recent mode reaches (Gmail: 30 days)
     */
    static Maildrop offer(MailStore.Snapshot snapshot, long[] downloaded, PopSettings settings, boolean recentMode,
                          long now, Duration recentWindow) {
        long from = settings.since();
        if (recentMode) {
            from = Math.max(from, now - recentWindow.toMillis());
        }
        long notBefore = from;
        List<StoredMessage> offered = snapshot.messages().stream()
                .filter(m -> m.received() >= notBefore)
                .filter(m -> recentMode || Arrays.binarySearch(downloaded, m.messageId()) < 0)
                .toList();
        return new Maildrop(snapshot.mailbox().id(), snapshot.mailbox().uidValidity(), offered);
    }

    long mailboxId() {
        return mailboxId;
    }

    /** How many message numbers there are, deleted ones included. */
    int size() {
        return uids.length;
    }

    /**
     * The index of message {@code number} (1-based), which must exist, not be marked deleted,
     * and still be in INBOX; otherwise the {@code -ERR} the client gets.
     */
    int index(long number) {
        if (number < 1 || number > uids.length) {
            throw Pop3Exception.err("No such message, only " + uids.length + " messages in maildrop.");
        }
        int i = (int) (number - 1);
        if (deleted[i]) {
            throw Pop3Exception.err("Message " + number + " already deleted.");
        }
        if (gone[i]) {
            throw Pop3Exception.err("No such message: message " + number + " has been deleted from INBOX in another session.");
        }
        return i;
    }

    /** True when message index {@code i} shows in listings: not marked deleted, not expunged elsewhere. */
    boolean listed(int i) {
        return !deleted[i] && !gone[i];
    }

    long size(int i) {
        return sizes[i];
    }

    String blob(int i) {
        return blobs[i];
    }

    /**
     * The unique-id of RFC 1939 §7 (UIDL): UIDVALIDITY and UID of INBOX, which together are never
     * given to another message, so they stay the same across sessions.
     */
    String uniqueId(int i) {
        return uidValidity + "." + uids[i];
    }

    /** Messages listed now and their total size (STAT, RSET). */
    long[] countAndSize() {
        long count = 0;
        long octets = 0;
        for (int i = 0; i < uids.length; i++) {
            if (listed(i)) {
                count++;
                octets += sizes[i];
            }
        }
        return new long[] {count, octets};
    }

    void delete(int i) {
        deleted[i] = true;
    }

    void retrieved(int i) {
        retrieved[i] = true;
    }

    /** RSET (RFC 1939 §5): unmarks every deleted message. */
    void undeleteAll() {
        Arrays.fill(deleted, false);
    }

    /** Every UID offered, ascending (to check against the store after missed changes). */
    long[] uids() {
        return uids.clone();
    }

    /** Marks the messages with these UIDs as expunged elsewhere; other UIDs are ignored. */
    void markGone(long[] expunged) {
        for (long uid : expunged) {
            int i = Arrays.binarySearch(uids, uid);
            if (i >= 0) {
                gone[i] = true;
            }
        }
    }

    /**
     * The UIDs QUIT commits (RFC 1939 §6): messages retrieved or marked deleted in this session
     * and still in INBOX, ascending.
     */
    long[] accessedUids() {
        return java.util.stream.IntStream.range(0, uids.length)
                .filter(i -> (deleted[i] || retrieved[i]) && !gone[i])
                .mapToLong(i -> uids[i])
                .toArray();
    }
}
