package org.postern.imap;

/**
 * A command that cannot be carried out for a reason the client must hear: answered with a
 * tagged {@code NO} (or {@code BAD}) and the response code, and the session goes on.
 */
final class ImapException extends RuntimeException {
    private final String status;
    private final String code;
    private final String alert;

    private ImapException(String status, String code, String text, String alert) {
        super(text);
        this.status = status;
        this.code = code;
        this.alert = alert;
    }

    /** {@code NO [CODE] text}; code may be null. */
    static ImapException no(String code, String text) {
        return new ImapException("NO", code, text, null);
    }

    /** {@code BAD [CODE] text}: the command was wrong for the protocol (syntax, state). */
    static ImapException bad(String code, String text) {
        return new ImapException("BAD", code, text, null);
    }

    /** An untagged {@code * NO [ALERT] alert} first, then {@code NO [CODE] text} (DESIGN.md). */
    static ImapException alert(String alert, String code, String text) {
        return new ImapException("NO", code, text, alert);
    }

    String status() {
        return status;
    }

    String code() {
        return code;
    }

    String alertText() {
        return alert;
    }
}
