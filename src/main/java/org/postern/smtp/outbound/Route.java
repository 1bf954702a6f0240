package org.postern.smtp.outbound;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.postern.dns.Dns;
import org.postern.dns.DnsException;
import org.postern.dns.Mx;

/**
 * Where mail for a domain goes (RFC 5321 §5.1): its MX hosts by preference, hosts of equal
 * preference in random order; no MX records means the domain itself (the implicit MX); the null
 * MX of RFC 7505 means the domain takes no mail.
 */
sealed interface Route {
    /** MX host names to try, in order. */
    record Hosts(List<String> hosts, boolean implicit) implements Route {}

    /** No delivery is possible: permanent (no such domain, null MX) or for now (DNS failing). */
    record Unroutable(String reason, boolean permanent) implements Route {}

    static Route of(Dns dns, String domain) {
        List<Mx> mx;
        try {
            mx = dns.mx(domain);
        } catch (DnsException.NoSuchDomain e) {
            return new Unroutable("5.1.2 The domain " + domain + " does not exist (DNS: NXDOMAIN)", true);
        } catch (DnsException e) {
            return new Unroutable("4.4.3 Cannot look up the mail servers of " + domain + ": " + e.getMessage(), false);
        }
        if (mx.stream().anyMatch(Mx::isNull)) { // RFC 7505 §3: a null MX alongside others is misconfigured; honoured
            return new Unroutable("5.1.10 The domain " + domain + " accepts no mail (null MX, RFC 7505)", true);
        }
        if (mx.isEmpty()) {
            return new Hosts(List.of(domain), true);
        }
        List<Mx> sorted = new ArrayList<>(mx);
        Collections.shuffle(sorted); // §5.1: spread the load over hosts of equal preference
        sorted.sort((a, b) -> Integer.compare(a.preference(), b.preference()));
        List<String> hosts = new ArrayList<>();
        for (Mx m : sorted) {
            if (!hosts.contains(m.host())) {
                hosts.add(m.host());
            }
        }
        return new Hosts(hosts, false);
    }
}
