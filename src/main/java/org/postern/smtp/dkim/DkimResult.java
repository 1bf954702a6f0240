package org.postern.smtp.dkim;

import java.util.Locale;

/**
 * The result of one DKIM signature (RFC 8601 §2.7.1).
 *
 * @param domain    d=, or null when the signature could not be read
 * @param selector  s=, or null
 * @param algorithm a=, or null
 * @param b         the first characters of b= (RFC 6008), or null
 * @param reason    why, in plain words, for the Authentication-Results comment
 */
public record DkimResult(Status status, String domain, String selector, String algorithm, String b, String reason) {
    public enum Status {
        PASS, FAIL, NEUTRAL, TEMPERROR, PERMERROR, POLICY;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
