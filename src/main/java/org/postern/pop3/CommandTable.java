package org.postern.pop3;

import java.util.EnumSet;
import java.util.Set;

/**
 * In which session states each command may run (RFC 1939 §§3-7, RFC 2449 §5, RFC 2595 §4,
 * RFC 5034 §4). The handler checks this before dispatch, so command code never sees a command
 * in the wrong state. A {@code switch} without {@code default}: a new command does not compile
 * until it has a row.
 */
final class CommandTable {
    private static final Set<Pop3Session.State> AUTHORIZATION = EnumSet.of(Pop3Session.State.AUTHORIZATION);
    private static final Set<Pop3Session.State> TRANSACTION = EnumSet.of(Pop3Session.State.TRANSACTION);
    private static final Set<Pop3Session.State> BOTH = EnumSet.allOf(Pop3Session.State.class);

    private CommandTable() {}

    static Set<Pop3Session.State> states(Command c) {
        return switch (c) {
            case Command.Capa x -> BOTH; // RFC 2449 §5: in any state
            case Command.Quit x -> BOTH; // RFC 1939 §6 and §4
            case Command.Stls x -> AUTHORIZATION; // RFC 2595 §4
            case Command.User x -> AUTHORIZATION;
            case Command.Pass x -> AUTHORIZATION;
            case Command.Auth x -> AUTHORIZATION; // RFC 5034 §4
            case Command.Stat x -> TRANSACTION;
            case Command.ListMessages x -> TRANSACTION;
            case Command.Retr x -> TRANSACTION;
            case Command.Dele x -> TRANSACTION;
            case Command.Noop x -> TRANSACTION;
            case Command.Rset x -> TRANSACTION;
            case Command.Top x -> TRANSACTION;
            case Command.Uidl x -> TRANSACTION;
        };
    }

    /** The answer to a command in the wrong state. */
    static String stateError(Pop3Session.State state, Command c) {
        return switch (state) {
            case AUTHORIZATION -> c.name() + " is not allowed before login.";
            case TRANSACTION -> c.name() + " is not allowed after login.";
        };
    }
}
