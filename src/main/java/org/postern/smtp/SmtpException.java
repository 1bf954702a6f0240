package org.postern.smtp;

/**
 * A command or transaction refused with a reply the client is given; the session goes on unless
 * the reply is a {@code 421}. Thrown by parsers and transactions, caught by the session loop.
 */
public final class SmtpException extends Exception {
    private final Reply reply;

    public SmtpException(Reply reply) {
        super(reply.toString(), null, false, false);
        this.reply = reply;
    }

    public SmtpException(int code, String status, String text) {
        this(Reply.of(code, status, text));
    }

    public Reply reply() {
        return reply;
    }
}
