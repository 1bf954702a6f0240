package org.postern.imap.parse;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@code RETURN (...)} of SEARCH (RFC 4731 ESEARCH, RFC 9051 §6.4.4) and SORT (RFC 5267 ESORT).
 * Present at all means the answer is an ESEARCH response; {@code RETURN ()} means ALL.
 *
 * @param options the result options; {@code RETURN ()} is given as {@code {ALL}}
 * @param partial {@code PARTIAL range} (RFC 9394), if asked for
 */
public record SearchReturn(Set<Option> options, Optional<PartialRange> partial) {

    public enum Option {
        MIN, MAX, ALL, COUNT,
        /** RFC 5182 §2 (SEARCHRES): remember the result for {@code $}. */
        SAVE
    }

    public SearchReturn {
        options = options.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(options));
        Objects.requireNonNull(partial, "partial");
    }

    public static SearchReturn of(Option... options) {
        return new SearchReturn(options.length == 0 ? Set.of() : EnumSet.of(options[0], options), Optional.empty());
    }

    public boolean has(Option o) {
        return options.contains(o);
    }
}
