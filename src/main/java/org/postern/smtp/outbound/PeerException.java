package org.postern.smtp.outbound;

/**
 * The session with one remote host ended without a result for the recipients: the host refused
 * the session, broke off or timed out. {@code permanent} only when the whole message is refused
 * for good (a 5xx to MAIL FROM, a size or SMTPUTF8 the host cannot take).
 */
final class PeerException extends Exception {
    private final String reply;
    private final boolean permanent;

    PeerException(String reply, boolean permanent) {
        super(reply, null, false, false);
        this.reply = reply;
        this.permanent = permanent;
    }

    String reply() {
        return reply;
    }

    boolean permanent() {
        return permanent;
    }
}
