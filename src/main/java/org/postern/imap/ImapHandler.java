package org.postern.imap;

import java.io.IOException;
import org.postern.imap.AuthCommands.Done;
import org.postern.imap.parse.Command;
import org.postern.imap.parse.CommandError;
import org.postern.imap.parse.CommandParser;
import org.postern.imap.parse.CommandReader;
import org.postern.imap.parse.ParseOptions;
import org.postern.imap.parse.ParseResult;
import org.postern.imap.parse.ReadResult;
import org.postern.imap.parse.ReaderLimits;
import org.postern.net.Connection;
import org.postern.net.ConnectionHandler;
import org.postern.net.IdleTimeoutException;
import org.postern.net.Refusal;
import org.postern.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One IMAP connection from greeting to BYE: read a command, check it against the command table,
 * run its handler, tell the client what changed elsewhere, answer with the tagged response.
 * Errors are caught here in one place (STYLE.md 4): syntax → BAD, user error → NO [CODE],
 * server fault → NO [SERVERBUG] with the stack in the log; I/O errors end the connection.
 */
public final class ImapHandler implements ConnectionHandler {
    private static final Logger log = LoggerFactory.getLogger(ImapHandler.class);
    /** Literals of ordinary commands (not APPEND) stay below this before login and after. */
    static final long MAX_COMMAND_BYTES = 64 * 1024;

    private final ImapServices services;
    private final CommandParser parser = new CommandParser();

    public ImapHandler(ImapServices services) {
        this.services = services;
    }

    @Override
    public void refuse(Connection c, Refusal reason) throws IOException {
        c.write("* BYE [UNAVAILABLE] " + Responses.TOO_MANY_CONNECTIONS + "\r\n");
    }

    @Override
    public void handle(Connection c) throws IOException {
        c.idleTimeout(ImapSettings.LOGIN_TIMEOUT);
        ReaderLimits limits = Capabilities.readerLimits(Session.State.NOT_AUTHENTICATED, MAX_COMMAND_BYTES,
                services.settings().maxMessageSize());
        CommandReader reader = new CommandReader(c.reader(), limits, services.settings().spoolDir());
        Session s = new Session(services, c, reader);
        try {
            s.out.untagged("OK [CAPABILITY " + Capabilities.list(s, AuthCommands.loginAllowed(s)) + "] Postern ready.");
            s.out.flush();
            serve(s);
        } catch (IdleTimeoutException e) {
            bye(s, "Autologout; idle for too long");
        } finally {
            s.close();
        }
    }

    private void serve(Session s) throws IOException {
        while (s.state() != Session.State.LOGOUT) {
            if (s.terminated() != null) {
                bye(s, s.terminated());
                return;
            }
            try (ReadResult r = s.reader.read(() -> continuation(s))) {
                s.answering.lock();
                try {
                    if (!answer(s, r)) {
                        return;
                    }
                } finally {
                    s.answering.unlock();
                }
            }
        }
    }

    /** Answers what the reader found; false when the connection is to end. */
    private boolean answer(Session s, ReadResult r) throws IOException {
        switch (r) {
            case ReadResult.EndOfInput end -> {
                return false;
            }
            case ReadResult.Rejected rejected -> {
                CommandError e = rejected.error();
                s.out.text(e.responseLine());
                if (e.closeConnection()) {
                    bye(s, "Too much invalid input; closing the connection");
                    return false;
                }
                s.out.flush();
            }
            case ReadResult.Received received -> {
                ParseResult p = parser.parse(received.command(), s.utf8Accept ? ParseOptions.UTF8 : ParseOptions.DEFAULT);
                switch (p) {
                    case ParseResult.Failed f -> {
                        s.out.text(f.error().responseLine());
                        s.out.flush();
                    }
                    case ParseResult.Parsed parsed -> run(s, parsed.tag(), parsed.command());
                }
            }
        }
        return true;
    }

    /** {@code + Ready for literal data}, written under the session's answering lock. */
    private static void continuation(Session s) throws IOException {
        s.answering.lock();
        try {
            if (s.terminated() != null) {
                throw new java.io.EOFException("session terminated");
            }
            s.out.continuation("Ready for literal data");
        } finally {
            s.answering.unlock();
        }
    }

