package org.postern.smtp.outbound;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.postern.dns.Dns;
import org.postern.dns.DnsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MTA-STS policy discovery (RFC 8461 §3, §5): the {@code _mta-sts} TXT record says a policy
 * exists and its id; the policy is fetched over HTTPS and cached for its max_age. A known id is
 * not fetched again; a failed fetch or a vanished TXT record keeps a cached policy that has not
 * expired (§5.1), so an attacker who blocks DNS or HTTPS cannot downgrade a known policy before
 * it expires. The cache lives in memory: a restart forgets it.
 */
final class MtaSts {
    private static final Logger log = LoggerFactory.getLogger(MtaSts.class);

    private record Cached(String id, MtaStsPolicy policy, long expires) {}

    private final Dns dns;
    private final PolicySource fetcher;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    MtaSts(Dns dns, PolicySource fetcher, Clock clock) {
        this.dns = dns;
        this.fetcher = fetcher;
        this.clock = clock;
    }

    /** The policy in force for a recipient domain, if any. */
    Optional<MtaStsPolicy> policy(String domain) {
        long now = clock.millis();
        Cached cached = cache.get(domain);
        if (cached != null && cached.expires() <= now) {
            cache.remove(domain);
            cached = null;
        }
        String id;
        try {
            id = id(dns.txt("_mta-sts." + domain));
        } catch (DnsException e) {
            id = null;
        }
        if (id == null) {
            return cached == null ? Optional.empty() : Optional.of(cached.policy()); // §5.1
        }
        if (cached != null && cached.id().equals(id)) {
            return Optional.of(cached.policy());
        }
        try {
            Optional<MtaStsPolicy> p = MtaStsPolicy.parse(fetcher.fetch(domain));
            if (p.isEmpty()) {
                log.warn("[outbound] MTA-STS policy of {} is not a valid STSv1 policy; ignored", domain);
                return cached == null ? Optional.empty() : Optional.of(cached.policy());
            }
            cache.put(domain, new Cached(id, p.get(), now + p.get().maxAge() * 1000));
            log.info("[outbound] MTA-STS policy of {}: {} for {}", domain, p.get().mode(), p.get().mx());
            return p;
        } catch (java.io.IOException | RuntimeException e) {
            log.warn("[outbound] MTA-STS policy of {} cannot be fetched: {}", domain, e.getMessage());
            return cached == null ? Optional.empty() : Optional.of(cached.policy());
        }
    }

    /** §3.1: exactly one TXT record starting with v=STSv1, with an id of 1-32 letters and digits. */
    static String id(List<String> txt) {
        String found = null;
        for (String t : txt) {
            if (t.startsWith("v=STSv1;") || t.equals("v=STSv1")) {
                if (found != null) {
                    return null;
                }
                found = t;
            }
        }
        if (found == null) {
            return null;
        }
        for (String field : found.split(";")) {
            String f = field.strip();
            if (f.startsWith("id=")) {
                String id = f.substring(3).strip();
                return id.matches("[A-Za-z0-9]{1,32}") ? id : null;
            }
        }
        return null;
    }
}
