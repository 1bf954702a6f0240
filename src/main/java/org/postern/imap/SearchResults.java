package org.postern.imap;

import java.io.IOException;
import java.util.Arrays;
import org.postern.imap.parse.PartialRange;
import org.postern.imap.parse.SearchReturn;
import org.postern.imap.parse.SearchReturn.Option;

/**
 * How a SEARCH answers once the matching messages are known: the classic {@code * SEARCH}
 * response, or {@code * ESEARCH} with the RETURN options asked for (RFC 4731); the result kept
 * for {@code $} by RETURN (SAVE) (RFC 5182); a page of the result by RETURN (PARTIAL)
 * (RFC 9394); and the MODSEQ of the result when the program used
 * the MODSEQ key (RFC 7162 §3.1.5).
 */
final class SearchResults {
    private SearchResults() {}

    /**
     * Answers a search whose matches are {@code seqs} (ascending sequence numbers).
     *
     * @param returns    the RETURN options, or null for the classic response
     * @param withModSeq whether the program used MODSEQ
     */
    static void answer(Session s, String tag, boolean uid, SearchReturn returns, SelectedMailbox v, int[] seqs,
                       boolean withModSeq) throws IOException {
        if (returns == null && s.imap4rev2) {
            returns = SearchReturn.of(Option.ALL); // RFC 9051 §6.4.4: IMAP4rev2 answers SEARCH with ESEARCH
        }
        if (returns == null) {
            StringBuilder sb = new StringBuilder("SEARCH");
            for (int seq : seqs) {
                sb.append(' ').append(uid ? v.uid(seq) : seq);
            }
            if (withModSeq && seqs.length > 0) {
                sb.append(" (MODSEQ ").append(highestModSeq(v, seqs)).append(')');
            }
            s.out.untagged(sb.toString());
            return;
        }
        // RETURN () means ALL (RFC 4731 §3.1); the parser gives it as {ALL}.
        boolean min = returns.has(Option.MIN);
        boolean max = returns.has(Option.MAX);
        boolean all = returns.has(Option.ALL);
        boolean count = returns.has(Option.COUNT);
        PartialRange partial = returns.partial().orElse(null);
        int[] page = null; // RFC 9394 §3.1: the results at the positions PARTIAL names
        if (partial != null) {
            int[] w = partial.window(seqs.length);
            page = Arrays.copyOfRange(seqs, w[0], w[1]);
        }
        if (returns.has(Option.SAVE)) {
            s.saveSearchResult(saved(v, seqs, min, max, all || count, page));
        }
        if (!(min || max || all || count || page != null)) {
            return; // RFC 5182 §2.2: RETURN (SAVE) alone gives no ESEARCH response
        }
        StringBuilder sb = new StringBuilder("ESEARCH (TAG ").append(Responses.string(tag, false)).append(')');
        if (uid) {
            sb.append(" UID");
        }
        if (min && seqs.length > 0) {
            sb.append(" MIN ").append(number(v, seqs[0], uid));
        }
        if (max && seqs.length > 0) {
            sb.append(" MAX ").append(number(v, seqs[seqs.length - 1], uid));
        }
        if (count) {
            sb.append(" COUNT ").append(seqs.length);
        }
        if (all && seqs.length > 0) {
            sb.append(" ALL ").append(numbers(v, seqs, uid));
        }
        if (page != null) {
            sb.append(" PARTIAL (").append(partial.format()).append(' ')
                    .append(page.length == 0 ? "NIL" : numbers(v, page, uid)).append(')');
        }
        if (withModSeq && seqs.length > 0) {
            // RFC 4731 §3.2 via RFC 7162 §3.1.5: with only MIN, MAX and/or PARTIAL, the MODSEQ of
            // the messages returned; otherwise of every message found.
            int[] reported = (all || count) ? seqs : returned(seqs, min, max, page);
            if (reported.length > 0) {
                sb.append(" MODSEQ ").append(highestModSeq(v, reported));
            }
        }
        s.out.untagged(sb.toString());
    }

    /**
     * What RETURN (SAVE) keeps, as UIDs (RFC 5182 §2.1, RFC 9394 §3.2): with ALL or COUNT, or
     * with none of MIN, MAX and PARTIAL, every match; otherwise the messages those return.
     */
    private static long[] saved(SelectedMailbox v, int[] seqs, boolean min, boolean max, boolean allOrCount, int[] page) {
        int[] kept = allOrCount || (!min && !max && page == null) ? seqs : returned(seqs, min, max, page);
        return Arrays.stream(kept).mapToLong(v::uid).toArray();
    }

    /** The matches that MIN, MAX and the PARTIAL page return, ascending, each once. */
    private static int[] returned(int[] seqs, boolean min, boolean max, int[] page) {
        if (seqs.length == 0) {
            return seqs;
        }
        java.util.stream.IntStream.Builder b = java.util.stream.IntStream.builder();
        if (min) {
            b.add(seqs[0]);
        }
        if (max) {
            b.add(seqs[seqs.length - 1]);
        }
        if (page != null) {
            Arrays.stream(page).forEach(b);
        }
        return b.build().sorted().distinct().toArray();
    }

    private static String numbers(SelectedMailbox v, int[] seqs, boolean uid) {
        return UidSets.format(Arrays.stream(seqs).mapToLong(seq -> number(v, seq, uid)).toArray());
    }

    private static long number(SelectedMailbox v, int seq, boolean uid) {
        return uid ? v.uid(seq) : seq;
    }

    private static long highestModSeq(SelectedMailbox v, int[] seqs) {
        long highest = 0;
        for (int seq : seqs) {
            highest = Math.max(highest, v.modSeq(seq));
        }
        return highest;
    }
}
