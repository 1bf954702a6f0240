package org.postern.store;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The MTA-STS policies learnt from recipient domains (RFC 8461 §3.3, §5.1), kept durably so
 * that a restart does not forget a policy: until its max_age runs out, a cached policy is applied
 * even when the domain's {@code _mta-sts} TXT record vanishes or its policy cannot be fetched,
 * which is what stops a downgrade attacker. One policy per domain; a newer one replaces it.
 */
public interface MtaStsCache {

    /** RFC 8461 §3.2: max_age is at most 31557600 seconds (about a year). */
    long MAX_AGE_LIMIT = 31_557_600;

    /** The modes of §3.2, as written in a policy file. */
    Set<String> MODES = Set.of("enforce", "testing", "none");

    /**
     * One cached policy.
     *
     * @param domain    the recipient (policy) domain, lower case
     * @param id        the {@code id=} of the TXT record the policy was fetched under (1-32 letters and digits)
     * @param mode      enforce, testing or none
     * @param mx        the mx patterns, lower case ("mail.example.com", "*.example.net")
     * @param maxAge    seconds the policy may be used after it was fetched, capped at {@link #MAX_AGE_LIMIT}
     * @param fetchedAt epoch ms of the fetch
     */
    record Policy(String domain, String id, String mode, List<String> mx, long maxAge, long fetchedAt) {
        public Policy {
            domain = domain.toLowerCase(Locale.ROOT);
            if (domain.isEmpty()) {
                throw new IllegalArgumentException("an MTA-STS policy needs a domain");
            }
            if (id == null || !id.matches("[A-Za-z0-9]{1,32}")) {
                throw new IllegalArgumentException("MTA-STS policy id of " + domain + ": not 1-32 letters and digits: " + id);
            }
            if (!MODES.contains(mode)) {
                throw new IllegalArgumentException("MTA-STS policy of " + domain + ": mode must be enforce, testing or none, not " + mode);
            }
            for (String p : mx) {
                if (p.isBlank() || p.contains("\n")) {
                    throw new IllegalArgumentException("MTA-STS policy of " + domain + ": bad mx pattern '" + p + "'");
                }
            }
            mx = mx.stream().map(p -> p.toLowerCase(Locale.ROOT)).toList();
            if (maxAge < 0) {
                throw new IllegalArgumentException("MTA-STS policy of " + domain + ": negative max_age " + maxAge);
            }
            maxAge = Math.min(maxAge, MAX_AGE_LIMIT);
        }

        /** Epoch ms from which the policy must no longer be used. */
        public long expires() {
            return fetchedAt + maxAge * 1000;
        }

        public boolean expired(long now) {
            return expires() <= now;
        }
    }

    /** The cached policy of {@code domain}, expired or not (the caller decides with {@link Policy#expired}). */
    Optional<Policy> get(String domain);

    /** Stores a freshly fetched policy, replacing the domain's earlier one; durable when it returns. */
    void put(Policy policy);

    /** Removes every policy expired at {@code now}; returns how many. */
    int forgetExpired(long now);
}
