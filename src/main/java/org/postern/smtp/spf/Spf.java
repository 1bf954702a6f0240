package org.postern.smtp.spf;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.postern.dns.Dns;
import org.postern.dns.DnsException;
import org.postern.dns.Mx;
import org.postern.smtp.spf.SpfResult.Status;

/** check_host() of RFC 7208 §4. One instance per server; each check keeps its own counters. */
public final class Spf {
    static final int MAX_DNS_TERMS = 10;
    static final int MAX_VOID_LOOKUPS = 2;
    static final int MAX_NAMES = 10;

    private final Dns dns;

    public Spf(Dns dns) {
        this.dns = dns;
    }

    /**
     * Checks {@code sender} (MAIL FROM, or postmaster@HELO for the null sender, §2.4) sent from
     * {@code ip}.
     */
    public SpfResult check(InetAddress ip, String sender, String helo) {
        String s = sender == null || sender.isEmpty() ? "postmaster@" + helo : sender;
        if (s.indexOf('@') < 0) {
            s = "postmaster@" + s; // §4.3: a sender without local part
        } else if (s.startsWith("@")) {
            s = "postmaster" + s;
        }
        String domain = s.substring(s.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        InetAddress client = unmapped(ip);
        Check c = new Check(new Macro.Context(s, domain, client, helo == null ? "unknown" : helo));
        try {
            Status st = c.checkHost(domain, 0);
            return new SpfResult(st, domain, c.reason);
        } catch (Abort e) {
            return new SpfResult(e.status, domain, e.getMessage());
        }
    }

    /** An IPv4-mapped IPv6 address is its IPv4 address (§5). */
    private static InetAddress unmapped(InetAddress ip) {
        if (ip instanceof Inet6Address) {
            byte[] b = ip.getAddress();
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && b[10] == (byte) 0xff && b[11] == (byte) 0xff) {
                return InetAddress.ofLiteral((b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff));
            }
        }
        return ip;
    }

    /** Ends the whole check with a result (temperror, permerror). */
    private static final class Abort extends Exception {
        final Status status;

        Abort(Status status, String why) {
            super(why, null, false, false);
            this.status = status;
        }
    }

    private final class Check {
        final Macro.Context base;
        int dnsTerms;
        int voids;
        String reason;

        Check(Macro.Context base) {
            this.base = base;
        }

        Status checkHost(String domain, int depth) throws Abort {
            if (depth > 20) {
                throw new Abort(Status.PERMERROR, "includes nested too deeply");
            }
            Macro.Context ctx = new Macro.Context(base.sender(), domain, base.ip(), base.helo());
            if (!validDomain(domain)) {
                return Status.NONE; // §4.3
            }
            List<String> txt;
            try {
                txt = dns.txt(domain);
            } catch (DnsException.NoSuchDomain e) {
                return none(domain);
            } catch (DnsException e) {
                throw new Abort(Status.TEMPERROR, "DNS failure looking up the SPF record of " + domain);
            }
            List<String> spf = txt.stream().filter(SpfRecord::isSpf).toList();
            if (spf.isEmpty()) {
                return none(domain);
            }
            if (spf.size() > 1) {
                throw new Abort(Status.PERMERROR, domain + " has more than one SPF record (§4.5)");
            }
            SpfRecord record;
            try {
                record = SpfRecord.parse(spf.getFirst());
            } catch (IllegalArgumentException e) {
                throw new Abort(Status.PERMERROR, "SPF record of " + domain + ": " + e.getMessage());
            }
            String redirect = null;
            for (Term t : record.terms()) {
                if (t instanceof Term.Modifier m) {
                    redirect = m.value();
                    continue;
                }
                Term.Directive d = (Term.Directive) t;
                if (matches(d.mechanism(), ctx, depth)) {
                    reason = "matched " + describe(d) + " in the SPF record of " + domain;
                    return switch (d.qualifier()) {
                        case '-' -> Status.FAIL;
                        case '~' -> Status.SOFTFAIL;
                        case '?' -> Status.NEUTRAL;
                        default -> Status.PASS;
                    };
                }
            }
            if (redirect != null) { // §6.1: only when no mechanism matched
                countDnsTerm();
                String target = target(redirect, ctx);
                Status st = checkHost(target, depth + 1);
                if (st == Status.NONE) {
                    throw new Abort(Status.PERMERROR, "redirect to " + target + ", which has no SPF record");
                }
                return st;
            }
            reason = "no term of the SPF record of " + domain + " matched";
            return Status.NEUTRAL;
        }

