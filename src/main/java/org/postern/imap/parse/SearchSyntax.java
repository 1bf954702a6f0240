package org.postern.imap.parse;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * SEARCH (RFC 9051 §6.4.4), its ESEARCH return options (RFC 4731, RFC 5182, RFC 9394), SORT and
 * THREAD (RFC 5256) with ESORT (RFC 5267).
 */
final class SearchSyntax {
    /** Parentheses, NOT and OR nest at most this deep, so a hostile command cannot exhaust the stack. */
    static final int MAX_DEPTH = 64;
    /** What BADCHARSET lists (RFC 9051 §6.4.4 requires US-ASCII and UTF-8). */
    static final String BADCHARSET = "BADCHARSET (US-ASCII UTF-8)";

    private SearchSyntax() {
    }

    /** {@code search = "SEARCH" [search-return-opts] SP search-program}. */
    static Command.Search search(TokenCursor c, boolean uid) throws SyntaxException {
        Optional<SearchReturn> ret = Optional.empty();
        if (c.acceptAtom("RETURN")) {
            ret = Optional.of(returnOptions(c, true));
        }
        Optional<String> charsetName = Optional.empty();
        Charset charset = StandardCharsets.UTF_8;
        if (c.acceptAtom("CHARSET")) {
            String name = c.astring("the charset").toUpperCase(Locale.ROOT);
            charset = charset(name);
            charsetName = Optional.of(name);
        }
        SearchKey key = program(c, charset);
        return new Command.Search(uid, ret, charsetName, key);
    }

    /** {@code sort = ["UID" SP] "SORT" [SP "RETURN" ...] SP sort-criteria SP charset 1*(SP search-key)}. */
    static Command.Sort sort(TokenCursor c, boolean uid) throws SyntaxException {
        Optional<SearchReturn> ret = Optional.empty();
        if (c.acceptAtom("RETURN")) { // RFC 5267 §3
            ret = Optional.of(returnOptions(c, false));
        }
        c.open("the sort criteria");
        List<SortCriterion> criteria = new ArrayList<>();
        do {
            boolean reverse = c.acceptAtom("REVERSE");
            String k = c.keyword("a sort key");
            SortCriterion.Key key;
            try {
                key = SortCriterion.Key.valueOf(k);
            } catch (IllegalArgumentException e) {
                throw new SyntaxException("unknown sort key " + Texts.clip(k)
                        + " (ARRIVAL, CC, DATE, FROM, SIZE, SUBJECT, TO, DISPLAYFROM, DISPLAYTO)");
            }
            criteria.add(new SortCriterion(key, reverse));
        } while (c.untilClose("the sort criteria"));
        c.close("the sort criteria");
        String name = c.astring("the charset").toUpperCase(Locale.ROOT);
        Charset charset = charset(name);
        return new Command.Sort(uid, criteria, name, program(c, charset), ret);
    }

    /** {@code thread = ["UID" SP] "THREAD" SP thread-alg SP search-criteria}. */
    static Command.Thread thread(TokenCursor c, boolean uid) throws SyntaxException {
        String alg = c.keyword("the threading algorithm");
        Command.Thread.Algorithm algorithm;
        try {
            algorithm = Command.Thread.Algorithm.valueOf(alg);
        } catch (IllegalArgumentException e) {
            throw new SyntaxException("unknown threading algorithm " + Texts.clip(alg) + " (ORDEREDSUBJECT or REFERENCES)");
        }
        String name = c.astring("the charset").toUpperCase(Locale.ROOT);
        Charset charset = charset(name);
        return new Command.Thread(uid, algorithm, name, program(c, charset));
    }

    static Charset charset(String name) throws SyntaxException {
        try {
            return Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            // RFC 9051 §6.4.4: an unknown charset is a tagged NO with BADCHARSET, not a BAD
            throw new SyntaxException(CommandError.Kind.BAD_CHARSET, CommandError.Status.NO, BADCHARSET,
                    "unknown charset " + Texts.clip(name));
        }
    }

    /** {@code search-return-opts} (RFC 4466 §2.6, RFC 4731 §3.1). */
    static SearchReturn returnOptions(TokenCursor c, boolean search) throws SyntaxException {
        c.open("the RETURN options");
        EnumSet<SearchReturn.Option> options = EnumSet.noneOf(SearchReturn.Option.class);
        Optional<PartialRange> partial = Optional.empty();
        while (c.untilClose("the RETURN options")) {
            String o = c.keyword("a RETURN option");
            switch (o) {
                case "MIN" -> options.add(SearchReturn.Option.MIN);
                case "MAX" -> options.add(SearchReturn.Option.MAX);
                case "ALL" -> options.add(SearchReturn.Option.ALL);
                case "COUNT" -> options.add(SearchReturn.Option.COUNT);
                case "SAVE" -> {
                    if (!search) {
                        throw new SyntaxException("SAVE is a SEARCH option (RFC 5182)");
                    }
                    options.add(SearchReturn.Option.SAVE);
                }
                case "PARTIAL" -> {
                    if (partial.isPresent()) {
                        throw new SyntaxException("PARTIAL may be given once (RFC 9394 section 3.1)");
                    }
                    partial = Optional.of(partialRange(c));
                }
                default -> throw new SyntaxException("unknown RETURN option " + Texts.clip(o)
                        + " (MIN, MAX, ALL, COUNT, SAVE, PARTIAL)");
            }
        }
        c.close("the RETURN options");
        if (partial.isPresent() && options.contains(SearchReturn.Option.ALL)) {
            throw new SyntaxException("PARTIAL and ALL cannot be asked for together (RFC 9394 section 3.1)");
        }
        if (options.isEmpty() && partial.isEmpty()) {
            options.add(SearchReturn.Option.ALL); // RFC 4731 §3.1: RETURN () means ALL
        }
        return new SearchReturn(options, partial);
    }

