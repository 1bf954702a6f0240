package org.postern.imap;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.postern.imap.AuthCommands.Done;
import org.postern.imap.parse.Command;
import org.postern.imap.parse.FetchAttribute;
import org.postern.imap.parse.FetchAttribute.Item;
import org.postern.mime.BinaryResult;
import org.postern.mime.ImapRender;
import org.postern.mime.MessageSource;
import org.postern.mime.ParsedMessage;
import org.postern.mime.StructureCache;
import org.postern.mime.StructureCache.Rendering;
import org.postern.mime.SectionContent;
import org.postern.mime.SectionSpec;
import org.postern.mime.Sections;
import org.postern.store.Flags;
import org.postern.store.MailStore;
import org.postern.store.MailboxChange;
import org.postern.store.StoredMessage;

/**
 * FETCH and UID FETCH (RFC 9051 §6.4.5, RFC 3501 §6.4.5, BINARY RFC 3516). Items are answered
 * in the order asked; bodies stream from the message file as literals, never loaded whole. The
 * MIME structure parsed at delivery is read from the store, never parsed again.
 */
final class FetchCommand {
    /** Rows are read from the store this many at a time. */
    private static final int BATCH = 500;
    private static final DateTimeFormatter INTERNALDATE =
            DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

    private FetchCommand() {}

    static Done fetch(Session s, Command.Fetch c) throws IOException {
        SelectedMailbox v = s.requireSelected();
        if (c.vanished() && !(s.qresync && c.uid() && c.changedSince().isPresent())) {
            // RFC 7162 §3.2.6: only UID FETCH with CHANGEDSINCE, after ENABLE QRESYNC.
            throw ImapException.bad(null, "VANISHED needs UID FETCH with CHANGEDSINCE after ENABLE QRESYNC");
        }
        long[] uids = s.resolve(c.set(), c.uid());
        if (c.partial().isPresent()) {
            // RFC 9394 §3.3: only the messages at those positions among the ones the set names
            // (ascending, so 1 is the lowest UID and -1 the highest); CHANGEDSINCE then filters them.
            int[] w = c.partial().get().window(uids.length);
            uids = java.util.Arrays.copyOfRange(uids, w[0], w[1]);
        }
        List<FetchAttribute> attrs = new ArrayList<>(c.attributes());
        if (c.uid() && !attrs.contains(Item.UID)) {
            attrs.addFirst(Item.UID); // RFC 9051 §6.4.9: UID FETCH always answers with the UID
        }
        if (s.qresync && c.uid() && !attrs.contains(Item.MODSEQ)) {
            attrs.add(Item.MODSEQ); // RFC 7162 §3.2: after ENABLE QRESYNC, UID FETCH answers carry MODSEQ
        }
        if (c.changedSince().isPresent() || attrs.contains(Item.MODSEQ)) {
            CondStore.enable(s); // RFC 7162 §3.1: both make FETCH a CONDSTORE enabling command
        }
        if (c.changedSince().isPresent()) {
            // RFC 7162 §3.1.4.1: only messages changed since, and their MODSEQ with them.
            long since = c.changedSince().getAsLong();
            uids = java.util.Arrays.stream(uids).filter(u -> v.seq(u) > 0 && v.modSeq(v.seq(u)) > since).toArray();
            if (!attrs.contains(Item.MODSEQ)) {
                attrs.add(Item.MODSEQ);
            }
            if (c.vanished()) {
                CondStore.vanishedEarlier(s, v, since, c.set()); // RFC 7162 §3.2.6: before the FETCH responses
            }
        }
        boolean setsSeen = !v.readOnly && attrs.stream().anyMatch(FetchCommand::setsSeen);
        boolean needsRow = attrs.stream().anyMatch(a -> !(a == Item.UID || a == Item.FLAGS || a == Item.MODSEQ));
        boolean vanished = false;
        for (int from = 0; from < uids.length; from += BATCH) {
            long[] batch = java.util.Arrays.copyOfRange(uids, from, Math.min(uids.length, from + BATCH));
            Set<Long> newlySeen = setsSeen ? markSeen(s, v, batch) : Set.of();
            Map<Long, StoredMessage> rows = needsRow ? rows(s, v, batch) : Map.of();
            for (long uid : batch) {
                int seq = v.seq(uid);
                if (seq < 0) {
                    continue;
                }
                StoredMessage row = rows.get(uid);
                if (needsRow && row == null) {
                    vanished = true; // expunged by another session since; its EXPUNGE comes later
                    continue;
                }
                writeOne(s, v, seq, uid, row, attrs, newlySeen.contains(uid) ? seenChanged(s, attrs) : List.of());
            }
        }
        if (vanished && !c.uid()) {
            // RFC 5530 EXPUNGEISSUED: the client cannot hear the EXPUNGE during FETCH (RFC 9051
            // §7.5.1), so it is told why some answers are missing. A UID FETCH gets the EXPUNGE
            // right after its responses instead.
            throw ImapException.no("EXPUNGEISSUED", "Some of the messages were deleted by another session; "
                    + "NOOP shows which (Failure)");
        }
        return new Done(null, (c.uid() ? "UID FETCH" : "FETCH") + " completed (Success)");
    }

