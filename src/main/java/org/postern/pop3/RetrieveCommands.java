package org.postern.pop3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.postern.mime.MessageSource;
import org.postern.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RETR and TOP (RFC 1939 §§5, 7): the message streams from its blob file. The file is checked
 * before {@code +OK}, so a missing or damaged one is an {@code -ERR [SYS/TEMP]} the client can
 * retry; a read that fails half-way ends the connection (the client sees no final "." and
 * keeps nothing, and nothing is committed).
 */
final class RetrieveCommands {
    private static final Logger log = LoggerFactory.getLogger(RetrieveCommands.class);

    private RetrieveCommands() {}

    static void retr(Pop3Session s, Command.Retr c) throws IOException {
        Maildrop m = s.maildrop();
        int i = m.index(c.message());
        MessageSource source = open(s, m, i);
        s.out.ok(m.size(i) + " octets");
        send(s, source, MessageWriter.ALL);
        m.retrieved(i);
    }

    static void top(Pop3Session s, Command.Top c) throws IOException {
        Maildrop m = s.maildrop();
        int i = m.index(c.message());
        MessageSource source = open(s, m, i);
        s.out.ok("top of message follows");
        send(s, source, c.lines());
    }

    private static MessageSource open(Pop3Session s, Maildrop m, int i) {
        try {
            Path file = s.services.store().blobs().verifiedPath(m.blob(i), m.size(i));
            return MessageSource.of(file);
        } catch (StoreException | IOException e) {
            log.warn("[pop3] {} cannot read a message of {}: {}", s.connection.name(), s.account().email(), e.getMessage());
            throw Pop3Exception.err(Pop3Exception.Code.SYS_TEMP, Responses.MESSAGE_UNAVAILABLE);
        }
    }

    private static void send(Pop3Session s, MessageSource source, long bodyLines) throws IOException {
        try (InputStream in = source.open(0, source.size())) {
            MessageWriter.write(in, s.connection.out(), bodyLines);
        }
    }
}
