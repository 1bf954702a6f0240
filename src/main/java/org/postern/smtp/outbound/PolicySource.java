package org.postern.smtp.outbound;

import java.io.IOException;

/**
 * Where MTA-STS policy files come from: {@link PolicyFetcher} over HTTPS (RFC 8461 §3.3), or a
 * test's answers.
 */
@FunctionalInterface
public interface PolicySource {
    /** The text of {@code https://mta-sts.DOMAIN/.well-known/mta-sts.txt}; throws with a reason when there is none. */
    String fetch(String domain) throws IOException;
}
