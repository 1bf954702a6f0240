package org.postern.pop3;

import java.io.IOException;
import org.postern.net.Connection;
import org.postern.net.ConnectionHandler;
import org.postern.net.IdleTimeoutException;
import org.postern.net.Line;
import org.postern.net.LineTooLongException;
import org.postern.net.Refusal;
import org.postern.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One POP3 connection from greeting to QUIT: read a line, parse it, check it against the
 * command table, run it. Errors are answered here in one place (STYLE.md 4): a bad or misplaced
 * command and a user error get {@code -ERR}, a store problem {@code -ERR [SYS/TEMP]}, a bug
 * {@code -ERR} with the stack in the log; I/O errors end the connection. Nothing reaches the
 * store before QUIT (RFC 1939 §6): a connection that ends any other way commits nothing.
 */
public final class Pop3Handler implements ConnectionHandler {
    private static final Logger log = LoggerFactory.getLogger(Pop3Handler.class);

    private final Pop3Services services;

    public Pop3Handler(Pop3Services services) {
        this.services = services;
    }

    @Override
    public void refuse(Connection c, Refusal reason) throws IOException {
        c.write("-ERR [IN-USE] " + Responses.TOO_MANY_CONNECTIONS + "\r\n");
    }

    @Override
    public void handle(Connection c) throws IOException {
        Pop3Session s = new Pop3Session(services, c);
        c.idleTimeout(services.settings().autologout()); // RFC 1939 §3, in every state
        try {
            s.out.ok(services.settings().hostname() + " " + Responses.GREETING);
            s.out.flush();
            serve(s);
            s.out.flush();
        } catch (IdleTimeoutException e) {
            // RFC 1939 §3: the autologout timer closes the connection without a response and
            // without entering the UPDATE state.
            log.info("[pop3] {} autologout after {} idle; nothing committed", c.name(), e.timeout());
        } finally {
            s.close();
        }
    }

    private void serve(Pop3Session s) throws IOException {
        while (true) {
            Line line;
            boolean close;
            try {
                line = s.connection.reader().readLine();
                if (line == null) {
                    return; // the client went away: nothing is committed
                }
                close = run(s, line);
            } catch (LineTooLongException e) {
                Pop3Exception err = Pop3Exception.err(Responses.LINE_TOO_LONG);
                close = answer(s, e.resynced() ? err : err.closing());
            }
            if (close) {
                return;
            }
            if (s.connection.reader().buffered() == 0) {
                s.out.flush(); // RFC 2449 §6.6: pipelined commands get their answers in one go
            }
        }
    }

    /** Runs one command line; true when the connection is to close. */
    private boolean run(Pop3Session s, Line line) throws IOException {
        Command command = null;
        try {
            command = CommandParser.parse(line);
            if (!CommandTable.states(command).contains(s.state())) {
                throw Pop3Exception.err(CommandTable.stateError(s.state(), command));
            }
            s.applyChanges();
            boolean quit = dispatch(s, command);
            s.errorsInARow = 0;
            return quit;
        } catch (Pop3Exception e) {
            return answer(s, e);
        } catch (StoreException e) {
            log.warn("[pop3] {} {}: {}", s.connection.name(), command == null ? "?" : command.name(), e.getMessage());
            return answer(s, Pop3Exception.err(Pop3Exception.Code.SYS_TEMP, Responses.TEMPORARY_PROBLEM));
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        } catch (RuntimeException e) {
            log.error("[pop3] {} {} failed", s.connection.name(), command == null ? "?" : command.name(), e);
            return answer(s, Pop3Exception.err("Internal error; the problem was logged."));
        }
    }

    /** Writes an {@code -ERR}; true when the connection is to close (too many errors in a row). */
    private static boolean answer(Pop3Session s, Pop3Exception e) throws IOException {
        Pop3Exception reply = e;
        if (++s.errorsInARow >= Pop3Settings.MAX_ERRORS_IN_A_ROW && !e.closeConnection()) {
            reply = Pop3Exception.err(Responses.TOO_MANY_ERRORS).closing();
        }
        s.out.err(reply);
        if (reply.closeConnection()) {
            s.out.flush();
            return true;
        }
        return false;
    }

    /** Runs a command allowed in the current state; true after QUIT. */
    private static boolean dispatch(Pop3Session s, Command c) throws IOException {
        switch (c) {
            case Command.Capa x -> AuthCommands.capa(s);
            case Command.Stls x -> AuthCommands.stls(s);
            case Command.User x -> AuthCommands.user(s, x);
            case Command.Pass x -> AuthCommands.pass(s, x);
            case Command.Auth x -> AuthCommands.auth(s, x);
            case Command.Stat x -> MaildropCommands.stat(s);
            case Command.ListMessages x -> MaildropCommands.list(s, x.message());
            case Command.Uidl x -> MaildropCommands.uidl(s, x.message());
            case Command.Retr x -> RetrieveCommands.retr(s, x);
            case Command.Top x -> RetrieveCommands.top(s, x);
            case Command.Dele x -> MaildropCommands.dele(s, x.message());
            case Command.Rset x -> MaildropCommands.rset(s);
            case Command.Noop x -> s.out.ok("");
            case Command.Quit x -> {
                if (s.state() == Pop3Session.State.TRANSACTION) {
                    MaildropCommands.update(s); // RFC 1939 §6
                } else {
                    s.out.ok(Responses.SIGNING_OFF); // RFC 1939 §4: QUIT before login changes nothing
                }
                return true;
            }
        }
        return false;
    }
}
