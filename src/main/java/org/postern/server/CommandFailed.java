package org.postern.server;

/** A command could not do what was asked; the message says why in words for its user. */
public final class CommandFailed extends RuntimeException {
    private final int exitCode;

    public CommandFailed(String message) {
        this(message, 1);
    }

    public CommandFailed(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
