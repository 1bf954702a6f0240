package org.postern.store;

/**
 * A store operation failed. {@link #temporary()} tells a protocol whether to answer with its
 * "try again later" text (disk full, database busy, I/O error) or with a plain refusal
 * (no such mailbox, mailbox exists, quota exceeded).
 */
public class StoreException extends RuntimeException {
    public enum Kind {
        /** The request names something that does not exist (mailbox, message, account). */
        NOT_FOUND,
        /** The request would create something that already exists. */
        EXISTS,
        /** The request is not allowed (e.g. deleting INBOX). */
        NOT_ALLOWED,
        /** The account is over its quota. */
        OVER_QUOTA,
        /** A server-side problem that may go away: disk full, database busy, I/O error. */
        TEMPORARY
    }

    private final Kind kind;

    public StoreException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public StoreException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public boolean temporary() {
        return kind == Kind.TEMPORARY;
    }

    public static StoreException notFound(String message) {
        return new StoreException(Kind.NOT_FOUND, message);
    }

    public static StoreException temporary(String message, Throwable cause) {
        return new StoreException(Kind.TEMPORARY, message, cause);
    }
}
