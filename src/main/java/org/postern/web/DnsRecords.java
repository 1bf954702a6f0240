package org.postern.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.postern.smtp.dkim.DkimKeys;

/**
 * Every DNS record a domain should publish for Postern, in zone-file form: MX, SPF, DKIM (when
 * its keys exist), DMARC, MTA-STS and TLS reporting, the RFC 6186 / RFC 8314 SRV records, and
 * the autoconfig and autodiscover names. Used by {@code postern dns show DOMAIN} and the admin page.
 *
 * <p>The DKIM records are those of the keys that sign outgoing mail ({@link DkimKeys}); a domain
 * without keys gets none here (they are never made as a side effect of looking).
 */
public final class DnsRecords {
    /** One record; {@code note} says why it is there (printed as a comment). */
    public record Record(String name, String type, String value, String note) {
        /** The zone-file line. */
        public String line() {
            return String.format(Locale.ROOT, "%-40s 3600 IN %-5s %s", name, type, value);
        }
    }

    /** What the records are built from. {@code ports}: each mail listener's word and its configured port, or -1 when off. */
    public record Input(String domain, String hostname, Map<String, Integer> ports, DkimKeys dkim) {}

    private DnsRecords() {}

    /** The records, and whether DKIM keys were found (when not, a comment says so instead of a record). */
    public record Result(List<Record> records, boolean dkimConfigured, List<String> problems) {}

    public static Result of(Input in) {
        String d = in.domain().toLowerCase(Locale.ROOT) + ".";
        String host = in.hostname().toLowerCase(Locale.ROOT) + ".";
        List<Record> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        out.add(new Record(d, "MX", "10 " + host, "mail for the domain goes to this server"));
        out.add(new Record(d, "TXT", "\"v=spf1 mx -all\"", "SPF: only the domain's MX sends its mail"));
        boolean dkim = false;
        String domain = in.domain().toLowerCase(Locale.ROOT);
        if (in.dkim().exists(domain)) {
            try {
                for (DkimKeys.Key k : in.dkim().keys(domain)) {
                    out.add(new Record(k.selector() + "._domainkey." + d, "TXT", quoteTxt(k.dnsRecord()),
                            "DKIM " + k.algorithm().keyType() + " key: outgoing mail of " + domain + " is signed with it"));
                }
                dkim = true;
            } catch (IOException e) {
                problems.add("the DKIM keys of " + domain + " cannot be read: " + e.getMessage());
            }
        }
        out.add(new Record("_dmarc." + d, "TXT", "\"v=DMARC1; p=quarantine; adkim=r; aspf=r\"",
                "DMARC: mail that fails both SPF and DKIM goes to spam"));
        out.add(new Record("mta-sts." + d, "CNAME", host, "serves the MTA-STS policy at https://mta-sts." + in.domain() + "/.well-known/mta-sts.txt"));
        out.add(new Record("_mta-sts." + d, "TXT", "\"v=STSv1; id=" + Math.abs(host.hashCode()) + "\"",
                "MTA-STS (RFC 8461): change the id whenever the policy changes"));
        out.add(new Record("_smtp._tls." + d, "TXT", "\"v=TLSRPTv1; rua=mailto:postmaster@" + in.domain() + "\"", "TLS reporting (RFC 8460)"));
        srv(out, in, d, host, "_imaps._tcp.", "imaps", 0);
        srv(out, in, d, host, "_imap._tcp.", "imap", 10);
        srv(out, in, d, host, "_submissions._tcp.", "submissions", 0);
        srv(out, in, d, host, "_submission._tcp.", "submission", 10);
        srv(out, in, d, host, "_pop3s._tcp.", "pop3s", 20);
        srv(out, in, d, host, "_pop3._tcp.", "pop3", 30);
        out.add(new Record("autoconfig." + d, "CNAME", host, "Thunderbird's autoconfiguration"));
        out.add(new Record("autodiscover." + d, "CNAME", host, "Outlook's Autodiscover"));
        int https = in.ports().getOrDefault("https", -1);
        if (https > 0) {
            out.add(new Record("_autodiscover._tcp." + d, "SRV", "0 1 " + https + " " + host, "Outlook's Autodiscover (SRV)"));
        }
        return new Result(out, dkim, problems);
    }

    /** RFC 6186 §4: a service not offered has the target "." so clients do not look for it. */
    private static void srv(List<Record> out, Input in, String d, String host, String label, String listener, int priority) {
        int port = in.ports().getOrDefault(listener, -1);
        if (port > 0) {
            out.add(new Record(label + d, "SRV", priority + " 1 " + port + " " + host, listener + " (RFC 6186/8314)"));
        } else {
            out.add(new Record(label + d, "SRV", "0 0 0 .", listener + " is off: \".\" tells clients it is not offered"));
        }
    }

    /** The zone-file text: comments, records, and a line about DKIM when there are no keys. */
    public static String zone(Input in) {
        Result r = of(in);
        StringBuilder sb = new StringBuilder("; DNS records to publish for " + in.domain() + " (Postern on " + in.hostname() + ")\n");
        for (Record rec : r.records()) {
            sb.append("; ").append(rec.note()).append('\n').append(rec.line()).append('\n');
        }
        if (!r.dkimConfigured()) {
            for (String line : dkimMissing(in)) {
                sb.append("; ").append(line).append('\n');
            }
        }
        for (String p : r.problems()) {
            sb.append("; problem: ").append(p).append('\n');
        }
        return sb.toString();
    }

    /** What to say when a domain has no DKIM key yet, and how to make them. */
    public static List<String> dkimMissing(Input in) {
        String d = in.domain().toLowerCase(Locale.ROOT);
        return List.of("DKIM: " + d + " has no signing keys yet, so there is no DKIM record.",
                "Make them with: postern dkim show " + d + " (then publish what it prints, or run this again).");
    }

    /** TXT strings are at most 255 bytes each (RFC 1035 §3.3.14): long DKIM keys are split. */
    static String quoteTxt(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i += 255) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append('"').append(s, i, Math.min(s.length(), i + 255)).append('"');
        }
        return sb.toString();
    }

    /** The MTA-STS policy (RFC 8461 §3.2), "testing" until the certificate is one clients trust. */
    static String mtaStsPolicy(String hostname, boolean trustedCertificate) {
        return "version: STSv1\nmode: " + (trustedCertificate ? "enforce" : "testing") + "\nmx: " + hostname + "\nmax_age: 604800\n";
    }
}