    /**
     * What a response must add when fetching set \Seen: the new FLAGS (RFC 9051 §6.4.5) and,
     * once CONDSTORE is on, UID and MODSEQ (RFC 7162 §3.1.4.1), unless they were asked for.
     */
    private static List<Item> seenChanged(Session s, List<FetchAttribute> attrs) {
        List<Item> extra = new ArrayList<>();
        List<Item> wanted = s.condstore ? List.of(Item.FLAGS, Item.UID, Item.MODSEQ) : List.of(Item.FLAGS);
        for (Item i : wanted) {
            if (!attrs.contains(i)) {
                extra.add(i);
            }
        }
        return extra;
    }

    private static boolean setsSeen(FetchAttribute a) {
        return switch (a) {
            case Item i -> i == Item.RFC822 || i == Item.RFC822_TEXT;
            case FetchAttribute.BodySection b -> !b.peek();
            case FetchAttribute.Binary b -> !b.peek();
            case FetchAttribute.BinarySize b -> false;
        };
    }

    /**
     * RFC 9051 §6.4.5: fetching a body without .PEEK sets \Seen. Returns the UIDs whose flags
     * this changed: their FETCH responses include the new FLAGS ("if this causes the flags to
     * change, they SHOULD be included"), the others' do not.
     */
    private static Set<Long> markSeen(Session s, SelectedMailbox v, long[] uids) {
        long[] unseen = java.util.Arrays.stream(uids).filter(u -> {
            int seq = v.seq(u);
            return seq > 0 && (v.flags(seq) & Flags.SEEN) == 0;
        }).toArray();
        if (unseen.length == 0) {
            return Set.of();
        }
        MailStore.FlagResult r = s.services.store().setFlags(v.mailboxId, unseen, MailStore.FlagOp.ADD, Flags.SEEN, Set.of(), -1);
        Set<Long> changed = new java.util.HashSet<>();
        for (MailboxChange.FlagsChanged f : r.changed()) {
            v.updated(f.uid(), f.flags(), f.keywords(), f.modSeq());
            changed.add(f.uid());
        }
        return changed;
    }

    private static Map<Long, StoredMessage> rows(Session s, SelectedMailbox v, long[] uids) {
        Map<Long, StoredMessage> out = new HashMap<>();
        for (StoredMessage m : s.services.store().messages(v.mailboxId, uids)) {
            out.put(m.uid(), m);
        }
        return out;
    }

    /** Everything one FETCH response needs that can fail, gathered before a byte is written. */
    private static final class Prepared {
        ParsedMessage parsed;
        MessageSource source;
        final Map<FetchAttribute, BinaryResult> binaries = new HashMap<>();
    }

