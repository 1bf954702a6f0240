package org.postern.store;

import java.util.Locale;
import java.util.Optional;

/**
 * Gmail's POP settings of one account ("Forwarding and POP/IMAP"), besides the on/off switch
 * {@link Directory.Account#popEnabled()}.
 *
 * @param since 0 to offer all mail; otherwise only mail received at or after this moment
 *              (epoch ms) is offered: "Enable POP for mail that arrives from now on"
 * @param after what happens to Postern's copy once a POP client has downloaded it
 */
public record PopSettings(long since, AfterDownload after) {

    /** A new account's: all mail, and INBOX kept as it is (Gmail's defaults). */
    public static final PopSettings DEFAULT = new PopSettings(0, AfterDownload.KEEP);

    public PopSettings {
        if (since < 0) {
            throw new IllegalArgumentException("since must be 0 or a time: " + since);
        }
        java.util.Objects.requireNonNull(after, "after");
    }

    /** True when only mail that arrived after POP was switched on is offered. */
    public boolean newMailOnly() {
        return since > 0;
    }

    /** "When messages are accessed with POP". */
    public enum AfterDownload {
        /** Keep Postern's copy in INBOX. */
        KEEP,
        /** Mark Postern's copy as read (\Seen). */
        READ,
        /** Archive Postern's copy: move it to the \Archive mailbox. */
        ARCHIVE,
        /** Delete Postern's copy: move it to the \Trash mailbox. */
        TRASH;

        /** The word used on the command line and in the database: {@code archive}. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<AfterDownload> fromWord(String word) {
            for (AfterDownload a : values()) {
                if (a.word().equalsIgnoreCase(word)) {
                    return Optional.of(a);
                }
            }
            return Optional.empty();
        }
    }
}
