package org.postern.imap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.postern.imap.parse.SearchKey;
import org.postern.mime.Address;
import org.postern.mime.Envelope;
import org.postern.mime.ParsedMessage;
import org.postern.mime.StructureCache;
import org.postern.store.StoredMessage;

/**
 * What SORT and THREAD (RFC 5256) compare about one message, read once from the store and the
 * structure parsed at delivery, so that the MIME tree of each message is dropped at once and a
 * large mailbox costs only these few fields per message.
 *
 * @param from the first address of From, a group being one (null when there is none); same for
 *             {@code to} and {@code cc}
 * @param sent the Date: header as epoch ms, or the internal date when it is missing or does not
 *             parse (RFC 5256 §2.2)
 */
record MessageFacts(int seq, long uid, long received, long size, long sent, String subject,
                    Address from, Address to, Address cc,
                    String messageId, List<String> inReplyTo, List<String> references) {

    /** Rows are read from the store this many at a time. */
    private static final int BATCH = 500;

    /**
     * The messages of the selected mailbox that match {@code key}, in sequence order. With
     * {@code headers} false only the stored row is read (enough for ARRIVAL and SIZE).
     */
    static List<MessageFacts> matching(Session s, SearchKey key, boolean headers) {
        SelectedMailbox v = s.requireSelected();
        SearchCommand.Evaluator e = new SearchCommand.Evaluator(s, v);
        List<Integer> seqs = new ArrayList<>();
        for (int seq = 1; seq <= v.exists(); seq++) {
            if (e.matches(key, seq)) {
                seqs.add(seq);
            }
            e.forget();
        }
        List<MessageFacts> out = new ArrayList<>(seqs.size());
        for (int from = 0; from < seqs.size(); from += BATCH) {
            List<Integer> batch = seqs.subList(from, Math.min(seqs.size(), from + BATCH));
            long[] uids = batch.stream().mapToLong(v::uid).toArray();
            Map<Long, StoredMessage> rows = new HashMap<>();
            for (StoredMessage m : s.services.store().messages(v.mailboxId, uids)) {
                rows.put(m.uid(), m);
            }
            for (int i = 0; i < uids.length; i++) {
                StoredMessage row = rows.get(uids[i]);
                if (row == null) {
                    continue; // expunged by another session since; its EXPUNGE comes later
                }
                ParsedMessage p = headers ? StructureCache.SHARED.get(row.blob(), () -> s.services.store().structure(row.messageId())) : null;
                out.add(of(batch.get(i), row, p));
            }
        }
        return out;
    }

    static MessageFacts of(int seq, StoredMessage row, ParsedMessage p) {
        if (p == null) {
            return new MessageFacts(seq, row.uid(), row.received(), row.size(), row.received(), "",
                    null, null, null, null, List.of(), List.of());
        }
        Envelope env = p.envelope();
        return new MessageFacts(seq, row.uid(), row.received(), row.size(), p.sentDate().orElse(row.received()),
                p.subject(), first(env.from()), first(env.to()), first(env.cc()),
                p.messageId(), p.inReplyTo(), p.references());
    }

    /** The first address of a list, a group being one address (as the ENVELOPE shows it). */
    private static Address first(List<Address> list) {
        return list.isEmpty() ? null : list.getFirst();
    }

    /** The numbers a response names: UIDs or sequence numbers. */
    static long[] numbers(List<MessageFacts> facts, boolean uid) {
        return facts.stream().mapToLong(f -> uid ? f.uid() : f.seq()).toArray();
    }

    @Override
    public String toString() {
        return "MessageFacts[" + seq + ", uid " + uid + ", " + Arrays.asList(subject, messageId) + "]";
    }
}
