package org.postern.imap.parse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A {@code sequence-set} as the client wrote it (RFC 9051 §9): message sequence numbers or UIDs,
 * ranges in either order, {@code *} for the largest number in use, and {@code $} for the result
 * saved by {@code SEARCH RETURN (SAVE)} (RFC 5182 §2.1). It is resolved against a mailbox only
 * when the command runs, so one set can be resolved as sequence numbers or as UIDs.
 *
 * @param ranges the elements in the client's order; {@link #STAR} stands for {@code *}
 * @param saved  whether {@code $} was one of the elements
 */
public record SequenceSet(List<Range> ranges, boolean saved) {

    /** {@code *}: the largest number in use in the mailbox (RFC 9051 §9 {@code seq-number}). */
    public static final long STAR = -1;
    /** The largest {@code nz-number}: 2^32 - 1. */
    public static final long MAX = 0xffff_ffffL;

    /** {@code first:last} in the client's order; a single number has {@code first == last}. */
    public record Range(long first, long last) {
        public Range {
            check(first);
            check(last);
        }

        private static void check(long n) {
            if (n != STAR && (n < 1 || n > MAX)) {
                throw new IllegalArgumentException("sequence number out of range: " + n);
            }
        }

        long low(long star) {
            return Math.min(value(first, star), value(last, star));
        }

        long high(long star) {
            return Math.max(value(first, star), value(last, star));
        }

        private static long value(long n, long star) {
            return n == STAR ? star : n;
        }

        @Override
        public String toString() {
            String a = first == STAR ? "*" : Long.toString(first);
            return first == last ? a : a + ":" + (last == STAR ? "*" : Long.toString(last));
        }
    }

    public SequenceSet {
        ranges = List.copyOf(ranges);
        if (ranges.isEmpty() && !saved) {
            throw new IllegalArgumentException("empty sequence set");
        }
    }

    /** {@code $} alone. */
    public static SequenceSet savedResult() {
        return new SequenceSet(List.of(), true);
    }

    /**
     * Parses {@code sequence-set}.
     *
     * @throws IllegalArgumentException when {@code text} is not one; the message says why
     */
    public static SequenceSet parse(String text) {
        List<Range> ranges = new ArrayList<>();
        boolean saved = false;
        int i = 0;
        int n = text.length();
        if (n == 0) {
            throw new IllegalArgumentException("empty sequence set");
        }
        while (true) {
            int comma = text.indexOf(',', i);
            int end = comma < 0 ? n : comma;
            if (end == i) {
                throw new IllegalArgumentException("empty element in sequence set " + Texts.clip(text));
            }
            if (end - i == 1 && text.charAt(i) == '$') {
                saved = true;
            } else {
                int colon = text.indexOf(':', i);
                if (colon >= 0 && colon < end) {
                    ranges.add(new Range(number(text, i, colon), number(text, colon + 1, end)));
                } else {
                    long v = number(text, i, end);
                    ranges.add(new Range(v, v));
                }
            }
            if (comma < 0) {
                break;
            }
            i = comma + 1;
        }
        return new SequenceSet(ranges, saved);
    }