        private Status none(String domain) {
            reason = domain + " has no SPF record";
            return Status.NONE;
        }

        private boolean matches(Term.Mechanism m, Macro.Context ctx, int depth) throws Abort {
            InetAddress ip = ctx.ip();
            return switch (m) {
                case Term.All a -> true;
                case Term.Ip i -> inNetwork(ip, i.network(), i.prefix());
                case Term.Include inc -> {
                    countDnsTerm();
                    String target = target(inc.domain(), ctx);
                    Status st = checkHost(target, depth + 1);
                    yield switch (st) { // §5.2
                        case PASS -> true;
                        case FAIL, SOFTFAIL, NEUTRAL -> false;
                        case TEMPERROR -> throw new Abort(Status.TEMPERROR, "include:" + target + " failed temporarily");
                        case PERMERROR, NONE -> throw new Abort(Status.PERMERROR, "include:" + target + " has no valid SPF record");
                    };
                }
                case Term.A a -> {
                    countDnsTerm();
                    String target = a.domain() == null ? ctx.domain() : target(a.domain(), ctx);
                    yield anyInNetwork(ip, addresses(target, ip), a.cidr4(), a.cidr6());
                }
                case Term.MxM mx -> {
                    countDnsTerm();
                    String target = mx.domain() == null ? ctx.domain() : target(mx.domain(), ctx);
                    List<Mx> hosts;
                    try {
                        hosts = dns.mx(target);
                    } catch (DnsException.NoSuchDomain e) {
                        countVoid();
                        yield false;
                    } catch (DnsException e) {
                        throw new Abort(Status.TEMPERROR, "DNS failure looking up MX of " + target);
                    }
                    if (hosts.isEmpty()) {
                        countVoid();
                    }
                    if (hosts.size() > MAX_NAMES) {
                        throw new Abort(Status.PERMERROR, target + " has more than " + MAX_NAMES + " MX records (§4.6.4)");
                    }
                    boolean any = false;
                    for (Mx h : hosts) {
                        if (!h.isNull() && anyInNetwork(ip, addressesNoVoid(h.host(), ip), mx.cidr4(), mx.cidr6())) {
                            any = true;
                            break;
                        }
                    }
                    yield any;
                }
                case Term.Exists e -> {
                    countDnsTerm();
                    String target = target(e.domain(), ctx);
                    try {
                        List<InetAddress> a = dns.a(target); // §5.7: always an A query
                        if (a.isEmpty()) {
                            countVoid();
                        }
                        yield !a.isEmpty();
                    } catch (DnsException.NoSuchDomain ex) {
                        countVoid();
                        yield false;
                    } catch (DnsException ex) {
                        throw new Abort(Status.TEMPERROR, "DNS failure looking up " + target);
                    }
                }
                case Term.Ptr p -> {
                    countDnsTerm();
                    String target = p.domain() == null ? ctx.domain() : target(p.domain(), ctx);
                    yield ptrMatches(ip, target);
                }
            };
        }

        /** §5.5: a validated reverse name equal to or under the target. */
        private boolean ptrMatches(InetAddress ip, String target) throws Abort {
            List<String> names;
            try {
                names = dns.ptr(ip);
            } catch (DnsException e) {
                if (!e.temporary()) {
                    countVoid();
                }
                return false; // §5.5: a failed PTR lookup is no match, not an error
            }
            if (names.isEmpty()) {
                countVoid();
            }
            int n = 0;
            for (String name : names) {
                if (n++ >= MAX_NAMES) {
                    break;
                }
                try {
                    List<InetAddress> back = ip instanceof Inet4Address ? dns.a(name) : dns.aaaa(name);
                    String lower = name.toLowerCase(Locale.ROOT);
                    if (back.contains(ip) && (lower.equals(target) || lower.endsWith("." + target))) {
                        return true;
                    }
                } catch (DnsException e) {
                    // §5.5: a name that does not validate is skipped
                }
            }
            return false;
        }