    private static void writeOne(Session s, SelectedMailbox v, int seq, long uid, StoredMessage row,
                                 List<FetchAttribute> attrs, List<Item> added) throws IOException {
        Prepared p = new Prepared();
        for (FetchAttribute a : attrs) {
            if (needsStructure(a) && p.parsed == null) {
                p.parsed = StructureCache.SHARED.get(row.blob(), () -> s.services.store().structure(row.messageId()));
            }
            if (needsContent(a) && p.source == null) {
                p.source = source(s, row);
            }
            List<Integer> binaryPart = a instanceof FetchAttribute.Binary b ? b.part()
                    : a instanceof FetchAttribute.BinarySize b ? b.part() : null;
            if (binaryPart != null) {
                BinaryResult r = Sections.binary(p.parsed, p.source, ints(binaryPart));
                if (r instanceof BinaryResult.UnknownEncoding u) {
                    // RFC 3516 §4.2: the whole FETCH fails for that message.
                    throw ImapException.no("UNKNOWN-CTE", "Unknown Content-Transfer-Encoding " + u.encoding() + " (Failure)");
                }
                p.binaries.put(a, r);
            }
        }
        s.out.begin("* " + seq + " FETCH (");
        boolean first = true;
        for (FetchAttribute a : attrs) {
            if (!first) {
                s.out.text(" ");
            }
            first = false;
            writeItem(s, v, seq, uid, row, a, p);
        }
        for (Item a : added) {
            s.out.text(" ");
            writeItem(s, v, seq, uid, row, a, p);
        }
        s.out.text(")");
        s.out.endLine();
    }

    private static boolean needsStructure(FetchAttribute a) {
        return switch (a) {
            case Item i -> i == Item.ENVELOPE || i == Item.BODY || i == Item.BODYSTRUCTURE || i == Item.THREADID
                    || i == Item.RFC822 || i == Item.RFC822_HEADER || i == Item.RFC822_TEXT;
            default -> true;
        };
    }

    private static boolean needsContent(FetchAttribute a) {
        return switch (a) {
            case Item i -> i == Item.RFC822 || i == Item.RFC822_HEADER || i == Item.RFC822_TEXT;
            default -> true;
        };
    }

    /** The message file, checked against the size the store recorded. */
    private static MessageSource source(Session s, StoredMessage row) throws IOException {
        return MessageSource.of(s.services.store().blobs().verifiedPath(row.blob(), row.size()));
    }

