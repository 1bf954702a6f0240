package org.postern.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * {@link Dns} over dnsjava: questions to recursive resolvers (the system's, or those configured
 * in {@code dns.resolvers}), UDP with TCP when truncated, a timeout per try, and a cache by TTL.
 */
public final class DnsJavaResolver implements Dns {
    static final Duration MAX_TTL = Duration.ofHours(1);
    static final Duration MAX_NEGATIVE_TTL = Duration.ofMinutes(5);
    static final int MAX_ENTRIES = 50_000;

    private record Key(String name, int type) {}

    /** A cached answer: records, or NXDOMAIN (records null). */
    private record Entry(List<Record> records, long expiresNanos) {}

    private final Resolver resolver;
    private final Duration deadline;
    private final Map<Key, Entry> cache = new ConcurrentHashMap<>();

    private DnsJavaResolver(Resolver resolver, Duration deadline) {
        this.resolver = resolver;
        this.deadline = deadline;
    }

    /**
     * A resolver asking {@code servers} (empty: those of the system, /etc/resolv.conf), each try
     * waiting at most {@code timeout}, with {@code retries} further tries.
     */
    public static DnsJavaResolver of(List<InetSocketAddress> servers, Duration timeout, int retries) {
        List<InetSocketAddress> use = servers.isEmpty() ? ResolverConfig.getCurrentConfig().servers() : servers;
        if (use.isEmpty()) {
            use = List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 53));
        }
        List<Resolver> each = new ArrayList<>();
        for (InetSocketAddress s : use) {
            SimpleResolver r = new SimpleResolver(s);
            r.setTimeout(timeout);
            each.add(r);
        }
        ExtendedResolver r = new ExtendedResolver(each);
        r.setTimeout(timeout);
        r.setRetries(Math.max(1, retries + 1));
        r.setLoadBalance(false);
        Duration deadline = timeout.multipliedBy((long) (retries + 1) * use.size()).plusSeconds(1);
        return new DnsJavaResolver(r, deadline);
    }

    @Override
    public List<Mx> mx(String domain) throws DnsException {
        return answers(domain, Type.MX, MXRecord.class, mx -> new Mx(mx.getPriority(), host(mx.getTarget())));
    }

    @Override
    public List<InetAddress> a(String host) throws DnsException {
        return answers(host, Type.A, ARecord.class, ARecord::getAddress);
    }

    @Override
    public List<InetAddress> aaaa(String host) throws DnsException {
        return answers(host, Type.AAAA, AAAARecord.class, AAAARecord::getAddress);
    }

    @Override
    public List<String> txt(String name) throws DnsException {
        return answers(name, Type.TXT, TXTRecord.class, t -> {
            StringBuilder sb = new StringBuilder();
            for (byte[] s : t.getStringsAsByteArrays()) {
                sb.append(new String(s, StandardCharsets.UTF_8));
            }
            return sb.toString();
        });
    }

    @Override
    public List<String> ptr(InetAddress address) throws DnsException {
        return answers(ReverseMap.fromAddress(address).toString(true), Type.PTR, PTRRecord.class, p -> host(p.getTarget()));
    }

    /** The records of one type at a name (from the cache or the resolvers), each made into a value. */
    private <R extends Record, T> List<T> answers(String name, int type, Class<R> kind, Function<R, T> value)
            throws DnsException {
        List<T> out = new ArrayList<>();
        for (Record r : query(name, type)) {
            if (kind.isInstance(r)) {
                out.add(value.apply(kind.cast(r)));
            }
        }
        return out;
    }

    private static String host(Name n) {
        String s = n.toString(true).toLowerCase(Locale.ROOT);
        return s.equals(".") ? "" : s;
    }

    /** The records of one type at a name, from the cache or the resolvers. */
    private List<Record> query(String name, int type) throws DnsException {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".")) {
            lower = lower.substring(0, lower.length() - 1);
        }
        Key key = new Key(lower, type);
        Entry e = cache.get(key);
        long now = System.nanoTime();
        if (e != null && now - e.expiresNanos() < 0) {
            if (e.records() == null) {
                throw new DnsException.NoSuchDomain(lower);
            }
            return e.records();
        }
        Name qname;
        try {
            qname = Name.fromString(lower + ".");
        } catch (TextParseException e1) {
            throw new DnsException.NoSuchDomain(lower); // not a name that can exist
        }
        Message response;
        try {
            response = resolver.sendAsync(Message.newQuery(Record.newRecord(qname, type, DClass.IN)))
                    .toCompletableFuture().get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new DnsException(lower + " " + Type.string(type) + ": interrupted");
        } catch (ExecutionException | TimeoutException ex) {
            Throwable cause = ex instanceof ExecutionException ? ex.getCause() : ex;
            throw new DnsException(lower + " " + Type.string(type) + ": no answer (" + cause + ")");
        }
        int rcode = response.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            remember(key, null, negativeTtl(response));
            throw new DnsException.NoSuchDomain(lower);
        }
        if (rcode != Rcode.NOERROR) {
            throw new DnsException(lower + " " + Type.string(type) + ": " + Rcode.string(rcode));
        }
        List<Record> records = new ArrayList<>();
        long ttl = MAX_TTL.toSeconds();
        for (Record r : response.getSection(Section.ANSWER)) {
            if (r.getType() == type) {
                records.add(r);
                ttl = Math.min(ttl, r.getTTL());
            }
        }
        remember(key, List.copyOf(records), records.isEmpty() ? negativeTtl(response) : ttl);
        return records;
    }

    private static long negativeTtl(Message m) {
        for (Record r : m.getSection(Section.AUTHORITY)) {
            if (r instanceof SOARecord soa) {
                return Math.min(Math.min(soa.getMinimum(), soa.getTTL()), MAX_NEGATIVE_TTL.toSeconds());
            }
        }
        return 60;
    }

    private void remember(Key key, List<Record> records, long ttlSeconds) {
        if (ttlSeconds <= 0) {
            return;
        }
        if (cache.size() >= MAX_ENTRIES) {
            long now = System.nanoTime();
            cache.values().removeIf(e -> now - e.expiresNanos() >= 0);
            if (cache.size() >= MAX_ENTRIES) {
                cache.clear();
            }
        }
        cache.put(key, new Entry(records, System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(1, ttlSeconds))));
    }

    /**
     * "192.0.2.53", "192.0.2.53:5353", "2001:db8::53", "[2001:db8::53]:53": a resolver address
     * from the configuration. Only IP addresses: a resolver found by name would need a resolver.
     */
    public static InetSocketAddress parseServer(String s) throws UnknownHostException {
        String host = s.strip();
        String port = null;
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            if (end < 0) {
                throw new UnknownHostException("'" + s + "': a [ without its ]; write [2001:db8::53]:53");
            }
            String rest = host.substring(end + 1);
            host = host.substring(1, end);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new UnknownHostException("'" + s + "': after ] only :PORT may follow");
                }
                port = rest.substring(1);
            }
        } else if (host.indexOf(':') > 0 && host.indexOf(':') == host.lastIndexOf(':')) {
            port = host.substring(host.indexOf(':') + 1);
            host = host.substring(0, host.indexOf(':'));
        }
        int p = 53;
        if (port != null) {
            if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                throw new UnknownHostException("'" + s + "': the port must be a number from 1 to 65535, not '" + port + "'");
            }
            p = Integer.parseInt(port);
        }
        try {
            return new InetSocketAddress(InetAddress.ofLiteral(host), p);
        } catch (IllegalArgumentException e) {
            throw new UnknownHostException("'" + s + "': not an IP address (a resolver is given by its address, "
                    + "e.g. 192.0.2.53 or [2001:db8::53]:53)");
        }
    }
}
