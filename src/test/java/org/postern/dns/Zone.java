package org.postern.dns;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * DNS data a test writes, answered in memory ({@link Dns}) or over UDP ({@link TestDnsServer}):
 * {@code zone.mx("b.test", 10, "mx.b.test").a("mx.b.test", "127.0.0.3").txt("b.test", "v=spf1 -all")}.
 * A name with no record at all is NXDOMAIN; names marked {@link #fail} answer SERVFAIL.
 */
public final class Zone implements Dns {
    private final Map<String, List<Mx>> mx = new ConcurrentHashMap<>();
    private final Map<String, List<InetAddress>> a = new ConcurrentHashMap<>();
    private final Map<String, List<InetAddress>> aaaa = new ConcurrentHashMap<>();
    private final Map<String, List<String>> txt = new ConcurrentHashMap<>();
    private final Map<String, List<String>> ptr = new ConcurrentHashMap<>();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final Set<String> existing = ConcurrentHashMap.newKeySet();
    /** Questions asked, for tests that count lookups (SPF limits). */
    public final AtomicInteger questions = new AtomicInteger();

    private static String n(String name) {
        String s = name.toLowerCase(Locale.ROOT);
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private <T> Zone add(Map<String, List<T>> m, String name, T value) {
        m.computeIfAbsent(n(name), k -> new ArrayList<>()).add(value);
        existing.add(n(name));
        return this;
    }

    public Zone mx(String domain, int preference, String host) {
        return add(mx, domain, new Mx(preference, n(host)));
    }

    public Zone a(String host, String... addresses) {
        for (String s : addresses) {
            InetAddress ip = InetAddress.ofLiteral(s);
            add(ip.getAddress().length == 4 ? a : aaaa, host, ip);
        }
        return this;
    }

    public Zone txt(String name, String... values) {
        for (String v : values) {
            add(txt, name, v);
        }
        return this;
    }

    public Zone ptr(String address, String name) {
        return add(ptr, address, n(name));
    }

    /** The name exists without records (NODATA for every type). */
    public Zone exists(String name) {
        existing.add(n(name));
        return this;
    }

    /** Questions about this name get SERVFAIL. */
    public Zone fail(String name) {
        failing.add(n(name));
        return this;
    }

    public Zone remove(String name) {
        String k = n(name);
        mx.remove(k);
        a.remove(k);
        aaaa.remove(k);
        txt.remove(k);
        existing.remove(k);
        failing.remove(k);
        return this;
    }

    <T> List<T> lookup(Map<String, List<T>> m, String name) throws DnsException {
        questions.incrementAndGet();
        String k = n(name);
        if (failing.contains(k)) {
            throw new DnsException(k + ": SERVFAIL (test)");
        }
        if (!existing.contains(k) && !hasChildren(k)) {
            throw new DnsException.NoSuchDomain(k);
        }
        return List.copyOf(m.getOrDefault(k, List.of()));
    }

    /** RFC 8020: a name with names below it exists (an empty non-terminal). */
    private boolean hasChildren(String k) {
        for (String e : existing) {
            if (e.endsWith("." + k)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<Mx> mx(String domain) throws DnsException {
        return lookup(mx, domain);
    }

    @Override
    public List<InetAddress> a(String host) throws DnsException {
        return lookup(a, host);
    }

    @Override
    public List<InetAddress> aaaa(String host) throws DnsException {
        return lookup(aaaa, host);
    }

    @Override
    public List<String> txt(String name) throws DnsException {
        return lookup(txt, name);
    }

    @Override
    public List<String> ptr(InetAddress address) throws DnsException {
        return lookup(ptr, address.getHostAddress());
    }

    /** Every record, for the UDP server. */
    Map<String, Object> snapshot(String name) {
        Map<String, Object> m = new HashMap<>();
        String k = n(name);
        m.put("mx", mx.getOrDefault(k, List.of()));
        m.put("a", a.getOrDefault(k, List.of()));
        m.put("aaaa", aaaa.getOrDefault(k, List.of()));
        m.put("txt", txt.getOrDefault(k, List.of()));
        m.put("ptr", ptr.getOrDefault(k, List.of()));
        m.put("exists", existing.contains(k) || hasChildren(k));
        m.put("fail", failing.contains(k));
        return m;
    }

    Set<String> names() {
        return new HashSet<>(existing);
    }
}
