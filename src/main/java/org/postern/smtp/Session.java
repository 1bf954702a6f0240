package org.postern.smtp;

import java.io.IOException;
import org.postern.auth.LiveSessions;
import org.postern.net.Connection;
import org.postern.store.Directory.Account;

/**
 * The state of one SMTP connection, owned by its virtual thread (no locks): what EHLO said, who
 * authenticated, the open transaction, and how many errors the client has made. Behaviour lives
 * in the command classes.
 */
final class Session {
    final SmtpServices services;
    final SmtpSettings settings;
    final Connection connection;

    /** The EHLO/HELO argument; null before EHLO/HELO and after STARTTLS (RFC 3207 §4.2). */
    String helo;
    boolean extended;
    /** The authenticated account (submission), or null. */
    Account account;
    /** The authenticated session's place among the live sessions, or null. */
    LiveSessions.Registration registration;
    /** The open mail transaction, or null. */
    MailTransaction tx;
    int errors;
    /** QUIT was answered: the session is over. */
    boolean quit;

    Session(SmtpServices services, Connection connection) {
        this.services = services;
        this.settings = services.settings();
        this.connection = connection;
    }

    boolean submission() {
        return settings.role() == SmtpSettings.Role.SUBMISSION;
    }

    /** Whether a password may cross this connection: TLS, or loopback when configured (tests). */
    boolean passwordsAllowed() {
        return connection.isTls()
                || (settings.plaintextOnLoopback() && connection.remoteAddress().getAddress().isLoopbackAddress());
    }

    /** Submission on 587 before STARTTLS: only EHLO, HELO, STARTTLS, NOOP, RSET, QUIT and HELP are served. */
    boolean mustStartTlsFirst() {
        return submission() && !passwordsAllowed();
    }

    void reply(Reply r) throws IOException {
        connection.write(r.wire());
    }

    /** Ends the open transaction, removing its temporary files (RSET, EHLO, end of DATA, end of the session). */
    void endTransaction() {
        if (tx != null) {
            tx.close();
            tx = null;
        }
    }

    /** RFC 3207 §4.2: after the TLS handshake the client starts afresh with EHLO. */
    void forgetAfterTls() {
        endTransaction();
        helo = null;
        extended = false;
        signOut();
    }

    /** Forgets the authenticated account and leaves the live sessions. */
    void signOut() {
        account = null;
        if (registration != null) {
            registration.close();
            registration = null;
        }
    }
}
