package org.postern.smtp;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What one SMTP listener takes from the configuration.
 *
 * @param hostname            the server's name: greeting, EHLO, Received, Message-ID, help links
 * @param role                inbound MX or submission
 * @param maxMessageSize      the largest message accepted (SIZE, RFC 1870)
 * @param maxRecipients       recipients per message; more get 452 4.5.3 (RFC 5321 §4.5.3.1.10 says at least 100)
 * @param maxErrors           error replies per session before 421
 * @param plaintextOnLoopback allow AUTH without TLS from 127.0.0.0/8 and ::1 (tests)
 * @param spoolDir            where DATA and BDAT wait while they arrive
 * @param commandTimeout      how long the server waits for the next command (RFC 5321 §4.5.3.2.7: 5 minutes)
 * @param dataTimeout         how long it waits for the next block of DATA or BDAT (RFC 5321 §4.5.3.2.5-6)
 */
public record SmtpSettings(
        String hostname,
        Role role,
        long maxMessageSize,
        int maxRecipients,
        int maxErrors,
        boolean plaintextOnLoopback,
        Path spoolDir,
        Duration commandTimeout,
        Duration dataTimeout) {

    /** Which service a listener offers. */
    public enum Role {
        /** Port 25: mail from other servers for local domains only; no AUTH. */
        MX,
        /** Ports 587 and 465: mail from an account's clients, AUTH required. */
        SUBMISSION
    }

    /**
     * Room for the fields the server adds (Received, Date, Message-ID) on top of a message of the
     * largest size: the store and queue accept this much more than clients may send.
     */
    public static final int TRACE_ROOM = 64 * 1024;
    public static final int MAX_RECIPIENTS = 100;
    public static final int MAX_ERRORS = 20;
    public static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(5);
    public static final Duration DATA_TIMEOUT = Duration.ofMinutes(10);

    public static SmtpSettings defaults(String hostname, Role role, long maxMessageSize, boolean plaintextOnLoopback,
                                        Path spoolDir) {
        return new SmtpSettings(hostname, role, maxMessageSize, MAX_RECIPIENTS, MAX_ERRORS, plaintextOnLoopback, spoolDir,
                COMMAND_TIMEOUT, DATA_TIMEOUT);
    }

    public SmtpSettings withTimeouts(Duration command, Duration data) {
        return new SmtpSettings(hostname, role, maxMessageSize, maxRecipients, maxErrors, plaintextOnLoopback, spoolDir,
                command, data);
    }

    public SmtpSettings withLimits(long messageSize, int recipients, int errors) {
        return new SmtpSettings(hostname, role, messageSize, recipients, errors, plaintextOnLoopback, spoolDir,
                commandTimeout, dataTimeout);
    }
}
