package org.postern.smtp;

import java.io.IOException;

/**
 * The message being received is refused (too big, bare line ends, a From the sender does not
 * own). Thrown while the message streams in, through the transaction's {@code data()}; the
 * session then reads the rest of the message, discarding it, and answers with {@link #reply()}.
 */
final class MessageRefused extends IOException {
    private final Reply reply;

    MessageRefused(Reply reply) {
        super(reply.toString());
        this.reply = reply;
    }

    Reply reply() {
        return reply;
    }
}
