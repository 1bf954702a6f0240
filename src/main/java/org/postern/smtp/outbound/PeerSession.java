package org.postern.smtp.outbound;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.postern.net.ClientTls;
import org.postern.net.Connection;
import org.postern.net.Line;
import org.postern.smtp.Xtext;
import org.postern.store.OutboundQueue;

/**
 * One SMTP session to a remote host, as the client (RFC 5321 §3, §4): greeting, EHLO (HELO when
 * EHLO is refused), STARTTLS when offered, EHLO again, then one transaction per {@link #send}.
 * PIPELINING (RFC 2920) groups MAIL and the RCPTs when the host offers it. Per-recipient replies
 * to RCPT decide each recipient; the reply after the data decides for all accepted ones.
 */
final class PeerSession implements AutoCloseable {
    private final Connection c;
    private final String helloName;
    private final String host;
    private final Duration commandTimeout;
    private final Duration dataTimeout;
    private Map<String, String> extensions = Map.of();

    PeerSession(Connection c, String helloName, String host, Duration commandTimeout, Duration dataTimeout) {
        this.c = c;
        this.helloName = helloName;
        this.host = host;
        this.commandTimeout = commandTimeout;
        this.dataTimeout = dataTimeout;
    }

    /** The host's name and address for logs and DSNs: "mx.example.org[192.0.2.1]". */
    String remote() {
        return host + "[" + c.remoteAddress().getAddress().getHostAddress() + "]";
    }

    boolean tls() {
        return c.isTls();
    }

    boolean offers(String extension) {
        return extensions.containsKey(extension);
    }

    /** Greeting and EHLO; throws when the host does not want the session (RFC 5321 §3.1: try the next MX). */
    void open() throws IOException, PeerException {
        c.idleTimeout(commandTimeout);
        PeerReply greeting = read();
        if (greeting.code() != 220) {
            throw new PeerException(remote() + " greeted with " + greeting.oneLine(), false);
        }
        hello();
    }

    private void hello() throws IOException, PeerException {
        PeerReply r = command("EHLO " + helloName);
        if (r.code() == 250) {
            Map<String, String> ext = new HashMap<>();
            for (int i = 1; i < r.lines().size(); i++) {
                String line = r.lines().get(i).strip();
                int sp = line.indexOf(' ');
                ext.put((sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT), sp < 0 ? "" : line.substring(sp + 1));
            }
            extensions = ext;
            return;
        }
        PeerReply helo = command("HELO " + helloName); // RFC 5321 §3.2: a server that knows no EHLO
        if (helo.code() != 250) {
            throw new PeerException(remote() + " refused EHLO and HELO: " + helo.oneLine(), false);
        }
        extensions = Map.of();
    }

    /**
     * STARTTLS (RFC 3207) and EHLO again. A refusal or a failed handshake throws; after a failed
     * handshake the connection is closed (the caller may connect again without TLS).
     */
    void startTls(ClientTls tls) throws IOException, PeerException {
        PeerReply r = command("STARTTLS");
        if (r.code() != 220) {
            throw new PeerException(remote() + " refused STARTTLS: " + r.oneLine(), false);
        }
        c.startTls(tls, host);
        hello(); // RFC 3207 §4.2: the server forgets what it said before TLS
    }

