package org.postern.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts connections per client address. IPv6 clients are counted per /64, the smallest prefix a
 * site is given (RFC 6177 §2), or one host could take any number of addresses.
 */
final class AddressLimiter {
    private final int max;
    private final ConcurrentHashMap<InetAddress, Integer> counts = new ConcurrentHashMap<>();

    AddressLimiter(int max) {
        this.max = max;
    }

    /** Counts one more connection from {@code remote} and returns its key, or null when at the limit. */
    InetAddress tryEnter(InetAddress remote) {
        InetAddress key = keyOf(remote);
        boolean[] entered = new boolean[1];
        counts.compute(key, (k, n) -> {
            int current = n == null ? 0 : n;
            if (current >= max) {
                return n;
            }
            entered[0] = true;
            return current + 1;
        });
        return entered[0] ? key : null;
    }

    void leave(InetAddress key) {
        counts.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
    }

    int count(InetAddress remote) {
        return counts.getOrDefault(keyOf(remote), 0);
    }

    static InetAddress keyOf(InetAddress a) {
        if (!(a instanceof Inet6Address)) {
            return a;
        }
        byte[] prefix = Arrays.copyOf(a.getAddress(), 16);
        Arrays.fill(prefix, 8, 16, (byte) 0);
        try {
            return InetAddress.getByAddress(prefix);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 16 bytes is always an address
        }
    }
}
