package org.postern.pop3;

/**
 * A command that gets {@code -ERR}: a syntax error, a user error, or a server problem the
 * client may retry later. Thrown by the command code, written in one place by
 * {@link Pop3Handler} (STYLE.md 4). It carries no stack: it is an answer, not a fault.
 */
final class Pop3Exception extends RuntimeException {

    /** The response codes of RFC 2449 §8 and RFC 3206 §4 that Postern uses. */
    enum Code {
        /** RFC 3206 §4: the credentials were refused, or may not be sent this way. */
        AUTH("AUTH"),
        /** RFC 3206 §4: a temporary problem on the server; try again later. */
        SYS_TEMP("SYS/TEMP"),
        /** RFC 3206 §4: a permanent refusal that a person must fix (POP switched off). */
        SYS_PERM("SYS/PERM"),
        /** RFC 2449 §8.1.2: the maildrop is locked by another session, or too many sessions. */
        IN_USE("IN-USE");

        private final String word;

        Code(String word) {
            this.word = word;
        }

        String word() {
            return word;
        }
    }

    private final Code code;
    private final boolean closeConnection;

    private Pop3Exception(Code code, String text, boolean closeConnection) {
        super(text, null, false, false);
        this.code = code;
        this.closeConnection = closeConnection;
    }

    static Pop3Exception err(String text) {
        return new Pop3Exception(null, text, false);
    }

    static Pop3Exception err(Code code, String text) {
        return new Pop3Exception(code, text, false);
    }

    /** The same answer, after which the server closes the connection. */
    Pop3Exception closing() {
        return new Pop3Exception(code, getMessage(), true);
    }

    Code code() {
        return code;
    }

    boolean closeConnection() {
        return closeConnection;
    }

    /** {@code -ERR [CODE] text}, without the line end. */
    String responseLine() {
        return "-ERR " + (code == null ? "" : "[" + code.word() + "] ") + getMessage();
    }
}