    /** Runs one command and answers it. */
    private void run(Session s, String tag, Command command) throws IOException {
        CommandTable.Rule rule = CommandTable.rule(command);
        if (!rule.states().contains(s.state())) {
            s.out.tagged(tag, "BAD", null, stateError(s.state(), command));
            s.out.flush();
            return;
        }
        if (command instanceof Command.Logout) {
            s.out.untagged("BYE Postern logging out");
            s.out.tagged(tag, "OK", null, "LOGOUT completed (Success)");
            s.out.flush();
            s.loggingOut();
            return;
        }
        boolean wasAuthenticated = s.state() != Session.State.NOT_AUTHENTICATED;
        try {
            Done done = dispatch(s, tag, command);
            s.flushUpdates(!rule.usesSequenceNumbers());
            s.out.tagged(tag, "OK", done.code(), done.text());
            s.out.flush();
            if (command instanceof Command.Compress) {
                s.connection.startCompression(); // RFC 4978 §3: right after the OK's CRLF
            }
            if (command instanceof Command.StartTls) {
                int dropped = s.connection.startTls();
                if (dropped > 0) {
                    log.info("[imap] {} sent {} bytes after STARTTLS before the handshake; discarded", s.connection.name(), dropped);
                }
            }
        } catch (ImapException e) {
            answer(s, tag, rule, e);
        } catch (StoreException e) {
            if (e.temporary()) {
                log.warn("[imap] {} {}: {}", s.connection.name(), command.name(), e.getMessage());
            }
            answer(s, tag, rule, Session.fromStore(e));
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        } catch (RuntimeException e) {
            log.error("[imap] {} {} failed", s.connection.name(), command.name(), e);
            answer(s, tag, rule, ImapException.no("SERVERBUG", "Internal error; the problem was logged (Failure)"));
        }
        if (!wasAuthenticated && s.state() != Session.State.NOT_AUTHENTICATED) {
            s.connection.idleTimeout(services.settings().autologout());
        }
    }

    private static void answer(Session s, String tag, CommandTable.Rule rule, ImapException e) throws IOException {
        if (e.alertText() != null) {
            s.out.untagged("NO [ALERT] " + e.alertText());
        }
        s.flushUpdates(!rule.usesSequenceNumbers());
        s.out.tagged(tag, e.status(), e.code(), e.getMessage());
        s.out.flush();
    }

    private static String stateError(Session.State state, Command c) {
        return switch (state) {
            case NOT_AUTHENTICATED -> c.name() + " needs a login first";
            case AUTHENTICATED -> c instanceof Command.Login || c instanceof Command.Authenticate || c instanceof Command.StartTls
                    ? "Already logged in" : c.name() + " needs a selected mailbox (SELECT or EXAMINE first)";
            case SELECTED -> "Already logged in";
            case LOGOUT -> "Logging out";
        };
    }

    private Done dispatch(Session s, String tag, Command c) throws IOException {
        return switch (c) {
            case Command.Capability x -> AuthCommands.capability(s);
            case Command.Noop x -> new Done(null, "NOOP completed (Success)");
            case Command.Logout x -> throw new IllegalStateException("handled before dispatch");
            case Command.Id x -> AuthCommands.id(s, x);
            case Command.Enable x -> AuthCommands.enable(s, x);
            case Command.StartTls x -> AuthCommands.startTls(s);
            case Command.Authenticate x -> AuthCommands.authenticate(s, x);
            case Command.Login x -> AuthCommands.login(s, x);
            case Command.Select x -> SelectCommands.select(s, x);
            case Command.Create x -> MailboxCommands.create(s, x);
            case Command.Delete x -> MailboxCommands.delete(s, x);
            case Command.Rename x -> MailboxCommands.rename(s, x);
            case Command.Subscribe x -> MailboxCommands.subscribe(s, x.mailbox(), true);
            case Command.Unsubscribe x -> MailboxCommands.subscribe(s, x.mailbox(), false);
            case Command.ListMailboxes x -> ListCommand.list(s, x);
            case Command.Lsub x -> ListCommand.lsub(s, x);
            case Command.Namespace x -> MailboxCommands.namespace(s);
            case Command.Status x -> MailboxCommands.status(s, x);
            case Command.Append x -> AppendCommand.append(s, x);
            case Command.Idle x -> IdleCommand.idle(s);
            case Command.Check x -> new Done(null, "CHECK completed (Success)");
            case Command.Close x -> SelectCommands.close(s);
            case Command.Unselect x -> SelectCommands.unselect(s);
            case Command.Expunge x -> MessageCommands.expunge(s, x);
            case Command.Fetch x -> FetchCommand.fetch(s, x);
            case Command.Store x -> MessageCommands.store(s, x);
            case Command.Copy x -> MessageCommands.copy(s, x.set(), x.uid(), x.destination(), false);
            case Command.Move x -> MessageCommands.copy(s, x.set(), x.uid(), x.destination(), true);
            case Command.Search x -> SearchCommand.search(s, tag, x);
            case Command.Compress x -> CompressCommand.compress(s, x);
            case Command.GetQuota x -> QuotaCommands.getQuota(s, x);
            case Command.GetQuotaRoot x -> QuotaCommands.getQuotaRoot(s, x);
            case Command.SetQuota x -> QuotaCommands.setQuota(s, x);
            case Command.Sort x -> SortCommand.sort(s, tag, x);
            case Command.Thread x -> ThreadCommand.thread(s, x);
        };
    }

    private static ImapException notAdvertised(Command c) {
        return ImapException.bad(null, c.name() + " is not supported by this server (see CAPABILITY)");
    }

    private static void bye(Session s, String text) {
        try {
            s.out.untagged("BYE " + text);
            s.out.flush();
        } catch (IOException ignored) {
            // the client is gone already
        }
    }
}