    /** The SIZE limit the host announced (RFC 1870), or 0 for none. */
    long sizeLimit() {
        String v = extensions.get("SIZE");
        try {
            return v == null || v.isBlank() ? 0 : Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * One mail transaction for {@code recipients}; a result for each. Throws when the host broke
     * off or refused the whole transaction.
     */
    List<Result> send(OutboundQueue.Envelope envelope, List<String> recipients, long size, MessageSource message)
            throws IOException, PeerException {
        boolean binary = envelope.body() == OutboundQueue.Body.BINARY_MIME;
        if (envelope.smtputf8() && !offers("SMTPUTF8")) {
            throw new PeerException("5.6.7 " + remote() + " does not offer SMTPUTF8, which the addresses of this message need "
                    + "(RFC 6531 §3.2)", true);
        }
        if (binary && !(offers("BINARYMIME") && offers("CHUNKING"))) {
            throw new PeerException("5.6.3 " + remote() + " does not accept binary messages (BINARYMIME, RFC 3030)", true);
        }
        long limit = sizeLimit();
        if (limit > 0 && size > limit) {
            throw new PeerException("5.3.4 " + remote() + " takes messages of at most " + limit + " bytes; this one has "
                    + size, true);
        }
        StringBuilder mail = new StringBuilder("MAIL FROM:<").append(envelope.mailFrom()).append('>');
        if (offers("SIZE")) {
            mail.append(" SIZE=").append(size);
        }
        if (binary) {
            mail.append(" BODY=BINARYMIME");
        } else if (envelope.body() == OutboundQueue.Body.EIGHT_BIT_MIME && offers("8BITMIME")) {
            mail.append(" BODY=8BITMIME"); // RFC 6152; without it the bytes go as they are, as Postfix does
        }
        if (envelope.smtputf8()) {
            mail.append(" SMTPUTF8");
        }
        boolean dsn = offers("DSN");
        OutboundQueue.Options options = envelope.options();
        if (dsn) { // RFC 3461 §5.2.1: the DSN parameters go on to a next hop that offers DSN
            if (options.ret() != null) {
                mail.append(" RET=").append(options.ret().name());
            }
            if (options.envid() != null) {
                mail.append(" ENVID=").append(Xtext.encode(options.envid()));
            }
        }
        if (options.requireTls()) {
            if (!offers("REQUIRETLS")) { // the caller checks first; never send such a message without it (RFC 8689 §4.2.1)
                throw new PeerException(DomainAttempt.REQUIRETLS_STATUS + " " + remote() + " does not offer REQUIRETLS, which the sender required "
                        + "(RFC 8689)", true);
            }
            mail.append(" REQUIRETLS");
        }
        List<PeerReply> rcptReplies = new ArrayList<>();
        PeerReply mailReply;
        if (offers("PIPELINING")) { // RFC 2920 §3.1: MAIL and RCPT may be grouped
            write(mail.toString());
            for (String r : recipients) {
                write(rcpt(envelope, r, dsn));
            }
            c.flush();
            mailReply = read();
            for (int i = 0; i < recipients.size(); i++) {
                rcptReplies.add(read());
            }
        } else {
            mailReply = command(mail.toString());
            if (mailReply.positive()) {
                for (String r : recipients) {
                    rcptReplies.add(command(rcpt(envelope, r, dsn)));
                }
            }
        }
        if (!mailReply.positive()) {
            if (!rcptReplies.isEmpty() || mailReply.code() != 421) {
                reset();
            }
            throw new PeerException(remote() + " said to MAIL FROM: " + mailReply.oneLine(), mailReply.permanent());
        }
        List<Result> results = new ArrayList<>();
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < recipients.size(); i++) {
            PeerReply r = rcptReplies.get(i);
            String a = recipients.get(i);
            if (r.positive()) {
                accepted.add(a);
            } else if (r.permanent()) {
                results.add(Result.permanent(a, r.oneLine(), remote()));
            } else {
                results.add(Result.temporary(a, r.oneLine(), remote()));
            }
        }
        if (accepted.isEmpty()) {
            reset();
            return results;
        }
        PeerReply last = binary ? bdat(message, size) : data(message);
        for (String a : accepted) {
            results.add(last.code() == 250 ? new Result(a, dsn ? Result.Kind.PASSED_ON : Result.Kind.RELAYED, last.oneLine(), remote())
                    : last.permanent() ? Result.permanent(a, last.oneLine(), remote())
                    : Result.temporary(a, last.oneLine(), remote()));
        }
        return results;
    }

    /** RCPT TO, with NOTIFY and ORCPT (RFC 3461 §4.1, §4.2) when the host offers DSN and the sender gave them. */
    private static String rcpt(OutboundQueue.Envelope envelope, String recipient, boolean dsn) {
        StringBuilder r = new StringBuilder("RCPT TO:<").append(recipient).append('>');
        OutboundQueue.RecipientDsn d = envelope.dsn(recipient);
        if (dsn && d.notifyWord() != null) {
            r.append(" NOTIFY=").append(d.notifyWord());
        }
        if (dsn && d.orcpt() != null) {
            int semi = d.orcpt().indexOf(';');
            r.append(" ORCPT=").append(d.orcpt(), 0, semi + 1).append(Xtext.encode(d.orcpt().substring(semi + 1)));
        }
        return r.toString();
    }

    /** Opens the message afresh for each attempt. */
    interface MessageSource {
        InputStream open() throws IOException;
    }

    // RFC 5321 §4.1.1.4
    private PeerReply data(MessageSource message) throws IOException, PeerException {
        PeerReply go = command("DATA");
        if (go.code() != 354) {
            if (go.positive()) {
                throw new PeerException(remote() + " answered DATA with " + go.oneLine(), false);
            }
            return go;
        }
        try (InputStream in = message.open()) {
            WireMessage.writeData(in, c.out());
        }
        c.flush();
        c.idleTimeout(dataTimeout);
        PeerReply r = read();
        c.idleTimeout(commandTimeout);
        return r;
    }

    // RFC 3030 §2: one chunk, the stored bytes as they are
    private PeerReply bdat(MessageSource message, long size) throws IOException, PeerException {
        write("BDAT " + size + " LAST");
        try (InputStream in = message.open()) {
            in.transferTo(c.out());
        }
        c.flush();
        c.idleTimeout(dataTimeout);
        PeerReply r = read();
        c.idleTimeout(commandTimeout);
        return r;
    }

    private void reset() throws IOException, PeerException {
        command("RSET");
    }

    /** QUIT, politely; the connection closes either way. */
    void quit() {
        try {
            write("QUIT");
            c.flush();
            c.idleTimeout(Duration.ofSeconds(10));
            read();
        } catch (IOException | PeerException | RuntimeException e) {
            // the mail is delivered or not already; the goodbye does not matter
        }
    }

    private PeerReply command(String line) throws IOException, PeerException {
        write(line);
        c.flush();
        return read();
    }

    private void write(String line) throws IOException {
        c.write(line + "\r\n");
    }

    /** One whole reply (RFC 5321 §4.2.1: "250-" lines, then "250 "). */
    PeerReply read() throws IOException, PeerException {
        List<String> lines = new ArrayList<>();
        int code = -1;
        while (true) {
            Line l = c.reader().readLine();
            if (l == null || l.ending() == Line.Ending.EOF) {
                throw new PeerException(remote() + " closed the connection", false);
            }
            String s = l.utf8Lenient();
            if (s.length() < 3 || !s.substring(0, 3).chars().allMatch(Character::isDigit)
                    || (s.length() > 3 && s.charAt(3) != ' ' && s.charAt(3) != '-')) {
                throw new PeerException(remote() + " sent something that is no SMTP reply", false);
            }
            int thisCode = Integer.parseInt(s.substring(0, 3));
            if (code >= 0 && thisCode != code) {
                throw new PeerException(remote() + " sent a reply with mixed codes", false);
            }
            code = thisCode;
            lines.add(s.length() > 4 ? s.substring(4) : "");
            if (s.length() == 3 || s.charAt(3) == ' ') {
                if (code < 200 || code > 599) {
                    throw new PeerException(remote() + " sent the reply code " + code, false);
                }
                return new PeerReply(code, lines);
            }
            if (lines.size() > 1000) {
                throw new PeerException(remote() + " sent a reply of more than 1000 lines", false);
            }
        }
    }

    @Override
    public void close() {
        c.close();
    }
}
