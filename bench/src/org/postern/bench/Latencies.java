package org.postern.bench;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Latencies of one client, by command, in nanoseconds; merged after a run. Every sample is kept
 * (a run has at most a few hundred thousand), so percentiles are exact.
 */
final class Latencies {
    /** What is timed. CONNECT (TCP, TLS handshake, greeting) is timed but is not an IMAP command. */
    enum Op {
        CONNECT("connect+TLS", false),
        LOGIN("LOGIN", true),
        LIST("LIST", true),
        STATUS("STATUS", true),
        SELECT("SELECT", true),
        FETCH("FETCH 1:* env", true),
        FETCH_BODY("FETCH BODY[]", true),
        STORE("STORE flags", true),
        APPEND("APPEND", true),
        DELETE("STORE \\Deleted", true),
        EXPUNGE("EXPUNGE", true),
        LOGOUT("LOGOUT", true);

        final String label;
        final boolean command;

        Op(String label, boolean command) {
            this.label = label;
            this.command = command;
        }
    }

    private static final Op[] OPS = Op.values();
    private final long[][] samples = new long[OPS.length][];
    private final int[] counts = new int[OPS.length];

    void add(Op op, long nanos) {
        int i = op.ordinal();
        long[] a = samples[i];
        if (a == null) {
            a = samples[i] = new long[1024];
        } else if (counts[i] == a.length) {
            a = samples[i] = Arrays.copyOf(a, a.length * 2);
        }
        a[counts[i]++] = nanos;
    }

    int count(Op op) {
        return counts[op.ordinal()];
    }

    /** Sorted samples of every client, by command. */
    static Map<Op, long[]> merge(List<Latencies> all) {
        Map<Op, long[]> merged = new EnumMap<>(Op.class);
        for (Op op : Op.values()) {
            int total = 0;
            for (Latencies l : all) {
                total += l.counts[op.ordinal()];
            }
            if (total == 0) {
                continue;
            }
            long[] m = new long[total];
            int at = 0;
            for (Latencies l : all) {
                int n = l.counts[op.ordinal()];
                if (n > 0) {
                    System.arraycopy(l.samples[op.ordinal()], 0, m, at, n);
                    at += n;
                }
            }
            Arrays.sort(m);
            merged.put(op, m);
        }
        return merged;
    }

    /** The p-th percentile (0..100) of sorted samples, nearest rank. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.clamp(rank - 1, 0, sorted.length - 1)];
    }
}
