package org.postern.store;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The mailbox API every protocol uses: mail-shaped operations, each one atomic and, when it
 * returns, durable. Every change is published on {@link #changes()} after its commit.
 *
 * <p>Invariants (DESIGN.md, Data model): within a UIDVALIDITY, UIDs strictly ascend and are never
 * reused; a mailbox's MODSEQ strictly ascends; a message is stored once per account and COPY adds
 * a row, not a blob; expunged UIDs are remembered with their MODSEQ, for a bounded time.
 */
public interface MailStore extends AutoCloseable {

    ChangeBus changes();

    BlobStore blobs();

    // --- mailboxes

    List<Mailbox> mailboxes(long accountId);

    Optional<Mailbox> mailbox(long accountId, String name);

    /** The mailbox with this id, as now committed; NOT_FOUND when it was deleted. */
    Mailbox mailbox(long mailboxId);

    /** Creates one mailbox (not its parents); EXISTS when the name is taken. */
    Mailbox createMailbox(long accountId, String name, SpecialUse specialUse);

    /** Deletes a mailbox and its messages; its children stay. INBOX cannot be deleted. */
    void deleteMailbox(long accountId, String name);

    /**
     * Renames a mailbox and every mailbox below it; each gets a new UIDVALIDITY-preserving id
     * mapping (the rows keep their UIDs). Renaming INBOX moves its messages to the new mailbox
     * and leaves INBOX empty (RFC 9051 §6.3.6). Subscriptions of the renamed names follow them;
     * renaming INBOX leaves INBOX's subscription, and the new mailbox is not subscribed.
     */
    void renameMailbox(long accountId, String from, String to);

    /**
     * Adds a name to the account's subscriptions or removes it (RFC 9051 §6.3.7, §6.3.8). The
     * name need not be a mailbox, and stays subscribed when its mailbox is deleted; adding a
     * subscribed name or removing one that is not subscribed changes nothing.
     */
    void setSubscribed(long accountId, String name, boolean subscribed);

    /** The account's subscribed names, in the store's form (INBOX in capitals), sorted. */
    java.util.SortedSet<String> subscriptions(long accountId);

    // --- messages

    /** The result of adding a message to one mailbox. */
    record Added(long mailboxId, long uidValidity, long uid, long modSeq, long messageId) {}

    /** Adds a stored blob as a new message of the mailbox's account (IMAP APPEND). */
    Added append(long mailboxId, MessageData data, int flags, Set<String> keywords);

    /**
     * Delivers one message to several mailboxes, possibly of several accounts, in one
     * transaction: one message row per account, one membership row per mailbox.
     */
    List<Added> deliver(MessageData data, List<Long> mailboxIds);

    /** One copy of a delivered message: the mailbox it goes to and the flags it starts with. */
    record Copy(long mailboxId, int flags) {}

    /**
     * Delivers one message as {@code copies} and queues it for {@code outbound} (forwarding to
     * other servers), all in one transaction: either every copy is stored and every envelope
     * queued, or nothing is (DESIGN.md, Durability: a forward is never lost, never duplicated).
     * Returns one {@link Added} per copy, in order.
     */
    List<Added> deliver(MessageData data, List<Copy> copies, List<OutboundQueue.Envelope> outbound);

    /** Every message of a mailbox, ascending by UID. */
    List<StoredMessage> messages(long mailboxId);

    /** A mailbox and its messages as of one moment: what SELECT starts from. */
    record Snapshot(Mailbox mailbox, List<StoredMessage> messages) {}

    /**
     * The mailbox row and all its messages read in one transaction, so that UIDNEXT and
     * HIGHESTMODSEQ describe exactly the messages listed. NOT_FOUND when the mailbox is gone.
     */
    Snapshot snapshot(long mailboxId);

    /** The messages of a mailbox with these UIDs (ascending; missing UIDs are skipped). */
    List<StoredMessage> messages(long mailboxId, long[] uids);

    /** The parsed MIME structure of a message, as delivered. */
    byte[] structure(long messageId);

    enum FlagOp { SET, ADD, REMOVE }

    /**
     * The result of a flag change: the rows actually changed (with their new flags and MODSEQ),
     * and the UIDs left alone because their MODSEQ was above {@code unchangedSince}
     * (RFC 7162 §3.1.3).
     */
    record FlagResult(List<MailboxChange.FlagsChanged> changed, long[] modifiedSince) {}

    /**
     * Changes flags and keywords of the given UIDs. Rows whose flags would not change keep their
     * MODSEQ. {@code unchangedSince} &lt; 0 means no condition.
     */
    FlagResult setFlags(long mailboxId, long[] uids, FlagOp op, int flags, Set<String> keywords, long unchangedSince);

    /** Removes the rows with these UIDs; returns the UIDs actually removed (ascending). */
    long[] expunge(long mailboxId, long[] uids);

    /**
     * Expunges like {@link #expunge(long, long[])}, in one transaction; a message that then is in
     * no mailbox of its account goes where {@code action} says (Gmail's "expunged from the last
     * visible IMAP folder"): ARCHIVE keeps it in the account's \Archive mailbox, TRASH moves it
     * to \Trash (both without \Deleted, made with their usual names when missing), DELETE
     * removes it for good. A message expunged from the mailbox it would go to is removed for good.
     */
    long[] expunge(long mailboxId, long[] uids, ImapOptions.ExpungeAction action);

    /** A COPY or MOVE: source UIDs and the UIDs they got in the target (RFC 4315 COPYUID). */
    record CopyResult(long uidValidity, long[] sourceUids, long[] targetUids) {}

    CopyResult copy(long fromMailboxId, long[] uids, long toMailboxId);

    /** Copies then expunges the source rows in one transaction (RFC 6851). */
    CopyResult move(long fromMailboxId, long[] uids, long toMailboxId);

    /**
     * Claims \Recent (RFC 3501 §2.3.2) for one session: the messages with UIDs below
     * {@code belowUid} that no session has claimed yet become this caller's, and no other
     * session will see them as \Recent, now or after a reconnection. Returns the first UID
     * claimed: the caller's are those from it up to {@code belowUid - 1} (none when it is not
     * below {@code belowUid}). NOT_FOUND when the mailbox is gone.
     */
    long claimRecent(long mailboxId, long belowUid);

    /**
     * The first UID no session has claimed as \Recent (without claiming anything: EXAMINE and
     * STATUS), and how many messages are at or above it.
     */
    record Unclaimed(long firstUid, long count) {}

    Unclaimed unclaimedRecent(long mailboxId);

    /**
     * UIDs expunged with a MODSEQ above {@code modSeq}, ascending (QRESYNC VANISHED (EARLIER)); empty
     * when the store no longer knows them all, because it forgot the expunges up to a higher
     * MODSEQ (expunge records are kept for a bounded time).
     */
    Optional<long[]> expungedSince(long mailboxId, long modSeq);

    /** The numbers STATUS reports about a mailbox (RFC 9051 §6.3.11, STATUS=SIZE RFC 8438). */
    record Counts(long messages, long unseen, long deleted, long size) {}

    Counts counts(long mailboxId);

    /**
     * The bytes an EXPUNGE of this mailbox would free (STATUS DELETED-STORAGE, RFC 9208 §4.2.2):
     * the \Deleted messages no other mailbox holds and no undeleted row of this one, each once.
     */
    long reclaimableBytes(long mailboxId);

    /** The bytes used by an account's messages (for QUOTA). */
    long usedBytes(long accountId);

    // --- POP (RFC 1939 with Gmail's settings, PopSettings)

    /**
     * The account-wide ids (ascending) of the messages of this mailbox that a POP session has
     * downloaded or deleted and then committed with QUIT: POP does not offer them again, except
     * in Gmail's recent mode.
     */
    long[] popDownloaded(long mailboxId);

    /**
     * What a POP session's QUIT commits (RFC 1939 §6, the UPDATE state), in one transaction:
     * the messages of {@code mailboxId} with these UIDs are remembered as downloaded by POP, then
     * {@code after} is applied to them: READ adds \Seen; ARCHIVE and TRASH move them to the
     * account's \Archive or \Trash mailbox (made, with its usual name, if the account has none).
     * UIDs no longer in the mailbox are skipped; returns the UIDs handled, ascending.
     */
    long[] popUpdate(long mailboxId, long[] uids, PopSettings.AfterDownload after);

    @Override
    void close();
}
