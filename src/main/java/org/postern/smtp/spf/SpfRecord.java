package org.postern.smtp.spf;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A parsed SPF record (RFC 7208 §4.6.1, §12): its terms in order; any syntax error refuses it whole. */
record SpfRecord(List<Term> terms) {
    private static final Pattern DUAL_CIDR = Pattern.compile("^(.*?)(?:/([0-9]+))?(?://([0-9]+))?$");
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]*");

    /** True when a TXT record is an SPF record (§4.5: "v=spf1" alone or followed by a space). */
    static boolean isSpf(String txt) {
        return txt.equalsIgnoreCase("v=spf1") || txt.regionMatches(true, 0, "v=spf1 ", 0, 7);
    }

    static SpfRecord parse(String txt) {
        List<Term> terms = new ArrayList<>();
        boolean redirect = false;
        boolean exp = false;
        for (String word : txt.substring(6).split(" ")) {
            if (word.isEmpty()) {
                continue;
            }
            int eq = word.indexOf('=');
            int colon = word.indexOf(':');
            int slash = word.indexOf('/');
            if (eq > 0 && (colon < 0 || eq < colon) && (slash < 0 || eq < slash)) {
                String name = word.substring(0, eq);
                if (!NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException("bad modifier name: " + word);
                }
                String value = word.substring(eq + 1);
                Macro.checkSyntax(value);
                String lower = name.toLowerCase(Locale.ROOT);
                if (lower.equals("redirect")) {
                    if (redirect) {
                        throw new IllegalArgumentException("redirect= given twice (§6)");
                    }
                    redirect = true;
                    domainSpec(value);
                    terms.add(new Term.Modifier("redirect", value));
                } else if (lower.equals("exp")) {
                    if (exp) {
                        throw new IllegalArgumentException("exp= given twice (§6)");
                    }
                    exp = true;
                    domainSpec(value);
                }
                continue; // unknown modifiers are ignored (§6)
            }
            char q = '+';
            String m = word;
            if ("+-~?".indexOf(word.charAt(0)) >= 0) {
                q = word.charAt(0);
                m = word.substring(1);
            }
            terms.add(new Term.Directive(q, mechanism(m)));
        }
        return new SpfRecord(terms);
    }

    private static Term.Mechanism mechanism(String m) {
        String lower = m.toLowerCase(Locale.ROOT);
        String name = lower.split("[:/]", 2)[0];
        String arg = m.length() > name.length() && m.charAt(name.length()) == ':' ? m.substring(name.length() + 1) : null;
        String rest = m.substring(name.length());
        return switch (name) {
            case "all" -> {
                if (!rest.isEmpty()) {
                    throw new IllegalArgumentException("all takes no argument");
                }
                yield new Term.All();
            }
            case "include" -> new Term.Include(domainSpec(required(arg, m)));
            case "exists" -> new Term.Exists(domainSpec(required(arg, m)));
            case "ptr" -> {
                if (arg == null && !rest.isEmpty()) {
                    throw new IllegalArgumentException("bad ptr: " + m);
                }
                yield new Term.Ptr(arg == null ? null : domainSpec(arg));
            }
            case "a", "mx" -> {
                String spec = arg != null ? arg : rest;
                if (arg == null && !rest.isEmpty() && rest.charAt(0) != '/') {
                    throw new IllegalArgumentException("unknown mechanism " + m);
                }
                Matcher x = DUAL_CIDR.matcher(spec);
                if (!x.matches()) {
                    throw new IllegalArgumentException("bad " + name + ": " + m);
                }
                String domain = x.group(1).isEmpty() ? null : domainSpec(x.group(1));
                if (arg != null && domain == null) {
                    throw new IllegalArgumentException("empty domain in " + m);
                }
                int c4 = cidr(x.group(2), 32);
                int c6 = cidr(x.group(3), 128);
                yield name.equals("a") ? new Term.A(domain, c4, c6) : new Term.MxM(domain, c4, c6);
            }
            case "ip4", "ip6" -> {
                String spec = required(arg, m);
                int s = spec.indexOf('/');
                String ip = s < 0 ? spec : spec.substring(0, s);
                InetAddress net;
                try {
                    if (name.equals("ip4") ? !ip.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}") : !ip.contains(":")) {
                        throw new IllegalArgumentException();
                    }
                    net = InetAddress.ofLiteral(ip);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("bad address in " + m);
                }
                if (name.equals("ip4") != (net instanceof Inet4Address) && !(net instanceof Inet6Address && name.equals("ip6"))) {
                    throw new IllegalArgumentException("wrong address family in " + m);
                }
                int max = name.equals("ip4") ? 32 : 128;
                yield new Term.Ip(net, s < 0 ? max : cidr(spec.substring(s + 1), max));
            }
            default -> throw new IllegalArgumentException("unknown mechanism " + m);
        };
    }

    private static String required(String arg, String m) {
        if (arg == null || arg.isEmpty()) {
            throw new IllegalArgumentException(m + " needs a domain");
        }
        return arg;
    }

    private static int cidr(String v, int max) {
        if (v == null) {
            return max;
        }
        if (!v.matches("[0-9]{1,3}") || (v.length() > 1 && v.startsWith("0"))) {
            throw new IllegalArgumentException("bad prefix length /" + v);
        }
        int n = Integer.parseInt(v);
        if (n > max) {
            throw new IllegalArgumentException("prefix length /" + v + " is more than " + max);
        }
        return n;
    }

    /** §7.1 domain-spec: macros allowed; a literal ending must end in a toplabel. */
    private static String domainSpec(String s) {
        Macro.checkSyntax(s);
        String literal = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
        if (!literal.contains("%")) {
            String[] labels = literal.split("\\.");
            String top = labels[labels.length - 1];
            if (labels.length < 2 || !top.matches("(?i)[a-z0-9-]*[a-z][a-z0-9-]*") || top.startsWith("-") || top.endsWith("-")) {
                throw new IllegalArgumentException("'" + s + "' is not a domain name");
            }
        }
        return s;
    }
}
