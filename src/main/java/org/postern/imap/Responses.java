package org.postern.imap;

import java.util.Set;
import org.postern.mime.ImapStrings;
import org.postern.store.Flags;

/** Response texts people read (DESIGN.md, Error texts) and small pieces of response syntax. */
final class Responses {
    private Responses() {}

    static final String INVALID_CREDENTIALS = "Invalid credentials (Failure)";
    static final String TEMPORARY_PROBLEM = "Temporary System Problem (Failure)";
    static final String TOO_MANY_CONNECTIONS = "Too many simultaneous connections. (Failure)";
    static final String IMAP_DISABLED = "Your account is not enabled for IMAP use. Please visit your settings page "
            + "and enable your account for IMAP access. (Failure)";
    static final String IMAP_DISABLED_FOR_DOMAIN = "IMAP access is disabled for your domain. Please contact your "
            + "domain administrator for questions about this feature. (Failure)";
    static final String PRIVACY_REQUIRED = "Plaintext authentication disallowed on non-secure (SSL/TLS) connections. "
            + "Use STARTTLS first, or connect to port 993. (Failure)";


    /** {@code (\Seen \Flagged $Label)}: system flags first, then keywords. */
    static String flagList(int flags, Set<String> keywords) {
        StringBuilder sb = new StringBuilder("(");
        for (String f : Flags.names(flags)) {
            if (sb.length() > 1) {
                sb.append(' ');
            }
            sb.append(f);
        }
        for (String k : keywords) {
            if (sb.length() > 1) {
                sb.append(' ');
            }
            sb.append(k);
        }
        return sb.append(')').toString();
    }

    /** An IMAP string: quoted when it can be, else a literal. */
    static String string(String s, boolean utf8) {
        return ImapStrings.string(s, utf8);
    }

    static String nstring(String s, boolean utf8) {
        return ImapStrings.nstring(s, utf8);
    }
}
