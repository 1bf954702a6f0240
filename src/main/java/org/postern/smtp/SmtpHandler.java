package org.postern.smtp;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import org.postern.net.Connection;
import org.postern.net.ConnectionHandler;
import org.postern.net.IdleTimeoutException;
import org.postern.net.Line;
import org.postern.net.LineTooLongException;
import org.postern.net.Refusal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SMTP connection from the 220 greeting to the 221 (RFC 5321 §4.1, §4.3): read a command
 * line, parse it, run it, answer. Replies wait in the output buffer while pipelined commands are
 * still buffered and go out when the client would otherwise wait (RFC 2920 §3.2). Refusals are
 * replies and the session goes on; after {@link SmtpSettings#maxErrors()} of them, or an idle
 * timeout, a {@code 421} ends it. I/O errors end the connection, and the open transaction's
 * temporary files go with it.
 */
public final class SmtpHandler implements ConnectionHandler {
    private static final Logger log = LoggerFactory.getLogger(SmtpHandler.class);

    private final SmtpServices services;

    public SmtpHandler(SmtpServices services) {
        this.services = services;
    }

    @Override
    public void refuse(Connection c, Refusal reason) throws IOException {
        String host = services.settings().hostname();
        Reply r = switch (reason) {
            case TOO_MANY_FROM_ADDRESS -> Replies.tooManyConnections(host);
            case TOO_MANY_CONNECTIONS -> Reply.of(421, "4.7.0", host + " Too many connections; try again later.");
        };
        c.write(r.wire());
    }

    @Override
    public void handle(Connection c) throws IOException {
        Session s = new Session(services, c);
        c.idleTimeout(services.settings().commandTimeout()); // RFC 5321 §4.5.3.2.7
        try {
            s.reply(Replies.greeting(services.settings().hostname()));
            serve(s);
        } catch (IdleTimeoutException e) {
            try {
                s.reply(Replies.timeout(services.settings().hostname()));
                c.flush();
            } catch (IOException ignored) {
                // the client is gone too
            }
        } finally {
            s.endTransaction();
            s.signOut();
        }
    }

    private void serve(Session s) throws IOException {
        Connection c = s.connection;
        while (true) {
            if (c.reader().buffered() == 0) {
                c.flush(); // nothing more pipelined: the client waits for these replies
            }
            Line line;
            try {
                line = c.reader().readLine();
            } catch (LineTooLongException e) {
                if (!e.resynced() || answerError(s, Replies.LINE_TOO_LONG)) { // RFC 5321 §4.5.3.1.4
                    closeWith(s, Reply.of(421, "4.7.0", s.settings.hostname() + " Line too long; closing connection"));
                    return;
                }
                continue;
            }
            if (line == null || line.ending() == Line.Ending.EOF) {
                return; // the client closed; a partial command is dropped
            }
            if (!step(s, line)) {
                return;
            }
        }
    }

    /** Runs one command line; false when the session is over. */
    private boolean step(Session s, Line line) throws IOException {
        if (!line.isClean()) {
            return !answerError(s, Replies.BARE_LINE_END_COMMAND); // RFC 5321 §2.3.8
        }
        Command command;
        try {
            command = CommandParser.parse(decode(line), s.settings.hostname());
        } catch (SmtpException e) {
            if (s.tx != null && CommandParser.isRcpt(line.latin1())) {
                s.tx.rcptAttempted(); // DATA then says "no valid recipients" (RFC 2920 §3.1)
            }
            return !answerError(s, e.reply());
        }
        Reply reply;
        try {
            reply = run(s, command);
        } catch (SmtpException e) {
            reply = e.reply();
        }
        if (reply == null) {
            return !s.quit; // STARTTLS answered already, or QUIT
        }
        if (reply.code() < 400) {
            s.reply(reply);
            return true;
        }
        return !answerError(s, reply);
    }

    /** RFC 6531 §3.1: commands are UTF-8 (ASCII unless SMTPUTF8 is used); anything else is refused. */
    private static String decode(Line line) throws SmtpException {
        for (byte b : line.bytes()) {
            if (b < 0) {
                try {
                    return line.utf8();
                } catch (CharacterCodingException e) {
                    throw new SmtpException(Replies.NOT_UTF8);
                }
            }
        }
        return line.latin1();
    }

    /** Runs a command; null when its reply is already written (STARTTLS, QUIT). */
    private Reply run(Session s, Command command) throws IOException, SmtpException {
        if (s.mustStartTlsFirst() && !allowedBeforeTls(command)) {
            return Replies.MUST_STARTTLS;
        }
        return switch (command) {
            case Command.Ehlo e -> {
                s.endTransaction(); // RFC 5321 §4.1.4: EHLO resets like RSET
                s.helo = e.domain();
                s.extended = true;
                yield Ehlo.reply(s);
            }
            case Command.Helo h -> {
                s.endTransaction();
                s.helo = h.domain();
                s.extended = false;
                yield Ehlo.helo(s);
            }
            case Command.StartTls t -> startTls(s);
            case Command.Auth a -> AuthCommand.auth(s, a);
            case Command.Mail m -> TransactionCommands.mail(s, m);
            case Command.Rcpt r -> TransactionCommands.rcpt(s, r);
            case Command.Data d -> TransactionCommands.data(s);
            case Command.Bdat b -> TransactionCommands.bdat(s, b);
            case Command.Rset r -> {
                s.endTransaction();
                yield Replies.OK;
            }
            case Command.Noop n -> Replies.OK;
            case Command.Vrfy v -> Replies.VRFY; // RFC 5321 §3.5.3: no address harvesting
            case Command.Expn x -> Replies.EXPN;
            case Command.Help h -> Replies.help(s.settings.hostname());
            case Command.Quit q -> {
                closeWith(s, Replies.closing(s.settings.hostname()));
                s.quit = true;
                yield null;
            }
        };
    }

    /** BDAT passes too: it answers 530 itself, after reading its chunk, which must never be taken for commands. */
    private static boolean allowedBeforeTls(Command c) {
        return c instanceof Command.Ehlo || c instanceof Command.Helo || c instanceof Command.StartTls
                || c instanceof Command.Noop || c instanceof Command.Rset || c instanceof Command.Quit
                || c instanceof Command.Help || c instanceof Command.Bdat;
    }

    // RFC 3207 §4
    private static Reply startTls(Session s) throws IOException {
        if (s.connection.isTls()) {
            return Replies.ALREADY_TLS;
        }
        if (s.account != null) {
            return Replies.TLS_AFTER_AUTH; // an upgraded authenticated session invites session fixation
        }
        if (!s.connection.canStartTls()) {
            return Replies.TLS_UNAVAILABLE;
        }
        s.reply(Replies.READY_FOR_TLS);
        int dropped = s.connection.startTls(); // flushes, then drops what was pipelined behind STARTTLS (RFC 3207 §4.2)
        if (dropped > 0) {
            log.info("[smtp] {} sent {} bytes behind STARTTLS; discarded", s.connection.name(), dropped);
        }
        s.forgetAfterTls();
        return null; // the 220 is written; the client speaks next, inside TLS
    }

    /** Writes an error reply; true when the client has used up its errors and the session was closed. */
    private static boolean answerError(Session s, Reply r) throws IOException {
        s.reply(r);
        if (++s.errors >= s.settings.maxErrors()) {
            log.info("[smtp] {} too many errors ({}); closing", s.connection.name(), s.errors);
            closeWith(s, Replies.tooManyErrors(s.settings.hostname()));
            return true;
        }
        return false;
    }

    private static void closeWith(Session s, Reply r) throws IOException {
        s.reply(r);
        s.connection.flush();
    }
}
