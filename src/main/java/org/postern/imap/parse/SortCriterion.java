package org.postern.imap.parse;

import java.util.Objects;

/** One {@code sort-criterion} (RFC 5256 §3, RFC 5957 §3 for DISPLAYFROM and DISPLAYTO). */
public record SortCriterion(Key key, boolean reverse) {

    public enum Key { ARRIVAL, CC, DATE, FROM, SIZE, SUBJECT, TO, DISPLAYFROM, DISPLAYTO }

    public SortCriterion {
        Objects.requireNonNull(key, "key");
    }
}
