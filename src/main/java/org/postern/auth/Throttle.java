package org.postern.auth;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed sign-ins limited per client address and per account, with exponential back-off
 * (issue 5, item 4). A few mistakes cost nothing; past {@link #FREE_FAILURES} in
 * {@link #WINDOW}, each further failure doubles the wait, up to {@link #MAX_BLOCK}.
 *
 * <p>An attacker hammering an account must not lock its owner out: the per-account block does
 * not apply to addresses the account has signed in from before. The per-address block applies to
 * everyone at that address. Unknown accounts are throttled by the name tried, exactly like known
 * ones, so the answers tell nothing about which accounts exist.
 *
 * <p>Memory is bounded: at most {@link #MAX_ENTRIES} addresses and names are tracked; when full,
 * entries whose window has passed are dropped, then the oldest.
 */
public final class Throttle {
    static final int FREE_FAILURES = 10;
    static final Duration WINDOW = Duration.ofMinutes(15);
    static final Duration MAX_BLOCK = Duration.ofMinutes(15);
    static final int MAX_ENTRIES = 100_000;

    private record State(int failures, long windowStart, long blockedUntil) {}

    private final Clock clock;
    private final Map<String, State> byAddress = new ConcurrentHashMap<>();
    private final Map<String, State> byAccount = new ConcurrentHashMap<>();

    public Throttle(Clock clock) {
        this.clock = clock;
    }

    /**
     * How long the caller must wait before this attempt may be checked, or empty when it may be
     * checked now. {@code knownAddress} says the account signed in from this address before.
     */
    public Optional<Duration> blocked(String address, String account, boolean knownAddress) {
        long now = clock.millis();
        long until = until(byAddress.get(addressKey(address)), now);
        if (!knownAddress) {
            until = Math.max(until, until(byAccount.get(accountKey(account)), now));
        }
        return until > now ? Optional.of(Duration.ofMillis(until - now)) : Optional.empty();
    }

    private static long until(State s, long now) {
        return s == null ? 0 : s.blockedUntil();
    }

    /** Counts a failed attempt against the address and the account name. */
    public void failed(String address, String account) {
        long now = clock.millis();
        count(byAddress, addressKey(address), now);
        count(byAccount, accountKey(account), now);
    }

    /** A success clears the address's count (the account's stays: others may be guessing). */
    public void succeeded(String address) {
        byAddress.remove(addressKey(address));
    }

    private void count(Map<String, State> map, String key, long now) {
        if (map.size() >= MAX_ENTRIES) {
            prune(map, now);
        }
        map.compute(key, (k, s) -> {
            if (s == null || now - s.windowStart() > WINDOW.toMillis() && now >= s.blockedUntil()) {
                s = new State(0, now, 0);
            }
            int failures = s.failures() + 1;
            long blockedUntil = s.blockedUntil();
            if (failures > FREE_FAILURES) {
                int over = Math.min(failures - FREE_FAILURES, 20);
                long wait = Math.min(MAX_BLOCK.toMillis(), 1000L << over);
                blockedUntil = Math.max(blockedUntil, now + wait);
            }
            return new State(failures, s.windowStart(), blockedUntil);
        });
    }

    private static void prune(Map<String, State> map, long now) {
        map.entrySet().removeIf(e -> now - e.getValue().windowStart() > WINDOW.toMillis() && now >= e.getValue().blockedUntil());
        if (map.size() >= MAX_ENTRIES) {
            map.clear(); // under a flood from very many addresses: forget rather than grow
        }
    }

    /** IPv6 addresses are counted per /64: one host usually holds the whole prefix. */
    static String addressKey(String address) {
        if (address == null) {
            return "?";
        }
        try {
            InetAddress a = InetAddress.ofLiteral(address);
            if (a instanceof Inet6Address) {
                byte[] b = a.getAddress();
                return String.format(Locale.ROOT, "%02x%02x:%02x%02x:%02x%02x:%02x%02x::/64",
                        b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]);
            }
            return a.getHostAddress();
        } catch (IllegalArgumentException e) {
            return address;
        }
    }

    private static String accountKey(String account) {
        return account == null ? "" : account.strip().toLowerCase(Locale.ROOT);
    }

    /** A wait as people say it, for the protocols' "try again in ..." texts: "45 seconds", "3 minutes". */
    public static String inWords(Duration d) {
        long seconds = d == null ? 60 : Math.max(1, (d.toMillis() + 999) / 1000);
        return seconds < 120 ? seconds + " seconds" : (seconds + 59) / 60 + " minutes";
    }
}
