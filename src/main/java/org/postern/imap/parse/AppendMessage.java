package org.postern.imap.parse;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One message of an APPEND (RFC 9051 §6.3.12; several with MULTIAPPEND, RFC 3502).
 *
 * @param flags        the flags to set, system flags in canonical case ({@code \Seen})
 * @param internalDate the date-time the client gave, if any
 * @param content      the message; {@link Literal#isBinary()} when sent as literal8 (RFC 3516 §4.4),
 *                     borrowed from the {@link WireCommand}
 * @param utf8         sent as {@code UTF8 (~{n})} (RFC 6855 §4): the message may hold UTF-8 headers
 */
public record AppendMessage(List<String> flags, Optional<OffsetDateTime> internalDate, Literal content,
                            boolean utf8) {
    public AppendMessage {
        flags = List.copyOf(flags);
        Objects.requireNonNull(internalDate, "internalDate");
        Objects.requireNonNull(content, "content");
    }
}
