package org.postern.smtp;

import java.io.IOException;
import java.io.OutputStream;
import org.postern.net.Connection;
import org.postern.store.OutboundQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** MAIL, RCPT, DATA and BDAT: the commands that feed a {@link MailTransaction}. */
final class TransactionCommands {
    private static final Logger log = LoggerFactory.getLogger(TransactionCommands.class);

    private TransactionCommands() {}

    /** The common preconditions of MAIL, RCPT, DATA and BDAT; null when they hold. */
    private static Reply notReady(Session s) {
        if (s.mustStartTlsFirst()) {
            return Replies.MUST_STARTTLS;
        }
        if (s.helo == null) {
            return Replies.NEED_HELO;
        }
        if (s.submission() && s.account == null) {
            return Replies.authenticationRequired(s.settings.hostname());
        }
        return null;
    }

    // RFC 5321 §4.1.1.2
    static Reply mail(Session s, Command.Mail c) throws SmtpException {
        Reply r = notReady(s);
        if (r != null) {
            return r;
        }
        if (s.tx != null) {
            return Replies.NESTED_MAIL;
        }
        MailParameters p = MailParameters.parse(c.params(), s.submission(), s.connection.isTls(), s.settings.maxMessageSize());
        if (c.from() != null && !c.from().isAscii() && !p.smtputf8()) {
            return Replies.NON_ASCII_ADDRESS; // RFC 6531 §3.5
        }
        Connection conn = s.connection;
        Envelope e = new Envelope(conn.name(), conn.remoteAddress().getAddress(), s.helo, s.extended, conn.tlsInfo(),
                s.account, c.from(), p.body(), p.smtputf8(), p.options());
        MailTransaction tx = s.submission() ? new SubmissionTransaction(s.services, e) : new InboundTransaction(s.services, e);
        try {
            tx.from();
        } catch (SmtpException ex) {
            tx.close();
            throw ex;
        }
        s.tx = tx;
        return Replies.SENDER_OK;
    }

    // RFC 5321 §4.1.1.3
    static Reply rcpt(Session s, Command.Rcpt c) throws SmtpException {
        Reply r = notReady(s);
        if (r != null) {
            return r;
        }
        if (s.tx == null) {
            return Replies.NEED_MAIL;
        }
        if (s.tx.inChunks()) {
            return Reply.of(503, "5.5.1", "RCPT cannot follow BDAT");
        }
        OutboundQueue.RecipientDsn dsn = RcptParameters.parse(c.params());
        if (!c.to().isAscii() && !s.tx.envelope().smtputf8()) {
            return Replies.NON_ASCII_ADDRESS;
        }
        if (s.tx.recipients().size() >= s.settings.maxRecipients()) {
            return Replies.TOO_MANY_RECIPIENTS; // RFC 5321 §4.5.3.1.10
        }
        s.tx.recipient(c.to(), dsn);
        return Replies.RECIPIENT_OK;
    }

    /** Why DATA or BDAT cannot start the message now; null when it can. */
    private static Reply cannotSend(Session s) {
        Reply r = notReady(s);
        if (r != null) {
            return r;
        }
        if (s.tx == null) {
            return Replies.NEED_MAIL;
        }
        if (s.tx.recipients().isEmpty()) {
            return s.tx.recipientTried() ? Replies.NO_VALID_RECIPIENTS : Replies.NEED_RCPT;
        }
        return null;
    }

    // RFC 5321 §4.1.1.4
    static Reply data(Session s) throws IOException {
        Reply r = cannotSend(s);
        if (r != null) {
            return r;
        }
        if (s.tx.inChunks()) {
            return Reply.of(503, "5.5.1", "DATA cannot follow BDAT (RFC 3030 §3)");
        }
        if (s.tx.envelope().body() == OutboundQueue.Body.BINARY_MIME) {
            return Replies.BINARY_NEEDS_BDAT;
        }
        s.reply(Replies.START_DATA);
        s.connection.flush();
        DataStream in = new DataStream(s.connection.reader(), s.settings.maxMessageSize());
        long skip = s.connection.reader().maxSkipBytes();
        s.connection.idleTimeout(s.settings.dataTimeout());
        s.connection.reader().maxSkipBytes(s.settings.maxMessageSize() + 1);
        Reply refused = null;
        try {
            s.tx.data(in);
        } catch (MessageRefused e) {
            refused = e.reply();
        } catch (IOException e) {
            if (in.connectionFailed()) {
                throw e;
            }
            log.warn("[smtp] {} cannot spool a message: {}", s.connection.name(), e.toString());
            refused = Replies.TEMPORARY;
        }
        in.drain(); // to the real end of the data, whatever happened
        s.connection.idleTimeout(s.settings.commandTimeout());
        s.connection.reader().maxSkipBytes(skip);
        return finish(s, refused, in.size());
    }

    // RFC 3030 §2-3
    static Reply bdat(Session s, Command.Bdat c) throws IOException {
        Reply r = cannotSend(s);
        if (r == null && s.tx.chunkFailure().isPresent()) {
            r = s.tx.chunkFailure().get(); // the transaction failed at an earlier chunk: discard the ones in the pipeline
        }
        if (r == null && s.tx.chunkBytes() + c.size() > s.settings.maxMessageSize()) {
            r = Replies.MESSAGE_TOO_BIG;
            s.tx.failChunks(r, 0);
        }
        OutputStream sink = r == null ? s.tx.chunkSink(c.size()) : OutputStream.nullOutputStream();
        s.connection.idleTimeout(s.settings.dataTimeout());
        s.connection.reader().readExactly(c.size(), sink); // the chunk's bytes are read whatever the answer
        s.connection.idleTimeout(s.settings.commandTimeout());
        if (r != null) {
            if (c.last() && s.tx != null) {
                logTransaction(s, r, s.tx.chunkBytes());
                s.endTransaction();
            }
            return r;
        }
        if (!c.last()) {
            return Reply.of(250, "2.0.0", c.size() + " octets received");
        }
        Reply refused = null;
        try {
            s.tx.chunksComplete();
        } catch (MessageRefused e) {
            refused = e.reply();
        } catch (IOException e) {
            log.warn("[smtp] {} cannot spool a message: {}", s.connection.name(), e.toString());
            refused = Replies.TEMPORARY;
        }
        return finish(s, refused, s.tx.chunkBytes());
    }

    /** Stores the message unless it was refused, logs the transaction, ends it. */
    private static Reply finish(Session s, Reply refused, long size) {
        Reply reply = refused != null ? refused : s.tx.done();
        logTransaction(s, reply, size);
        s.endTransaction();
        return reply;
    }

    /** Rule 5 of the brief in the log: one line per transaction, never a password or a body. */
    private static void logTransaction(Session s, Reply reply, long size) {
        log.info("[smtp] {} transaction from=<{}> recipients={} size={} result={}", s.connection.name(),
                s.tx.envelope().fromAddress(), s.tx.recipients().size(), size, reply);
    }
}
