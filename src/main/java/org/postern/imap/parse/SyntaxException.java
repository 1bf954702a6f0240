package org.postern.imap.parse;

/**
 * A command that does not follow the grammar, thrown inside the parser and turned into a
 * {@link CommandError} at its entry. The message is the detail a person needs, such as
 * {@code unknown fetch attribute BODYX}.
 */
final class SyntaxException extends Exception {
    private final CommandError.Kind kind;
    private final CommandError.Status status;
    private final String code;

    SyntaxException(String detail) {
        this(CommandError.Kind.SYNTAX, CommandError.Status.BAD, null, detail);
    }

    SyntaxException(CommandError.Kind kind, CommandError.Status status, String code, String detail) {
        super(detail, null, false, false);
        this.kind = kind;
        this.status = status;
        this.code = code;
    }

    CommandError.Kind kind() {
        return kind;
    }

    CommandError.Status status() {
        return status;
    }

    String code() {
        return code;
    }
}