    // seq-number = nz-number / "*"; nz-number = digit-nz *DIGIT, at most 4294967295
    private static long number(String s, int from, int to) {
        if (to - from == 1 && s.charAt(from) == '*') {
            return STAR;
        }
        if (from == to) {
            throw new IllegalArgumentException("missing number in sequence set " + Texts.clip(s));
        }
        if (s.charAt(from) == '0') {
            throw new IllegalArgumentException("sequence numbers start at 1 and have no leading zero: "
                    + Texts.clip(s.substring(from, to)));
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("invalid sequence set " + Texts.clip(s)
                        + " (numbers, ranges such as 1:5, '*', '$', separated by commas)");
            }
            v = v * 10 + (c - '0');
            if (v > MAX) {
                throw new IllegalArgumentException("sequence number larger than 4294967295 in " + Texts.clip(s));
            }
        }
        return v;
    }

    /** True when {@code *} occurs. */
    public boolean usesStar() {
        for (Range r : ranges) {
            if (r.first() == STAR || r.last() == STAR) {
                return true;
            }
        }
        return false;
    }

    /** The largest number written out (not {@code *}), or 0; for "no such message" checks. */
    public long maxExplicit() {
        long max = 0;
        for (Range r : ranges) {
            max = Math.max(max, Math.max(r.first(), r.last()));
        }
        return max;
    }

    /**
     * The set as sorted, disjoint, non-adjacent ranges {@code [lo0, hi0, lo1, hi1, ...]} with
     * {@code *} read as {@code star}. {@code $} is left out. When {@code star} is 0 (an empty
     * mailbox) the elements that use {@code *} are left out.
     */
    public long[] normalized(long star) {
        long[][] pairs = new long[ranges.size()][];
        int k = 0;
        for (Range r : ranges) {
            if (star <= 0 && (r.first() == STAR || r.last() == STAR)) {
                continue;
            }
            pairs[k++] = new long[] {r.low(star), r.high(star)};
        }
        long[][] used = Arrays.copyOf(pairs, k);
        Arrays.sort(used, (a, b) -> Long.compare(a[0], b[0]));
        long[] out = new long[2 * k];
        int m = 0;
        for (long[] p : used) {
            if (m > 0 && p[0] <= out[m - 1] + 1) {
                out[m - 1] = Math.max(out[m - 1], p[1]);
            } else {
                out[m++] = p[0];
                out[m++] = p[1];
            }
        }
        return Arrays.copyOf(out, m);
    }

    /** True when {@code n} is in the set, {@code *} read as {@code star}; {@code $} is not looked at. */
    public boolean contains(long n, long star) {
        for (Range r : ranges) {
            if ((star > 0 || (r.first() != STAR && r.last() != STAR)) && n >= r.low(star) && n <= r.high(star)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The UIDs of a mailbox that the set names (RFC 9051 §9 {@code uid-set}): {@code *} is the
     * largest UID, so {@code 559:*} always names the last message (RFC 9051 §6.4.8); numbers with
     * no message are ignored.
     *
     * @param sortedUids the mailbox's UIDs, ascending
     * @param savedUids  the saved search result for {@code $}, ascending, or null when there is none
     * @return the named UIDs, ascending
     */
    public long[] selectUids(long[] sortedUids, long[] savedUids) {
        long star = sortedUids.length == 0 ? 0 : sortedUids[sortedUids.length - 1];
        long[] norm = normalized(star);
        long[] out = new long[sortedUids.length];
        int n = 0;
        int r = 0;
        for (long uid : sortedUids) {
            while (r < norm.length && norm[r + 1] < uid) {
                r += 2;
            }
            boolean in = r < norm.length && uid >= norm[r];
            if (!in && saved && savedUids != null && Arrays.binarySearch(savedUids, uid) >= 0) {
                in = true;
            }
            if (in) {
                out[n++] = uid;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * The message sequence numbers the set names in a mailbox of {@code count} messages;
     * {@code *} is {@code count}. Numbers above {@code count} are left out: check
     * {@link #maxExplicit()} first to answer them with BAD (RFC 9051 §6.4.5).
     *
     * @param savedNumbers the saved search result for {@code $} as sequence numbers, ascending,
     *                     or null when there is none
     * @return the numbers, ascending
     */
    public long[] selectSequenceNumbers(long count, long[] savedNumbers) {
        long[] norm = normalized(count);
        long total = 0;
        for (int i = 0; i < norm.length; i += 2) {
            if (norm[i] <= count) {
                total += Math.min(norm[i + 1], count) - norm[i] + 1;
            }
        }
        if (saved && savedNumbers != null) {
            total += savedNumbers.length;
        }
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("too many messages: " + total);
        }
        long[] out = new long[(int) total];
        int n = 0;
        for (int i = 0; i < norm.length; i += 2) {
            for (long v = norm[i]; v <= Math.min(norm[i + 1], count); v++) {
                out[n++] = v;
            }
        }
        if (saved && savedNumbers != null) {
            for (long v : savedNumbers) {
                if (v >= 1 && v <= count) {
                    out[n++] = v;
                }
            }
            long[] all = Arrays.copyOf(out, n);
            return Arrays.stream(all).sorted().distinct().toArray();
        }
        return Arrays.copyOf(out, n);
    }

    /** The set in wire form, as the client wrote it. */
    @Override
    public String toString() {
        String s = ranges.stream().map(Range::toString).collect(Collectors.joining(","));
        return saved ? (s.isEmpty() ? "$" : s + ",$") : s;
    }
}
