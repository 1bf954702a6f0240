package org.postern.imap;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.postern.imap.AuthCommands.Done;
import org.postern.imap.parse.Command;
import org.postern.imap.parse.SearchKey;
import org.postern.imap.parse.SearchReturn;
import org.postern.mime.Address;
import org.postern.mime.BodyPart;
import org.postern.mime.EncodedWords;
import org.postern.mime.Envelope;
import org.postern.mime.MessageSource;
import org.postern.mime.MessageText;
import org.postern.mime.ParsedMessage;
import org.postern.mime.StructureCache;
import org.postern.mime.Span;
import org.postern.store.Flags;
import org.postern.store.StoredMessage;

/**
 * SEARCH and UID SEARCH (RFC 9051 §6.4.4, RFC 3501 §6.4.4): every key of the grammar, evaluated
 * message by message. Keys on flags, numbers and sizes use only the session's view and the
 * stored rows; header and text keys read the message file (decoded: RFC 2047 words, transfer
 * encodings and charsets), reading only what a key needs.
 */
final class SearchCommand {
    /** Text searched per message at most, in characters. */
    private static final long MAX_TEXT = 20L * 1024 * 1024;

    private SearchCommand() {}

    static Done search(Session s, String tag, Command.Search c) throws IOException {
        SelectedMailbox v = s.requireSelected();
        SearchReturn returns = c.returnOptions().orElse(null);
        boolean withModSeq = CondStore.usesModSeq(c.key());
        if (withModSeq) {
            CondStore.enable(s); // RFC 7162 §3.1: SEARCH MODSEQ is an enabling command
        }
        int[] hits = new int[v.exists()];
        int n = 0;
        Evaluator e = new Evaluator(s, v);
        try {
            for (int seq = 1; seq <= v.exists(); seq++) {
                if (e.matches(c.key(), seq)) {
                    hits[n++] = seq;
                }
                e.forget();
            }
        } catch (RuntimeException failed) {
            if (returns != null && returns.has(SearchReturn.Option.SAVE)) {
                s.saveSearchResult(new long[0]); // RFC 5182 §2.1: a failed SEARCH (SAVE) empties $
            }
            throw failed;
        }
        SearchResults.answer(s, tag, c.uid(), returns, v, Arrays.copyOf(hits, n), withModSeq);
        return new Done(null, (c.uid() ? "UID SEARCH" : "SEARCH") + " completed (Success)");
    }

    /** Evaluates keys for one message at a time, loading what a key needs once per message. */
    static final class Evaluator {
        private final Session s;
        private final SelectedMailbox v;
        private Map<Long, StoredMessage> rows;
        private int seq;
        private long uid;
        private ParsedMessage parsed;
        private MessageSource source;
        private List<MessageText.Field> header;

        Evaluator(Session s, SelectedMailbox v) {
            this.s = s;
            this.v = v;
        }

        void forget() {
            parsed = null;
            source = null;
            header = null;
        }

        boolean matches(SearchKey key, int seq) {
            if (this.seq != seq) {
                forget();
                this.seq = seq;
                this.uid = v.uid(seq);
            }
            try {
                return eval(key);
            } catch (Vanished e) {
                return false; // expunged by another session; its EXPUNGE is still to come
            }
        }

        /** The message is still in the view but no longer in the store. */
        private static final class Vanished extends RuntimeException {
            Vanished() {
                super(null, null, false, false);
            }
        }

        private boolean eval(SearchKey key) {
            return switch (key) {
                case SearchKey.All a -> true;
                case SearchKey.And a -> a.keys().stream().allMatch(this::eval);
                case SearchKey.Or o -> eval(o.left()) || eval(o.right());
                case SearchKey.Not n -> !eval(n.key());
                case SearchKey.Flag f -> hasFlag(f.flag()) == f.present();
                case SearchKey.Sequence q -> q.set().contains(seq, v.exists()) || (q.set().saved() && s.savedResultHas(uid));
                case SearchKey.Uid u -> u.set().contains(uid, v.maxUid()) || (u.set().saved() && s.savedResultHas(uid));
                case SearchKey.Size z -> z.larger() ? row().size() > z.bytes() : row().size() < z.bytes();
                case SearchKey.Date d -> date(d);
                case SearchKey.Within w -> {
                    long age = (s.services.clock().millis() - row().received()) / 1000;
                    yield w.older() ? age >= w.seconds() : age < w.seconds();
                }
                case SearchKey.Text t -> text(t);
                case SearchKey.Header h -> header().stream()
                        .anyMatch(f -> f.name().equalsIgnoreCase(h.name()) && contains(f.value(), h.value()));
                case SearchKey.SaveDateSupported x -> true; // RFC 8514 §4.2: every mailbox keeps save dates
                case SearchKey.ModSeq m -> v.modSeq(seq) >= m.modSeq(); // RFC 7162 §3.1.5; one MODSEQ per message
                case SearchKey.EmailId x -> x.id().equals(ObjectIds.emailId(row())); // RFC 8474 §6
                case SearchKey.ThreadId x -> x.id().equals(ObjectIds.threadId(s.accountId(), row(), parsed()));
            };
        }

        private static ImapException unsupported(String key) {
            return ImapException.bad(null, "SEARCH " + key + " needs an extension this server does not advertise");
        }

