package org.postern.imap.parse;

import java.util.Objects;

/** What {@link CommandParser#parse} made of a {@link WireCommand}. */
public sealed interface ParseResult {

    /** A command, with its tag. */
    record Parsed(String tag, Command command) implements ParseResult {
        public Parsed {
            Objects.requireNonNull(tag, "tag");
            Objects.requireNonNull(command, "command");
        }
    }

    /** Not a valid command; answer {@link CommandError#responseLine()}. */
    record Failed(CommandError error) implements ParseResult {
        public Failed {
            Objects.requireNonNull(error, "error");
        }
    }
}