        private List<InetAddress> addresses(String host, InetAddress ip) throws Abort {
            try {
                List<InetAddress> r = ip instanceof Inet4Address ? dns.a(host) : dns.aaaa(host);
                if (r.isEmpty()) {
                    countVoid();
                }
                return r;
            } catch (DnsException.NoSuchDomain e) {
                countVoid();
                return List.of();
            } catch (DnsException e) {
                throw new Abort(Status.TEMPERROR, "DNS failure looking up " + host);
            }
        }

        /** The addresses of an MX host: these lookups are not counted as void (§4.6.4 counts the mx term's own query). */
        private List<InetAddress> addressesNoVoid(String host, InetAddress ip) throws Abort {
            try {
                return ip instanceof Inet4Address ? dns.a(host) : dns.aaaa(host);
            } catch (DnsException.NoSuchDomain e) {
                return List.of();
            } catch (DnsException e) {
                throw new Abort(Status.TEMPERROR, "DNS failure looking up " + host);
            }
        }

        private String target(String spec, Macro.Context ctx) throws Abort {
            String t = Macro.expand(spec, ctx);
            if (t.endsWith(".")) {
                t = t.substring(0, t.length() - 1);
            }
            while (t.length() > 253 && t.indexOf('.') > 0) { // §7.3: drop labels from the left
                t = t.substring(t.indexOf('.') + 1);
            }
            return t.toLowerCase(Locale.ROOT);
        }

        private void countDnsTerm() throws Abort {
            if (++dnsTerms > MAX_DNS_TERMS) {
                throw new Abort(Status.PERMERROR, "more than " + MAX_DNS_TERMS + " DNS-querying terms (RFC 7208 §4.6.4)");
            }
        }

        private void countVoid() throws Abort {
            if (++voids > MAX_VOID_LOOKUPS) {
                throw new Abort(Status.PERMERROR, "more than " + MAX_VOID_LOOKUPS + " void lookups (RFC 7208 §4.6.4)");
            }
        }
    }

    private static boolean anyInNetwork(InetAddress ip, List<InetAddress> nets, int cidr4, int cidr6) {
        for (InetAddress n : nets) {
            if (inNetwork(ip, n, n instanceof Inet4Address ? cidr4 : cidr6)) {
                return true;
            }
        }
        return false;
    }

    static boolean inNetwork(InetAddress ip, InetAddress net, int prefix) {
        byte[] a = ip.getAddress();
        byte[] b = net.getAddress();
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < prefix; i++) {
            int mask = 0x80 >> (i % 8);
            if ((a[i / 8] & mask) != (b[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** §4.3: a domain with an empty label, or too long, gets none. */
    private static boolean validDomain(String d) {
        if (d.isEmpty() || d.length() > 253) {
            return false;
        }
        for (String label : d.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) {
                return false;
            }
        }
        return d.contains(".");
    }

    private static String describe(Term.Directive d) {
        String q = d.qualifier() == '+' ? "" : String.valueOf(d.qualifier());
        return q + switch (d.mechanism()) {
            case Term.All a -> "all";
            case Term.Ip i -> (i.network() instanceof Inet4Address ? "ip4:" : "ip6:") + i.network().getHostAddress() + "/" + i.prefix();
            case Term.Include i -> "include:" + i.domain();
            case Term.A a -> "a" + (a.domain() == null ? "" : ":" + a.domain());
            case Term.MxM m -> "mx" + (m.domain() == null ? "" : ":" + m.domain());
            case Term.Exists e -> "exists:" + e.domain();
            case Term.Ptr p -> "ptr" + (p.domain() == null ? "" : ":" + p.domain());
        };
    }

}
