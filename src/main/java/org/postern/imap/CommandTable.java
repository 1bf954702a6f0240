package org.postern.imap;

import java.util.EnumSet;
import java.util.Set;
import org.postern.imap.Session.State;
import org.postern.imap.parse.Command;

/**
 * For each command: the states it is allowed in, and whether it uses sequence numbers (then no
 * EXPUNGE response may be sent while it runs, RFC 9051 §7.5.1). The dispatcher checks both in
 * one place (STYLE.md 3, after Dovecot's command flags).
 */
final class CommandTable {
    private CommandTable() {}

    record Rule(Set<State> states, boolean usesSequenceNumbers) {}

    private static final Set<State> ANY = EnumSet.of(State.NOT_AUTHENTICATED, State.AUTHENTICATED, State.SELECTED);
    private static final Set<State> NOT_AUTH = EnumSet.of(State.NOT_AUTHENTICATED);
    private static final Set<State> AUTH = EnumSet.of(State.AUTHENTICATED, State.SELECTED);
    private static final Set<State> SELECTED = EnumSet.of(State.SELECTED);

    static Rule rule(Command c) {
        return switch (c) {
            case Command.Capability x -> new Rule(ANY, false);
            case Command.Noop x -> new Rule(ANY, false);
            case Command.Logout x -> new Rule(ANY, false);
            case Command.Id x -> new Rule(ANY, false);
            case Command.Enable x -> new Rule(AUTH, false);
            case Command.StartTls x -> new Rule(NOT_AUTH, false);
            case Command.Authenticate x -> new Rule(NOT_AUTH, false);
            case Command.Login x -> new Rule(NOT_AUTH, false);
            case Command.Compress x -> new Rule(AUTH, false);
            case Command.Select x -> new Rule(AUTH, false);
            case Command.Create x -> new Rule(AUTH, false);
            case Command.Delete x -> new Rule(AUTH, false);
            case Command.Rename x -> new Rule(AUTH, false);
            case Command.Subscribe x -> new Rule(AUTH, false);
            case Command.Unsubscribe x -> new Rule(AUTH, false);
            case Command.ListMailboxes x -> new Rule(AUTH, false);
            case Command.Lsub x -> new Rule(AUTH, false);
            case Command.Namespace x -> new Rule(AUTH, false);
            case Command.Status x -> new Rule(AUTH, false);
            case Command.Append x -> new Rule(AUTH, false);
            case Command.Idle x -> new Rule(AUTH, false);
            case Command.GetQuota x -> new Rule(AUTH, false);
            case Command.GetQuotaRoot x -> new Rule(AUTH, false);
            case Command.SetQuota x -> new Rule(AUTH, false);
            case Command.Check x -> new Rule(SELECTED, false);
            case Command.Close x -> new Rule(SELECTED, false);
            case Command.Unselect x -> new Rule(SELECTED, false);
            case Command.Expunge x -> new Rule(SELECTED, false);
            case Command.Search x -> new Rule(SELECTED, !x.uid());
            case Command.Fetch x -> new Rule(SELECTED, !x.uid());
            case Command.Store x -> new Rule(SELECTED, !x.uid());
            case Command.Copy x -> new Rule(SELECTED, !x.uid());
            case Command.Move x -> new Rule(SELECTED, !x.uid());
            case Command.Sort x -> new Rule(SELECTED, !x.uid());
            case Command.Thread x -> new Rule(SELECTED, !x.uid());
        };
    }
}
