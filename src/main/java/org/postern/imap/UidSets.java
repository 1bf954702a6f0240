package org.postern.imap;

import java.io.IOException;
import java.util.Arrays;
import java.util.function.IntToLongFunction;

/** UID sets in their compact wire form: {@code 1:3,7,9:10} (RFC 9051 §9 uid-set). */
final class UidSets {
    private UidSets() {}

    /** Takes the pieces of a uid-set too long for one response. */
    @FunctionalInterface
    interface Sink {
        void piece(String uidSet) throws IOException;
    }

    /** Formats UIDs in the given order, joining runs of consecutive ones into ranges. */
    static String format(long[] uids) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < uids.length) {
            int j = i;
            while (j + 1 < uids.length && uids[j + 1] == uids[j] + 1) {
                j++;
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(uids[i]);
            if (j > i) {
                sb.append(':').append(uids[j]);
            }
            i = j + 1;
        }
        return sb.toString();
    }

    /**
     * Sorted, disjoint ranges {@code [lo0, hi0, lo1, hi1, ...]} cut to {@code lo..hi}; ranges
     * wholly outside are dropped.
     */
    static long[] clip(long[] ranges, long lo, long hi) {
        long[] out = new long[ranges.length];
        int n = 0;
        for (int r = 0; r < ranges.length; r += 2) {
            long a = Math.max(ranges[r], lo);
            long b = Math.min(ranges[r + 1], hi);
            if (a <= b) {
                out[n++] = a;
                out[n++] = b;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * Writes the numbers of {@code wanted} (sorted, disjoint ranges {@code [lo0, hi0, ...]}) that
     * are not among {@code count} ascending numbers {@code present(0 .. count-1)}: the gaps, as
     * uid-set text in pieces of at most {@code perPiece} ranges. Both are walked once, and only
     * one piece is held in memory, however large the mailbox.
     */
    static void absent(long[] wanted, int count, IntToLongFunction present, int perPiece, Sink sink) throws IOException {
        StringBuilder piece = new StringBuilder();
        int inPiece = 0;
        int i = 0;
        for (int r = 0; r < wanted.length; r += 2) {
            long next = wanted[r];
            long hi = wanted[r + 1];
            while (next <= hi) {
                while (i < count && present.applyAsLong(i) < next) {
                    i++;
                }
                long p = i < count ? present.applyAsLong(i) : Long.MAX_VALUE;
                if (p == next) {
                    next++;
                    continue;
                }
                long end = Math.min(hi, p - 1);
                if (inPiece == perPiece) {
                    sink.piece(piece.toString());
                    piece.setLength(0);
                    inPiece = 0;
                }
                if (inPiece > 0) {
                    piece.append(',');
                }
                piece.append(next);
                if (end > next) {
                    piece.append(':').append(end);
                }
                inPiece++;
                next = end + 1;
            }
        }
        if (inPiece > 0) {
            sink.piece(piece.toString());
        }
    }
}
