package org.postern.smtp.dmarc;

import java.util.Locale;

/**
 * The DMARC verdict for a message (RFC 7489 §6.6, RFC 8601 §2.7.1 "dmarc").
 *
 * @param fromDomain the domain of the From header, or null when there is none to check
 * @param published  the policy the domain publishes for this message (p= or sp=), or null
 * @param action     what the policy asks for this message, after pct= sampling
 */
public record DmarcResult(Status status, String fromDomain, String published, Action action, String reason) {
    public enum Status {
        PASS, FAIL, NONE, TEMPERROR, PERMERROR;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What the sender's policy asks for. */
    public enum Action { DELIVER, QUARANTINE, REJECT }
}
