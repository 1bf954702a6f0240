package org.postern.pop3;

/** The texts people read (DESIGN.md, Error texts), in one place so tests and docs agree. */
final class Responses {
    private Responses() {}

    static final String GREETING = "Postern POP3 server ready.";
    static final String INVALID_CREDENTIALS = "Username and password not accepted.";
    static final String POP_DISABLED = "Your account is not enabled for POP access. Please visit your settings page "
            + "and enable your account for POP access.";
    static final String PLAINTEXT_DISALLOWED = "Plain-text authentication is not allowed without TLS. "
            + "Use STLS first, or connect with SSL/TLS (port 995).";
    static final String TOO_MANY_CONNECTIONS = "Too many simultaneous connections.";
    static final String MAILDROP_IN_USE = "Another POP session of this account is still open. "
            + "Wait until it has ended, then try again.";
    static final String TEMPORARY_PROBLEM = "Temporary system problem. Please try again later.";
    static final String MESSAGE_UNAVAILABLE = "This message cannot be read right now. Please try again later.";
    static final String UPDATE_FAILED = "Temporary system problem: the messages of this session were not updated "
            + "and will be offered again. Please try again later.";
    static final String TOO_MANY_FAILURES = "Too many failed logins; closing the connection.";
    static final String TOO_MANY_ERRORS = "Too many invalid commands; closing the connection.";
    static final String LINE_TOO_LONG = "Line too long.";
    static final String SIGNING_OFF = "Postern POP3 server signing off.";

}
