package org.postern.smtp.dmarc;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.IntSupplier;
import org.postern.dns.Dns;
import org.postern.dns.DnsException;
import org.postern.smtp.dkim.DkimResult;
import org.postern.smtp.spf.SpfResult;

/** DMARC evaluation (RFC 7489 §6.6): the policy record, identifier alignment, and the action. */
public final class Dmarc {
    private final Dns dns;
    private final IntSupplier percentile; // 0..99, for pct=

    public Dmarc(Dns dns, IntSupplier percentile) {
        this.dns = dns;
        this.percentile = percentile;
    }

    public DmarcResult evaluate(String fromDomain, SpfResult spf, List<DkimResult> dkim) {
        if (fromDomain == null || fromDomain.isEmpty()) {
            return new DmarcResult(DmarcResult.Status.NONE, null, null, DmarcResult.Action.DELIVER, "no From domain to check");
        }
        String from = fromDomain.toLowerCase(Locale.ROOT);
        String org = OrganizationalDomain.of(from);
        DmarcRecord record;
        boolean atOrg = false;
        try {
            Optional<DmarcRecord> r = lookup(from);
            if (r.isEmpty() && !org.equals(from)) { // §6.6.3 step 3
                r = lookup(org);
                atOrg = r.isPresent();
            }
            if (r.isEmpty()) {
                return new DmarcResult(DmarcResult.Status.NONE, from, null, DmarcResult.Action.DELIVER,
                        from + " publishes no DMARC policy");
            }
            record = r.get();
        } catch (DnsException e) {
            return new DmarcResult(DmarcResult.Status.TEMPERROR, from, null, DmarcResult.Action.DELIVER,
                    "DNS failure looking up the DMARC policy: " + e.getMessage());
        }
        DmarcRecord.Policy policy = atOrg ? record.sp() : record.p();
        boolean dkimAligned = dkim.stream().anyMatch(d -> d.status() == DkimResult.Status.PASS
                && aligned(d.domain(), from, record.strictDkim()));
        boolean spfAligned = spf.status() == SpfResult.Status.PASS && aligned(spf.domain(), from, record.strictSpf());
        if (dkimAligned || spfAligned) {
            return new DmarcResult(DmarcResult.Status.PASS, from, policy.word(), DmarcResult.Action.DELIVER,
                    dkimAligned ? "aligned DKIM signature" : "aligned SPF");
        }
        DmarcRecord.Policy applied = policy;
        if (record.pct() < 100 && percentile.getAsInt() >= record.pct()) {
            applied = policy.weaker(); // §6.6.4
        }
        DmarcResult.Action action = switch (applied) {
            case NONE -> DmarcResult.Action.DELIVER;
            case QUARANTINE -> DmarcResult.Action.QUARANTINE;
            case REJECT -> DmarcResult.Action.REJECT;
        };
        return new DmarcResult(DmarcResult.Status.FAIL, from, policy.word(), action,
                "neither SPF nor DKIM passed aligned with " + from);
    }

    /** §3.1: strict means the same name; relaxed the same organizational domain. */
    static boolean aligned(String authenticated, String from, boolean strict) {
        if (authenticated == null) {
            return false;
        }
        String a = authenticated.toLowerCase(Locale.ROOT);
        return strict ? a.equals(from) : OrganizationalDomain.of(a).equals(OrganizationalDomain.of(from));
    }

    private Optional<DmarcRecord> lookup(String domain) throws DnsException {
        List<String> txt;
        try {
            txt = dns.txt("_dmarc." + domain);
        } catch (DnsException.NoSuchDomain e) {
            return Optional.empty();
        }
        List<String> records = txt.stream().filter(DmarcRecord::isDmarc).toList();
        if (records.size() != 1) {
            return Optional.empty(); // §6.6.3 step 5: none, or more than one, is no policy
        }
        return DmarcRecord.parse(records.getFirst());
    }
}
