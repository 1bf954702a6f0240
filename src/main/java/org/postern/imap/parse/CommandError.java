package org.postern.imap.parse;

import java.util.Objects;
import java.util.Optional;

/**
 * Why a command could not be read or parsed, ready to be answered.
 *
 * @param tag             the command's tag, or null when none could be read (answer untagged)
 * @param kind            what went wrong, for the session's bookkeeping (such as disconnecting a
 *                        client after many errors)
 * @param status          {@code BAD} for syntax (RFC 9051 §7.1.3), {@code NO} for a well-formed
 *                        command the server will not take (size, charset)
 * @param code            a response code without brackets, such as {@code TOOBIG} or
 *                        {@code BADCHARSET (US-ASCII UTF-8)}, or null
 * @param text            human-readable text that says what to fix; never holds CR or LF
 * @param closeConnection the input can no longer be trusted to be at a command boundary: answer,
 *                        then close the connection
 */
public record CommandError(String tag, Kind kind, Status status, String code, String text,
                           boolean closeConnection) {

    /** The response status to answer with. */
    public enum Status { BAD, NO }

    /** What went wrong. */
    public enum Kind {
        /** The line held nothing at all. */
        EMPTY_LINE,
        /** No valid tag starts the line (RFC 9051 §9 {@code tag}); answer {@code * BAD}. */
        NO_TAG,
        /** A tag but no such command, or a command this server does not implement. */
        UNKNOWN_COMMAND,
        /** The command does not follow the grammar. */
        SYNTAX,
        /** A literal or the command as a whole is over a size limit. */
        TOO_BIG,
        /** A line was longer than the line limit. */
        LINE_TOO_LONG,
        /** SEARCH/SORT/THREAD named a charset the server does not know (RFC 9051 §6.4.4). */
        BAD_CHARSET,
        /** Spooling a literal to disk failed: a server fault, to be logged. */
        SERVER_FAULT,
        /** A bug in the parser, caught rather than thrown; tests assert it never happens. */
        INTERNAL
    }

    public CommandError {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(text, "text");
        if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("response text must not hold CR or LF");
        }
    }

    static CommandError bad(String tag, Kind kind, String text) {
        return new CommandError(tag, kind, Status.BAD, null, text, false);
    }

    public Optional<String> optionalTag() {
        return Optional.ofNullable(tag);
    }

    public CommandError withCloseConnection() {
        return new CommandError(tag, kind, status, code, text, true);
    }

    /** The response line, CRLF included: {@code a1 BAD [TOOBIG] text} or {@code * BAD text}. */
    public String responseLine() {
        return (tag == null ? "*" : tag) + " " + status + (code == null ? "" : " [" + code + "]") + " " + text + "\r\n";
    }
}
