package org.postern.store;

import java.util.Set;

/**
 * A committed change to a mailbox, published to every session watching it, in commit order.
 * Changes carry UIDs and MODSEQs, never sequence numbers: each session maps them onto its own
 * view when RFC 9051 §7 lets it (STYLE.md 6).
 */
public sealed interface MailboxChange {
    long mailboxId();

    long modSeq();

    /** A message was added (append, delivery, copy, move). */
    record Appended(long mailboxId, long uid, long modSeq, long messageId, int flags, Set<String> keywords)
            implements MailboxChange {}

    /** A message's flags or keywords changed; the record holds the new, complete set. */
    record FlagsChanged(long mailboxId, long uid, long modSeq, int flags, Set<String> keywords)
            implements MailboxChange {}

    /** Messages were expunged (also the source side of a move). {@code uids} ascend. */
    record Expunged(long mailboxId, long[] uids, long modSeq) implements MailboxChange {}

    /** The mailbox was deleted or renamed away: sessions that have it selected must leave it. */
    record Gone(long mailboxId, long modSeq) implements MailboxChange {}
}
