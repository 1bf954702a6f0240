package org.postern.smtp.outbound;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.postern.dns.Dns;
import org.postern.dns.DnsException;
import org.postern.store.MtaStsCache;
import org.postern.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MTA-STS policy discovery (RFC 8461 §3, §5): the {@code _mta-sts} TXT record says a policy
 * exists and its id; the policy is fetched over HTTPS and cached, durably ({@link MtaStsCache}),
 * for its max_age.
 *
 * <ul>
 *   <li>A cached policy that has not expired is applied when the TXT record is missing or cannot
 *       be looked up, or when its fetch fails or gives no valid policy (§3.3, §5.1): an attacker
 *       who blocks DNS or HTTPS cannot downgrade a known policy before it expires, restart or not.</li>
 *   <li>A changed id means a new policy: it is fetched, and replaces the cached one only once it
 *       has been fetched and parsed; until then the old one stays in force.</li>
 *   <li>An unchanged id is not fetched again, except once a day ({@link #REFRESH}), as §3.3
 *       suggests, so a policy that is still published never runs out and a changed max_age or
 *       mode "none" is seen.</li>
 *   <li>After a failed fetch, that domain and id are not fetched again for {@link #RETRY_FETCH}
 *       (§3.3: "five minutes or longer per version ID"); this is kept in memory only.</li>
 *   <li>An expired policy is forgotten: without a live one, delivery goes on as if the domain had
 *       none.</li>
 * </ul>
 *
 * A cache that cannot be read throws {@link StoreException}: the attempt fails temporarily rather
 * than deliver without a policy that may be cached.
 */
final class MtaSts {
    private static final Logger log = LoggerFactory.getLogger(MtaSts.class);

    /** How old a cached policy may get before it is fetched again although its id is unchanged. */
    static final Duration REFRESH = Duration.ofDays(1);
    /** How long a failed fetch of one domain's policy id keeps it from being fetched again. */
    static final Duration RETRY_FETCH = Duration.ofMinutes(5);

    private final Dns dns;
    private final PolicySource fetcher;
    private final MtaStsCache cache;
    private final Clock clock;
    /** "domain id" → epoch ms of the last failed fetch. */
    private final Map<String, Long> failed = new ConcurrentHashMap<>();

    MtaSts(Dns dns, PolicySource fetcher, MtaStsCache cache, Clock clock) {
        this.dns = dns;
        this.fetcher = fetcher;
        this.cache = cache;
        this.clock = clock;
    }

    /** The policy in force for a recipient domain, if any. */
    Optional<MtaStsPolicy> policy(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        long now = clock.millis();
        Optional<MtaStsCache.Policy> cached = cache.get(d);
        if (cached.isPresent() && cached.get().expired(now)) {
            log.info("[outbound] MTA-STS policy of {} (id {}) has expired", d, cached.get().id());
            cache.forgetExpired(now);
            cached = Optional.empty();
        }
        String id;
        try {
            id = id(dns.txt("_mta-sts." + d));
        } catch (DnsException e) {
            id = null;
        }
        if (id == null) {
            return cached.map(MtaSts::policy); // §3.3: no live policy, a cached one still applies
        }
        if (cached.isPresent() && cached.get().id().equals(id) && now - cached.get().fetchedAt() < REFRESH.toMillis()) {
            return cached.map(MtaSts::policy);
        }
        String attempt = d + " " + id;
        Long lastFailure = failed.get(attempt);
        if (lastFailure != null && now - lastFailure < RETRY_FETCH.toMillis() && now >= lastFailure) {
            return cached.map(MtaSts::policy);
        }
        Optional<MtaStsPolicy> fetched;
        try {
            fetched = MtaStsPolicy.parse(fetcher.fetch(d));
            if (fetched.isEmpty()) {
                log.warn("[outbound] MTA-STS policy of {} is not a valid STSv1 policy; ignored", d);
            }
        } catch (java.io.IOException | RuntimeException e) {
            log.warn("[outbound] MTA-STS policy of {} cannot be fetched: {}", d, e.getMessage());
            fetched = Optional.empty();
        }
        if (fetched.isEmpty()) {
            if (failed.size() > 1_000) {
                failed.values().removeIf(t -> now - t >= RETRY_FETCH.toMillis() || now < t);
            }
            failed.put(attempt, now);
            if (cached.isPresent()) {
                log.info("[outbound] MTA-STS: the cached policy of {} (id {}, {}) stays in force until {}", d,
                        cached.get().id(), cached.get().mode(), java.time.Instant.ofEpochMilli(cached.get().expires()));
            }
            return cached.map(MtaSts::policy); // §5.1: a failed refetch keeps the old policy
        }
        failed.remove(attempt);
        MtaStsPolicy p = fetched.get();
        try {
            cache.put(new MtaStsCache.Policy(d, id, p.mode().word(), p.mx(), p.maxAge(), now));
        } catch (StoreException | IllegalArgumentException e) {
            // The fetched policy is applied now; it is fetched again next time.
            log.warn("[outbound] MTA-STS policy of {} cannot be cached: {}", d, e.getMessage());
        }
        if (cached.isEmpty() || !cached.get().id().equals(id)) {
            log.info("[outbound] MTA-STS policy of {} (id {}): {} for {}, max_age {}", d, id, p.mode().word(), p.mx(), p.maxAge());
        }
        return fetched;
    }

    private static MtaStsPolicy policy(MtaStsCache.Policy c) {
        return new MtaStsPolicy(MtaStsPolicy.Mode.fromWord(c.mode()), c.mx(), c.maxAge());
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
