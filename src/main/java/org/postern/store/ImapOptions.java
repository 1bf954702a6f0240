package org.postern.store;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Gmail's IMAP settings of one account ("Forwarding and POP/IMAP"), besides the on/off switch
 * {@link Directory.Account#imapEnabled()}. IMAP sessions read them at the moment they act, so a
 * change takes effect at once, also in sessions already connected.
 *
 * @param autoExpunge     "Auto-Expunge on": a message marked \Deleted is expunged at once
 * @param onExpunge       what happens to a message expunged from the last mailbox that holds it
 * @param folderSizeLimit 0 for no limit; otherwise a selected mailbox shows only its most recent
 *                        {@code folderSizeLimit} messages ("Limit IMAP folders to contain no more
 *                        than this many messages")
 */
public record ImapOptions(boolean autoExpunge, ExpungeAction onExpunge, int folderSizeLimit) {

    /** Postern's defaults are plain IMAP (RFC 9051): expunge waits for the client and deletes. */
    public static final ImapOptions DEFAULT = new ImapOptions(false, ExpungeAction.DELETE, 0);

    /** The limits Gmail offers; any positive number is stored. */
    public static final int[] OFFERED_LIMITS = {1000, 2000, 5000, 10000};

    public ImapOptions {
        Objects.requireNonNull(onExpunge, "onExpunge");
        if (folderSizeLimit < 0) {
            throw new IllegalArgumentException("folder size limit must be 0 or more: " + folderSizeLimit);
        }
    }

    /** "When a message is marked as deleted and expunged from the last visible IMAP folder". */
    public enum ExpungeAction {
        /** "Archive the message": it stays in the account's \Archive mailbox. */
        ARCHIVE,
        /** "Move the message to the Trash". */
        TRASH,
        /** "Immediately delete the message forever". */
        DELETE;

        /** The word used on the command line, in forms and in the database: {@code trash}. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<ExpungeAction> fromWord(String word) {
            for (ExpungeAction a : values()) {
                if (a.word().equalsIgnoreCase(word)) {
                    return Optional.of(a);
                }
            }
            return Optional.empty();
        }
    }
}