    /** {@code partial-range} (RFC 9394 §3): {@code n:m} or {@code -n:-m}, either order, no {@code *}. */
    static PartialRange partialRange(TokenCursor c) throws SyntaxException {
        Token t = c.next("the PARTIAL range");
        String s = t instanceof Token.Atom a ? a.text() : t.toString();
        int colon = s.indexOf(':');
        if (!(t instanceof Token.Atom) || colon < 0) {
            throw new SyntaxException("invalid PARTIAL range " + Texts.clip(s) + " (expected 1:100 or -1:-100)");
        }
        String x = s.substring(0, colon);
        String y = s.substring(colon + 1);
        boolean negX = x.startsWith("-");
        boolean negY = y.startsWith("-");
        if (negX != negY) {
            throw new SyntaxException("invalid PARTIAL range " + Texts.clip(s) + ": both ends count from the start or both from the end");
        }
        long a = TokenCursor.parseNumber(negX ? x.substring(1) : x, "PARTIAL range", 0xffff_ffffL, true);
        long b = TokenCursor.parseNumber(negY ? y.substring(1) : y, "PARTIAL range", 0xffff_ffffL, true);
        if (negX) {
            a = -a;
            b = -b;
        }
        return new PartialRange(Math.min(a, b), Math.max(a, b));
    }

    /** {@code search-program}: one or more keys, all of which must match. */
    static SearchKey program(TokenCursor c, Charset charset) throws SyntaxException {
        List<SearchKey> keys = new ArrayList<>();
        do {
            keys.add(key(c, charset, 0));
        } while (!c.atEnd());
        return keys.size() == 1 ? keys.getFirst() : new SearchKey.And(keys);
    }

    /** {@code search-key}. */
    static SearchKey key(TokenCursor c, Charset cs, int depth) throws SyntaxException {
        if (depth > MAX_DEPTH) {
            throw new SyntaxException("search keys nested more than " + MAX_DEPTH + " deep");
        }
        Token t = c.next("a search key");
        if (t instanceof Token.Open) {
            List<SearchKey> keys = new ArrayList<>();
            do {
                keys.add(key(c, cs, depth + 1));
            } while (c.untilClose("the search key list"));
            c.close("the search key list");
            return keys.size() == 1 ? keys.getFirst() : new SearchKey.And(keys);
        }
        if (!(t instanceof Token.Atom a)) {
            throw new SyntaxException("expected a search key, found " + Texts.clip(t.toString()));
        }
        String text = a.text();
        char first = text.charAt(0);
        if ((first >= '0' && first <= '9') || first == '*' || first == '$') {
            return new SearchKey.Sequence(TokenCursor.parseSequenceSet(text));
        }
        String k = text.toUpperCase(Locale.ROOT);
        return switch (k) {
            case "ALL" -> new SearchKey.All();
            case "ANSWERED" -> flag("\\Answered", true);
            case "DELETED" -> flag("\\Deleted", true);
            case "DRAFT" -> flag("\\Draft", true);
            case "FLAGGED" -> flag("\\Flagged", true);
            case "SEEN" -> flag("\\Seen", true);
            case "UNANSWERED" -> flag("\\Answered", false);
            case "UNDELETED" -> flag("\\Deleted", false);
            case "UNDRAFT" -> flag("\\Draft", false);
            case "UNFLAGGED" -> flag("\\Flagged", false);
            case "UNSEEN" -> flag("\\Seen", false);
            // RFC 3501 §6.4.4 (not in IMAP4rev2): RECENT, NEW = RECENT UNSEEN, OLD = NOT RECENT
            case "RECENT" -> flag("\\Recent", true);
            case "OLD" -> flag("\\Recent", false);
            case "NEW" -> new SearchKey.And(List.of(flag("\\Recent", true), flag("\\Seen", false)));
            case "KEYWORD" -> flag(c.keywordFlag("the keyword"), true);
            case "UNKEYWORD" -> flag(c.keywordFlag("the keyword"), false);
            case "BEFORE" -> date(c, SearchKey.DateField.INTERNAL, SearchKey.DateComparison.BEFORE);
            case "ON" -> date(c, SearchKey.DateField.INTERNAL, SearchKey.DateComparison.ON);
            case "SINCE" -> date(c, SearchKey.DateField.INTERNAL, SearchKey.DateComparison.SINCE);
            case "SENTBEFORE" -> date(c, SearchKey.DateField.SENT, SearchKey.DateComparison.BEFORE);
            case "SENTON" -> date(c, SearchKey.DateField.SENT, SearchKey.DateComparison.ON);
            case "SENTSINCE" -> date(c, SearchKey.DateField.SENT, SearchKey.DateComparison.SINCE);
            // RFC 8514 §4.2 (SAVEDATE)
            case "SAVEDBEFORE" -> date(c, SearchKey.DateField.SAVED, SearchKey.DateComparison.BEFORE);
            case "SAVEDON" -> date(c, SearchKey.DateField.SAVED, SearchKey.DateComparison.ON);
            case "SAVEDSINCE" -> date(c, SearchKey.DateField.SAVED, SearchKey.DateComparison.SINCE);
            case "SAVEDATESUPPORTED" -> new SearchKey.SaveDateSupported();
            // RFC 5032 §3 (WITHIN)
            case "OLDER" -> new SearchKey.Within(true, c.nzNumber("the number of seconds"));
            case "YOUNGER" -> new SearchKey.Within(false, c.nzNumber("the number of seconds"));
            case "BCC" -> text(c, cs, SearchKey.TextField.BCC);
            case "BODY" -> text(c, cs, SearchKey.TextField.BODY);
            case "CC" -> text(c, cs, SearchKey.TextField.CC);
            case "FROM" -> text(c, cs, SearchKey.TextField.FROM);
            case "SUBJECT" -> text(c, cs, SearchKey.TextField.SUBJECT);
            case "TEXT" -> text(c, cs, SearchKey.TextField.TEXT);
            case "TO" -> text(c, cs, SearchKey.TextField.TO);
            case "HEADER" -> new SearchKey.Header(FetchSyntax.headerFieldName(c), c.searchString("the header value", cs));
            case "LARGER" -> new SearchKey.Size(true, c.number64("the size"));
            case "SMALLER" -> new SearchKey.Size(false, c.number64("the size"));
            case "UID" -> new SearchKey.Uid(c.sequenceSet("the UID set"));
            case "NOT" -> new SearchKey.Not(key(c, cs, depth + 1));
            case "OR" -> {
                SearchKey left = key(c, cs, depth + 1);
                yield new SearchKey.Or(left, key(c, cs, depth + 1));
            }
            case "MODSEQ" -> modSeq(c);
            // RFC 8474 §6 (OBJECTID)
            case "EMAILID" -> new SearchKey.EmailId(objectId(c, "the EMAILID"));
            case "THREADID" -> new SearchKey.ThreadId(objectId(c, "the THREADID"));
            default -> throw new SyntaxException("unknown search key " + Texts.clip(text));
        };
    }

