package org.postern.pop3;

import java.util.OptionalLong;

/**
 * The POP3 commands, parsed (RFC 1939 §§4-7, CAPA RFC 2449 §5, AUTH RFC 5034 §4, STLS RFC 2595
 * §4). Message numbers stay as the client wrote them (1-based, possibly out of range); the
 * {@link Maildrop} decides whether they name a message.
 */
sealed interface Command {

    /** The keyword as RFC 1939 spells it, for logs and error texts. */
    String name();

    record Capa() implements Command {
        public String name() {
            return "CAPA";
        }
    }

    record Stls() implements Command {
        public String name() {
            return "STLS";
        }
    }

    record User(String user) implements Command {
        public String name() {
            return "USER";
        }
    }

    /** {@link #toString()} hides the password: commands may be logged. */
    record Pass(String password) implements Command {
        public String name() {
            return "PASS";
        }

        @Override
        public String toString() {
            return "Pass[***]";
        }
    }

    /**
     * AUTH with a mechanism and an optional initial response (RFC 5034 §4), or without any
     * argument: the mechanism list that RFC 1734 clients (Outlook among them) still ask for.
     */
    record Auth(String mechanism, String initialResponse) implements Command {
        public String name() {
            return "AUTH";
        }

        @Override
        public String toString() {
            return "Auth[" + mechanism + (initialResponse == null ? "" : ", ***") + "]";
        }
    }

    record Stat() implements Command {
        public String name() {
            return "STAT";
        }
    }

    /** LIST with or without a message number. */
    record ListMessages(OptionalLong message) implements Command {
        public String name() {
            return "LIST";
        }
    }

    record Retr(long message) implements Command {
        public String name() {
            return "RETR";
        }
    }

    record Dele(long message) implements Command {
        public String name() {
            return "DELE";
        }
    }

    record Noop() implements Command {
        public String name() {
            return "NOOP";
        }
    }

    record Rset() implements Command {
        public String name() {
            return "RSET";
        }
    }

    record Quit() implements Command {
        public String name() {
            return "QUIT";
        }
    }

    /** TOP msg n: the header and the first {@code lines} lines of the body (RFC 1939 §7). */
    record Top(long message, long lines) implements Command {
        public String name() {
            return "TOP";
        }
    }

    /** UIDL with or without a message number. */
    record Uidl(OptionalLong message) implements Command {
        public String name() {
            return "UIDL";
        }
    }
}
