package org.postern.smtp.spf;

import java.util.Locale;

/** The result of an SPF check (RFC 7208 §2.6) with the domain checked and a reason for people. */
public record SpfResult(Status status, String domain, String reason) {
    public enum Status {
        NONE, NEUTRAL, PASS, FAIL, SOFTFAIL, TEMPERROR, PERMERROR;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
