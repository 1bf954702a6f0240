package org.postern.pop3;

import java.time.Duration;

/**
 * What the POP3 server takes from the configuration.
 *
 * @param hostname              the server's name, in the greeting
 * @param plaintextOnLoopback   allow USER/PASS and AUTH without TLS from 127.0.0.0/8 and ::1
 * @param connectionsPerAccount simultaneous IMAP and POP3 sessions of one account (0: no limit)
 * @param autologout            the inactivity timer (RFC 1939 §3: at least 10 minutes)
 * @param recentWindow          how far back recent mode reaches (Gmail: 30 days)
 */
public record Pop3Settings(
        String hostname,
        boolean plaintextOnLoopback,
        int connectionsPerAccount,
        Duration autologout,
        Duration recentWindow) {

    /** RFC 1939 §3: an inactivity autologout timer, if any, of at least 10 minutes. */
    public static final Duration AUTOLOGOUT = Duration.ofMinutes(10);

    /** Gmail's recent mode: the last 30 days of mail. */
    public static final Duration RECENT_WINDOW = Duration.ofDays(30);

    /** Failed logins on one connection before it is closed. */
    static final int MAX_FAILED_LOGINS = 3;

    /** Rejected commands in a row before the connection is closed (garbage, a confused client). */
    static final int MAX_ERRORS_IN_A_ROW = 20;
}
