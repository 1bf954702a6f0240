package org.postern.imap;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.postern.imap.AuthCommands.Done;
import org.postern.imap.parse.Command;
import org.postern.imap.parse.SearchReturn;
import org.postern.imap.parse.SortCriterion;
import org.postern.mime.Address;
import org.postern.mime.EncodedWords;

/**
 * SORT and UID SORT (RFC 5256 §3) with every sort key, DISPLAYFROM and DISPLAYTO (RFC 5957), and
 * ESORT's RETURN options (RFC 5267 §3). Messages equal on every key stay in sequence order
 * (RFC 5256 §3: "sorted in order of their sequence number"), whatever REVERSE says.
 */
final class SortCommand {
    private SortCommand() {}

    static Done sort(Session s, String tag, Command.Sort c) throws IOException {
        Optional<SearchReturn> ret = c.returnOptions();
        if (ret.isPresent() && ret.get().partial().isPresent()) {
            throw ImapException.bad(null, "SORT RETURN (PARTIAL) needs CONTEXT=SORT, which this server does not advertise");
        }
        boolean headers = c.criteria().stream().anyMatch(k -> k.key() != SortCriterion.Key.ARRIVAL && k.key() != SortCriterion.Key.SIZE);
        List<MessageFacts> facts = new ArrayList<>(MessageFacts.matching(s, c.key(), headers));
        facts.sort(comparator(c.criteria()));
        long[] numbers = MessageFacts.numbers(facts, c.uid());
        if (ret.isPresent()) {
            s.out.untagged(esort(tag, c, ret.get(), numbers));
        } else {
            StringBuilder sb = new StringBuilder("SORT");
            for (long n : numbers) {
                sb.append(' ').append(n);
            }
            s.out.untagged(sb.toString());
        }
        return new Done(null, c.name() + " completed (Success)");
    }

    /** The sort criteria in order, then the sequence number. */
    static Comparator<MessageFacts> comparator(List<SortCriterion> criteria) {
        Comparator<MessageFacts> all = null;
        for (SortCriterion k : criteria) {
            Comparator<MessageFacts> one = key(k.key());
            if (k.reverse()) {
                one = one.reversed();
            }
            all = all == null ? one : all.thenComparing(one);
        }
        Comparator<MessageFacts> bySeq = Comparator.comparingInt(MessageFacts::seq);
        return all == null ? bySeq : all.thenComparing(bySeq);
    }

    private static Comparator<MessageFacts> key(SortCriterion.Key key) {
        return switch (key) {
            case ARRIVAL -> Comparator.comparingLong(MessageFacts::received);
            case DATE -> Comparator.comparingLong(MessageFacts::sent);
            case SIZE -> Comparator.comparingLong(MessageFacts::size);
            case SUBJECT -> text(f -> BaseSubject.of(f.subject()).text());
            // RFC 5256 §3: the addr-mailbox (local part) of the first address
            case FROM -> text(f -> mailbox(f.from()));
            case TO -> text(f -> mailbox(f.to()));
            case CC -> text(f -> mailbox(f.cc()));
            case DISPLAYFROM -> text(f -> display(f.from()));
            case DISPLAYTO -> text(f -> display(f.to()));
        };
    }

    /** Compares a derived string, computed once per message. */
    private static Comparator<MessageFacts> text(java.util.function.Function<MessageFacts, String> f) {
        Map<MessageFacts, String> cache = new IdentityHashMap<>();
        return (a, b) -> BaseSubject.compareAsciiCasemap(cache.computeIfAbsent(a, f), cache.computeIfAbsent(b, f));
    }

    /** A group's first "address" in the ENVELOPE is its start marker, named by the group (as Dovecot does). */
    private static String mailbox(Address a) {
        return switch (a) {
            case null -> "";
            case Address.Mailbox m -> m.mailbox();
            case Address.Group g -> g.name();
        };
    }

    /**
     * RFC 5957 §3: the display name of the first address, decoded, when it has a non-empty one;
     * otherwise its addr-spec; a group's display name; the empty string when there is no address.
     */
    private static String display(Address a) {
        return switch (a) {
            case null -> "";
            case Address.Group g -> EncodedWords.decode(g.name()).strip();
            case Address.Mailbox m -> {
                String name = m.decodedName();
                yield name != null && !name.isBlank() ? name.strip() : m.address();
            }
        };
    }

    /**
     * The ESEARCH response of SORT RETURN (RFC 5267 §3.2): MIN and MAX are the first and last
     * message in sort order, ALL lists them in sort order.
     */
    private static String esort(String tag, Command.Sort c, SearchReturn ret, long[] numbers) {
        StringBuilder sb = new StringBuilder("ESEARCH (TAG ").append(Responses.string(tag, false)).append(')');
        if (c.uid()) {
            sb.append(" UID");
        }
        if (ret.has(SearchReturn.Option.MIN) && numbers.length > 0) {
            sb.append(" MIN ").append(numbers[0]);
        }
        if (ret.has(SearchReturn.Option.MAX) && numbers.length > 0) {
            sb.append(" MAX ").append(numbers[numbers.length - 1]);
        }
        if (ret.has(SearchReturn.Option.COUNT)) {
            sb.append(" COUNT ").append(numbers.length);
        }
        if (ret.has(SearchReturn.Option.ALL) && numbers.length > 0) {
            sb.append(" ALL ").append(orderedSet(numbers));
        }
        return sb.toString();
    }

    /** A sequence-set that keeps the order given: only ascending runs become ranges. */
    static String orderedSet(long[] numbers) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < numbers.length; ) {
            int j = i;
            while (j + 1 < numbers.length && numbers[j + 1] == numbers[j] + 1) {
                j++;
            }
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append(numbers[i]);
            if (j > i) {
                sb.append(':').append(numbers[j]);
            }
            i = j + 1;
        }
        return sb.toString();
    }
}
