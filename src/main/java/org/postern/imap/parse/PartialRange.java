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
}
