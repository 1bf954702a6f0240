package org.postern.imap;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What the IMAP server takes from the configuration.
 *
 * @param hostname              the server's name, in the greeting
 * @param maxMessageSize        the largest APPEND accepted (APPENDLIMIT)
 * @param plaintextOnLoopback   allow LOGIN without TLS from 127.0.0.0/8 and ::1
 * @param connectionsPerAccount simultaneous sessions of one account (0: no limit)
 * @param defaultQuota          storage per account unless set per account (0: none)
 * @param spoolDir              where large literals wait while they arrive
 * @param autologout            the inactivity timer (RFC 9051 §5.4: at least 30 minutes)
 */
public record ImapSettings(
        String hostname,
        long maxMessageSize,
        boolean plaintextOnLoopback,
        int connectionsPerAccount,
        long defaultQuota,
        Path spoolDir,
        Duration autologout) {

    /** RFC 9051 §5.4: the autologout timer is at least 30 minutes. */
    public static final Duration AUTOLOGOUT = Duration.ofMinutes(30);

    /** Before login the timer is short, as Dovecot's and Gmail's are: a stranger gets a minute. */
    public static final Duration LOGIN_TIMEOUT = Duration.ofMinutes(1);
}