    private static SearchKey flag(String flag, boolean present) {
        return new SearchKey.Flag(flag, present);
    }

    private static SearchKey date(TokenCursor c, SearchKey.DateField f, SearchKey.DateComparison cmp)
            throws SyntaxException {
        return new SearchKey.Date(f, cmp, c.date("the date"));
    }

    private static SearchKey text(TokenCursor c, Charset cs, SearchKey.TextField f) throws SyntaxException {
        return new SearchKey.Text(f, c.searchString("the text to search for", cs));
    }

    /**
     * RFC 7162 §3.1.5: {@code "MODSEQ" [SP entry-name SP entry-type-req] SP mod-sequence-valzer},
     * entry-name being {@code "/flags/" attr-flag} in quotes.
     */
    private static SearchKey modSeq(TokenCursor c) throws SyntaxException {
        Optional<String> flag = Optional.empty();
        Optional<String> type = Optional.empty();
        if (c.peek() instanceof Token.Quoted q) {
            c.next("the entry name");
            String entry = q.text();
            if (!entry.regionMatches(true, 0, "/flags/", 0, 7) || entry.length() == 7) {
                throw new SyntaxException("invalid MODSEQ entry name " + Texts.clip(entry) + " (\"/flags/\\\\Seen\")");
            }
            flag = Optional.of(entry.substring(7));
            String t = c.keyword("the entry type").toLowerCase(Locale.ROOT);
            if (!t.equals("priv") && !t.equals("shared") && !t.equals("all")) {
                throw new SyntaxException("invalid MODSEQ entry type " + Texts.clip(t) + " (priv, shared or all)");
            }
            type = Optional.of(t);
        }
        return new SearchKey.ModSeq(c.number64("the MODSEQ value"), flag, type);
    }

    /** {@code objectid = 1*255(ALPHA / DIGIT / "_" / "-")} (RFC 8474 §7). */
    static String objectId(TokenCursor c, String what) throws SyntaxException {
        String id = c.astring(what);
        if (id.isEmpty() || id.length() > 255) {
            throw new SyntaxException("invalid " + what + " " + Texts.clip(id));
        }
        for (int i = 0; i < id.length(); i++) {
            char ch = id.charAt(i);
            boolean ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')
                    || ch == '_' || ch == '-';
            if (!ok) {
                throw new SyntaxException("invalid " + what + " " + Texts.clip(id) + " (letters, digits, '_' and '-')");
            }
        }
        return id;
    }
}
