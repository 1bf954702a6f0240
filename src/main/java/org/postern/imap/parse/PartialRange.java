package org.postern.imap.parse;

/**
 * {@code partial-range} (RFC 9394 §3): a window of a result by position, 1-based, counted from
 * the start ({@code 1:100}) or, with negative numbers, from the end ({@code -1:-100}); held low
 * to high whatever order the client wrote. Used by {@code SEARCH RETURN (PARTIAL ...)} and the
 * {@code PARTIAL} FETCH modifier.
 */
public record PartialRange(long first, long last) {
    public PartialRange {
        if (first == 0 || last == 0 || (first < 0) != (last < 0) || first > last) {
            throw new IllegalArgumentException("invalid partial range " + first + ":" + last);
        }
    }

    public boolean fromEnd() {
        return first < 0;
    }

    /**
     * The positions this range names in an ascending list of {@code size} results, as the
     * 0-based indexes {@code [from, to)}; {@code from == to} when none (RFC 9394 §3.1: results
     * past either end are left out, and a range with none at all is answered NIL).
     */
    public int[] window(int size) {
        long from = fromEnd() ? size + first : first - 1;
        long to = fromEnd() ? size + last + 1 : last;
        from = Math.max(0, Math.min(size, from));
        to = Math.max(from, Math.min(size, to));
        return new int[] {(int) from, (int) to};
    }

    /** As the range is written back in a PARTIAL result: {@code 1:100}, or {@code -1:-100} from the end. */
    public String format() {
        return fromEnd() ? last + ":" + first : first + ":" + last;
    }
}
