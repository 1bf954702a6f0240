package org.postern.imap.parse;

/**
 * What {@link CommandReader#read} found. Hold it in a try-with-resources block: closing a
 * {@link Received} deletes the command's spooled literals.
 */
public sealed interface ReadResult extends AutoCloseable {

    /** Releases the command's literals, if any. Never throws. */
    @Override
    default void close() {
    }

    /** A complete command, ready for {@link CommandParser#parse}. */
    record Received(WireCommand command) implements ReadResult {
        @Override
        public void close() {
            command.close();
        }
    }

    /**
     * A command that could not be read: answer {@link CommandError#responseLine()}, then close the
     * connection if {@link CommandError#closeConnection()} says so. Any data the client sent
     * with it has been consumed or, for a synchronizing literal, was never asked for.
     */
    record Rejected(CommandError error) implements ReadResult {
    }

    /** The client closed the connection (possibly in the middle of a command). */
    record EndOfInput() implements ReadResult {
    }
}
