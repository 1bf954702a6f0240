package org.postern.smtp;

import java.net.InetAddress;
import java.util.Optional;
import org.postern.net.TlsInfo;
import org.postern.store.Directory.Account;
import org.postern.store.OutboundQueue;

/**
 * What a transaction knows of its session and of MAIL FROM.
 *
 * @param connection the connection's name, for logs
 * @param remote     the client's address
 * @param helo       what the client said in EHLO/HELO
 * @param extended   EHLO (true) or HELO (false)
 * @param tls        the TLS session, if any
 * @param account    the authenticated account (submission), or null
 * @param from       the reverse-path; null for {@code <>}
 * @param body       BODY= of MAIL FROM (RFC 6152, RFC 3030)
 * @param smtputf8   SMTPUTF8 was given (RFC 6531)
 * @param options    RET, ENVID (RFC 3461) and REQUIRETLS (RFC 8689) of MAIL FROM
 */
record Envelope(String connection, InetAddress remote, String helo, boolean extended, Optional<TlsInfo> tls,
                Account account, MailPath from, OutboundQueue.Body body, boolean smtputf8, OutboundQueue.Options options) {

    /** The reverse-path without brackets; empty for the null sender. */
    String fromAddress() {
        return from == null ? "" : from.address();
    }

    /** RFC 3848 §1: the "with" word of the Received field. */
    String protocolWord() {
        String base = smtputf8 ? "UTF8SMTP" : extended ? "ESMTP" : "SMTP";
        if (!extended && !smtputf8) {
            return base;
        }
        return base + (tls.isPresent() ? "S" : "") + (account != null ? "A" : "");
    }
}
