package org.postern.server;

import java.util.Locale;

/** The listeners Postern knows, with their standard ports (DESIGN.md, Command line). */
public enum ListenerName {
    SMTP(25, false, "inbound mail from other servers (MX)"),
    SUBMISSION(587, false, "outgoing mail from clients, STARTTLS"),
    SUBMISSIONS(465, true, "outgoing mail from clients, TLS"),
    IMAP(143, false, "IMAP, STARTTLS"),
    IMAPS(993, true, "IMAP, TLS"),
    POP3(110, false, "POP3, STLS"),
    POP3S(995, true, "POP3, TLS"),
    HTTP(80, false, "web, redirects to HTTPS"),
    HTTPS(443, true, "web: settings, account security, autoconfiguration");

    private final int standardPort;
    private final boolean implicitTls;
    private final String purpose;

    ListenerName(int standardPort, boolean implicitTls, String purpose) {
        this.standardPort = standardPort;
        this.implicitTls = implicitTls;
        this.purpose = purpose;
    }

    /** The word used on the command line and in the configuration: {@code imaps}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public int standardPort() {
        return standardPort;
    }

    public boolean implicitTls() {
        return implicitTls;
    }

    public String purpose() {
        return purpose;
    }
}
