package org.postern.smtp;

import java.util.List;

/** The SMTP commands Postern knows (RFC 5321 §4.1.1, RFC 3207, RFC 4954, RFC 3030), parsed. */
sealed interface Command {

    /** An ESMTP parameter of MAIL or RCPT (RFC 5321 §4.1.2 esmtp-param): keyword in upper case, value or null. */
    record Param(String keyword, String value) {}

    record Ehlo(String domain) implements Command {}

    record Helo(String domain) implements Command {}

    /** MAIL FROM; {@code from} is null for the null reverse-path {@code <>}. */
    record Mail(MailPath from, List<Param> params) implements Command {
        public Mail {
            params = List.copyOf(params);
        }
    }

    record Rcpt(MailPath to, List<Param> params) implements Command {
        public Rcpt {
            params = List.copyOf(params);
        }
    }

    record Data() implements Command {}

    /** RFC 3030 §2: BDAT chunk-size [LAST]. */
    record Bdat(long size, boolean last) implements Command {}

    record Rset() implements Command {}

    record Noop() implements Command {}

    record Quit() implements Command {}

    record Vrfy() implements Command {}

    record Expn() implements Command {}

    record Help() implements Command {}

    record StartTls() implements Command {}

    /** RFC 4954 §4: AUTH mechanism [initial-response]; the response is null when not given. */
    record Auth(String mechanism, String initialResponse) implements Command {
        @Override
        public String toString() {
            return "Auth[" + mechanism + "]"; // never the credentials
        }
    }
}