        private boolean hasFlag(String flag) {
            int bit = Flags.bit(flag);
            if (bit != 0) {
                return (v.flags(seq) & bit) != 0;
            }
            if (flag.equalsIgnoreCase("\\Recent")) {
                // RFC 3501 §6.4.4 RECENT, NEW, OLD: this session's \Recent (none in IMAP4rev2)
                return s.showsRecent() && v.recent(seq);
            }
            return v.keywords(seq).stream().anyMatch(k -> k.equalsIgnoreCase(flag));
        }

        /** RFC 9051 §6.4.4: dates compare by day, disregarding time and timezone. */
        private boolean date(SearchKey.Date d) {
            LocalDate day = switch (d.field()) {
                case INTERNAL -> Instant.ofEpochMilli(row().received()).atZone(ZoneOffset.UTC).toLocalDate();
                case SAVED -> Instant.ofEpochMilli(row().saved()).atZone(ZoneOffset.UTC).toLocalDate(); // RFC 8514 §4.2
                case SENT -> {
                    ParsedMessage p = parsed();
                    if (p.sentDate().isEmpty()) {
                        yield null;
                    }
                    yield sentDay(p);
                }
            };
            if (day == null) {
                return false;
            }
            return switch (d.comparison()) {
                case BEFORE -> day.isBefore(d.date());
                case ON -> day.isEqual(d.date());
                case SINCE -> !day.isBefore(d.date());
            };
        }

        /** The date of the Date: header in its own time zone, as the sender wrote it. */
        private LocalDate sentDay(ParsedMessage p) {
            for (MessageText.Field f : header()) {
                if (f.name().equalsIgnoreCase("Date")) {
                    try {
                        return java.time.ZonedDateTime.parse(f.value().replaceAll("\\s*\\(.*\\)\\s*$", "").strip(),
                                java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toLocalDate();
                    } catch (java.time.format.DateTimeParseException e) {
                        break;
                    }
                }
            }
            return Instant.ofEpochMilli(p.sentDate().getAsLong()).atZone(ZoneOffset.UTC).toLocalDate();
        }

        private boolean text(SearchKey.Text t) {
            String needle = t.value();
            return switch (t.field()) {
                case SUBJECT -> MessageText.values(header(), t.field().name()).stream()
                        .anyMatch(value -> contains(value, needle));
                case FROM, TO, CC, BCC -> MessageText.values(header(), t.field().name()).stream()
                        .anyMatch(value -> contains(value, needle)) || envelopeAddresses(t.field(), needle);
                case BODY -> body(needle);
                case TEXT -> header().stream().anyMatch(f -> contains(f.name() + ": " + f.value(), needle)) || body(needle);
            };
        }

        /**
         * RFC 9051 §6.4.4: FROM, TO, CC and BCC search the envelope's address fields, so an
         * address written with comments or folding ({@code <user (x)@ (y) example.org>}) is found
         * by {@code user@example.org} as it reads there, as is its display name.
         */
        private boolean envelopeAddresses(SearchKey.TextField field, String needle) {
            Envelope env = parsed().envelope();
            List<Address> addresses = switch (field) {
                case FROM -> env.from();
                case TO -> env.to();
                case CC -> env.cc();
                case BCC -> env.bcc();
                default -> List.of();
            };
            for (Address.Mailbox m : Envelope.mailboxes(addresses)) {
                if (contains(m.address(), needle) || (m.decodedName() != null && contains(m.decodedName(), needle))) {
                    return true;
                }
            }
            return false;
        }

        private boolean body(String needle) {
            String folded = MessageText.fold(needle);
            try {
                return MessageText.anyText(parsed(), source(), MAX_TEXT, text -> MessageText.fold(text).contains(folded))
                        || attachedHeaders(parsed().root(), folded);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * The header of a message attached to this one (message/rfc822) is part of this message's
         * body (RFC 9051 §6.4.4 BODY, RFC 5322 §2.1): its fields are searched like text.
         */
        private boolean attachedHeaders(BodyPart part, String folded) throws IOException {
            return switch (part) {
                case BodyPart.Leaf leaf -> false;
                case BodyPart.Multipart m -> {
                    for (BodyPart child : m.children()) {
                        if (attachedHeaders(child, folded)) {
                            yield true;
                        }
                    }
                    yield false;
                }
                case BodyPart.Message m -> {
                    Span span = m.body().span();
                    long size = Math.min(span.headerSize(), MessageText.MAX_HEADER_BYTES);
                    String header;
                    try (InputStream in = source().open(span.headerStart(), size)) {
                        header = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    }
                    yield MessageText.fold(EncodedWords.decode(header.replace("\r\n", " "))).contains(folded)
                            || attachedHeaders(m.body(), folded);
                }
            };
        }

        private static boolean contains(String haystack, String needle) {
            return MessageText.fold(haystack).contains(MessageText.fold(needle));
        }

        private StoredMessage row() {
            if (rows == null) {
                rows = new HashMap<>();
                for (StoredMessage m : s.services.store().messages(v.mailboxId)) {
                    rows.put(m.uid(), m);
                }
            }
            StoredMessage m = rows.get(uid);
            if (m == null) {
                throw new Vanished();
            }
            return m;
        }

        private ParsedMessage parsed() {
            if (parsed == null) {
                StoredMessage r = row();
                parsed = StructureCache.SHARED.get(r.blob(), () -> s.services.store().structure(r.messageId()));
            }
            return parsed;
        }

        private MessageSource source() {
            if (source == null) {
                try {
                    source = MessageSource.of(s.services.store().blobs().verifiedPath(row().blob(), row().size()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return source;
        }

        private List<MessageText.Field> header() {
            if (header == null) {
                try {
                    header = MessageText.header(parsed(), source());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return header;
        }
    }
}