    private static void writeItem(Session s, SelectedMailbox v, int seq, long uid, StoredMessage row,
                                  FetchAttribute a, Prepared p) throws IOException {
        switch (a) {
            case Item i -> {
                switch (i) {
                    case UID -> s.out.text("UID " + uid);
                    case FLAGS -> s.out.text("FLAGS " + s.flagList(v, seq));
                    case INTERNALDATE -> s.out.text("INTERNALDATE \"" + INTERNALDATE.format(Instant.ofEpochMilli(row.received())) + "\"");
                    case RFC822_SIZE -> s.out.text("RFC822.SIZE " + row.size());
                    case ENVELOPE -> {
                        s.out.text("ENVELOPE ");
                        s.out.bytes(rendering(s, row, p, Rendering.ENVELOPE, m -> ImapRender.envelope(m.envelope(), s.utf8Accept)));
                    }
                    case BODY -> {
                        s.out.text("BODY ");
                        s.out.bytes(rendering(s, row, p, Rendering.BODY, m -> ImapRender.bodyStructure(m, false, s.utf8Accept)));
                    }
                    case BODYSTRUCTURE -> {
                        s.out.text("BODYSTRUCTURE ");
                        s.out.bytes(rendering(s, row, p, Rendering.BODYSTRUCTURE, m -> ImapRender.bodyStructure(m, true, s.utf8Accept)));
                    }
                    case RFC822 -> literal(s, "RFC822", Sections.fetch(p.parsed, p.source, SectionSpec.of(SectionSpec.Kind.ALL)));
                    case RFC822_HEADER -> literal(s, "RFC822.HEADER",
                            Sections.fetch(p.parsed, p.source, SectionSpec.of(SectionSpec.Kind.HEADER)));
                    case RFC822_TEXT -> literal(s, "RFC822.TEXT", Sections.fetch(p.parsed, p.source, SectionSpec.of(SectionSpec.Kind.TEXT)));
                    case MODSEQ -> s.out.text("MODSEQ (" + v.modSeq(seq) + ")");
                    // RFC 8474 §5.1, §5.2 (OBJECTID); RFC 8514 §4 (SAVEDATE: when it entered this mailbox)
                    case EMAILID -> s.out.text("EMAILID (" + ObjectIds.emailId(row) + ")");
                    case THREADID -> s.out.text("THREADID (" + ObjectIds.threadId(s.accountId(), row, p.parsed) + ")");
                    case SAVEDATE -> s.out.text("SAVEDATE \"" + INTERNALDATE.format(Instant.ofEpochMilli(row.saved())) + "\"");
                }
            }
            case FetchAttribute.BodySection b -> {
                SectionContent content = Sections.fetch(p.parsed, p.source, spec(b.section()));
                String name = "BODY[" + b.section().wireForm() + "]";
                if (b.partial().isPresent()) {
                    name += "<" + b.partial().get().offset() + ">";
                    content = content.partial(b.partial().get().offset(), b.partial().get().length());
                }
                literal(s, name, content);
            }
            case FetchAttribute.Binary b -> {
                BinaryResult r = p.binaries.get(a);
                String name = "BINARY[" + dotted(b.part()) + "]";
                switch (r) {
                    case BinaryResult.Decoded d -> {
                        SectionContent content = d.content();
                        if (b.partial().isPresent()) {
                            name += "<" + b.partial().get().offset() + ">";
                            content = content.partial(b.partial().get().offset(), b.partial().get().length());
                        }
                        s.out.text(name + " ");
                        try (InputStream in = content.open()) {
                            s.out.literal(content.length(), in, content.containsNul());
                        }
                    }
                    case BinaryResult.UnknownEncoding u -> throw new IllegalStateException("checked before writing");
                    case BinaryResult.Missing m -> s.out.text(name + " NIL");
                }
            }
            case FetchAttribute.BinarySize b -> {
                BinaryResult r = p.binaries.get(a);
                String name = "BINARY.SIZE[" + dotted(b.part()) + "] ";
                switch (r) {
                    case BinaryResult.Decoded d -> s.out.text(name + d.content().length());
                    case BinaryResult.UnknownEncoding u -> throw new IllegalStateException("checked before writing");
                    case BinaryResult.Missing m -> s.out.text(name + "NIL");
                }
            }
        }
    }

    private static byte[] rendering(Session s, StoredMessage row, Prepared p, Rendering kind,
                                    Function<ParsedMessage, byte[]> render) {
        return StructureCache.SHARED.rendering(row.blob(), p.parsed, kind, s.utf8Accept, render);
    }

    private static void literal(Session s, String name, SectionContent content) throws IOException {
        s.out.text(name + " ");
        try (InputStream in = content.open()) {
            s.out.literal(content.length(), in, false);
        }
    }

    static SectionSpec spec(FetchAttribute.Section section) {
        int[] path = ints(section.part());
        if (section.text().isEmpty()) {
            return SectionSpec.of(SectionSpec.Kind.ALL, path);
        }
        return switch (section.text().get()) {
            case HEADER -> SectionSpec.of(SectionSpec.Kind.HEADER, path);
            case TEXT -> SectionSpec.of(SectionSpec.Kind.TEXT, path);
            case MIME -> SectionSpec.of(SectionSpec.Kind.MIME, path);
            case HEADER_FIELDS -> SectionSpec.fields(false, section.fields(), path);
            case HEADER_FIELDS_NOT -> SectionSpec.fields(true, section.fields(), path);
        };
    }

    private static int[] ints(List<Integer> part) {
        return part.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String dotted(List<Integer> part) {
        return String.join(".", part.stream().map(String::valueOf).toList());
    }
}
