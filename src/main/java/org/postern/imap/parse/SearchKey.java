package org.postern.imap.parse;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code search-key} (RFC 9051 §6.4.4, RFC 3501 §6.4.4, and the extensions named on each
 * record). Strings are decoded from the command's CHARSET. Keys that the RFCs define as
 * shorthands are spelled out: {@code SEEN} is {@code Flag("\Seen", true)}, {@code NEW} is
 * {@code RECENT UNSEEN}, {@code OLD} is {@code NOT RECENT}. Gmail's {@code X-GM-RAW} and friends
 * would be further records here and names in {@code SearchSyntax}.
 */
public sealed interface SearchKey {

    /** {@code ALL}. */
    record All() implements SearchKey {
    }

    /**
     * A flag set or not: ANSWERED, DELETED, DRAFT, FLAGGED, SEEN, RECENT and their UN- forms,
     * KEYWORD and UNKEYWORD.
     *
     * @param flag    a system flag in canonical case ({@code \Seen}) or a keyword as written
     * @param present true for ANSWERED, KEYWORD..., false for UNANSWERED, UNKEYWORD...
     */
    record Flag(String flag, boolean present) implements SearchKey {
        public Flag {
            Objects.requireNonNull(flag, "flag");
        }
    }

    /** Which date a date key compares. */
    enum DateField {
        /** BEFORE, ON, SINCE: the internal date. */
        INTERNAL,
        /** SENTBEFORE, SENTON, SENTSINCE: the Date: header. */
        SENT,
        /** SAVEDBEFORE, SAVEDON, SAVEDSINCE (RFC 8514 §4.2). */
        SAVED
    }

    /** How a date key compares; dates are compared without time and time zone. */
    enum DateComparison { BEFORE, ON, SINCE }

    record Date(DateField field, DateComparison comparison, LocalDate date) implements SearchKey {
        public Date {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(comparison, "comparison");
            Objects.requireNonNull(date, "date");
        }
    }

    /** {@code SAVEDATESUPPORTED} (RFC 8514 §4.2): all messages when the mailbox keeps save dates. */
    record SaveDateSupported() implements SearchKey {
    }

    /**
     * {@code OLDER n} and {@code YOUNGER n} (RFC 5032 §3, WITHIN): the internal date is more
     * than, or at most, {@code seconds} before now.
     */
    record Within(boolean older, long seconds) implements SearchKey {
    }

    /** Where a text key looks. */
    enum TextField { BCC, BODY, CC, FROM, SUBJECT, TEXT, TO }

    /** BCC, BODY, CC, FROM, SUBJECT, TEXT, TO: a substring, compared case-insensitively. */
    record Text(TextField field, String value) implements SearchKey {
        public Text {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(value, "value");
        }
    }

    /** {@code HEADER field-name string}; an empty string matches every message with the field. */
    record Header(String name, String value) implements SearchKey {
        public Header {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    /** {@code LARGER n} and {@code SMALLER n}: the RFC822.SIZE. */
    record Size(boolean larger, long bytes) implements SearchKey {
    }

    /** A bare {@code sequence-set}: message sequence numbers. */
    record Sequence(SequenceSet set) implements SearchKey {
        public Sequence {
            Objects.requireNonNull(set, "set");
        }
    }

    /** {@code UID sequence-set}. */
    record Uid(SequenceSet set) implements SearchKey {
        public Uid {
            Objects.requireNonNull(set, "set");
        }
    }

    record Not(SearchKey key) implements SearchKey {
        public Not {
            Objects.requireNonNull(key, "key");
        }
    }

    record Or(SearchKey left, SearchKey right) implements SearchKey {
        public Or {
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }
    }

    /** A parenthesised list, and the keys of a search program: all must match. */
    record And(List<SearchKey> keys) implements SearchKey {
        public And {
            keys = List.copyOf(keys);
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("empty AND");
            }
        }
    }

    /**
     * {@code MODSEQ [entry-name entry-type-req] mod-sequence-valzer} (RFC 7162 §3.1.5): messages
     * whose mod-sequence is at least {@code modSeq}.
     *
     * @param flag      the flag of {@code "/flags/<flag>"}, if given
     * @param entryType {@code priv}, {@code shared} or {@code all}, given with the flag
     */
    record ModSeq(long modSeq, Optional<String> flag, Optional<String> entryType) implements SearchKey {
        public ModSeq {
            Objects.requireNonNull(flag, "flag");
            Objects.requireNonNull(entryType, "entryType");
        }
    }

    /** {@code EMAILID objectid} (RFC 8474 §6). */
    record EmailId(String id) implements SearchKey {
        public EmailId {
            Objects.requireNonNull(id, "id");
        }
    }

    /** {@code THREADID objectid} (RFC 8474 §6). */
    record ThreadId(String id) implements SearchKey {
        public ThreadId {
            Objects.requireNonNull(id, "id");
        }
    }
}
