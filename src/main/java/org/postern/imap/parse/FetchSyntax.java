package org.postern.imap.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * FETCH (RFC 9051 §6.4.5): data items, body sections, partials, and the CONDSTORE/QRESYNC
 * modifiers (RFC 7162 §3.1.4.1, §3.2.6); BINARY items (RFC 3516 §4.2).
 */
final class FetchSyntax {
    private FetchSyntax() {
    }

    /**
     * {@code fetch = "FETCH" SP sequence-set SP ("ALL" / "FULL" / "FAST" / fetch-att /
     * "(" fetch-att *(SP fetch-att) ")") [fetch-modifiers]}.
     */
    static Command.Fetch fetch(TokenCursor c, boolean uid) throws SyntaxException {
        SequenceSet set = c.sequenceSet("the sequence set");
        List<FetchAttribute> atts = new ArrayList<>();
        if (c.peekOpen()) {
            // Leniently, as James and others: "()" and the macros inside the list are accepted too.
            c.open("the fetch attributes");
            while (c.untilClose("the fetch attributes")) {
                if (!macro(c, atts)) {
                    atts.add(attribute(c));
                }
            }
            c.close("the fetch attributes");
        } else if (!macro(c, atts)) {
            atts.add(attribute(c));
        }
        OptionalLong changedSince = OptionalLong.empty();
        boolean vanished = false;
        Optional<PartialRange> partial = Optional.empty();
        if (c.peekOpen()) { // RFC 4466 §2.4 fetch-modifiers
            c.open("the fetch modifiers");
            do {
                String m = c.keyword("a fetch modifier");
                switch (m) {
                    // RFC 7162 §3.1.4.1; 0 is accepted too (mod-sequence-valzer) and means "all"
                    case "CHANGEDSINCE" -> changedSince = OptionalLong.of(c.number64("the CHANGEDSINCE mod-sequence"));
                    case "VANISHED" -> vanished = true; // RFC 7162 §3.2.6
                    case "PARTIAL" -> partial = Optional.of(SearchSyntax.partialRange(c)); // RFC 9394 §3.2
                    default -> throw new SyntaxException("unknown fetch modifier " + Texts.clip(m)
                            + " (CHANGEDSINCE, VANISHED, PARTIAL)");
                }
            } while (c.untilClose("the fetch modifiers"));
            c.close("the fetch modifiers");
        }
        c.expectEnd();
        if (vanished && (!uid || changedSince.isEmpty())) {
            // RFC 7162 §3.2.6: "MUST ... respond with a tagged BAD" without UID FETCH and CHANGEDSINCE
            throw new SyntaxException("VANISHED needs UID FETCH and CHANGEDSINCE (RFC 7162 section 3.2.6)");
        }
        return new Command.Fetch(set, uid, atts, changedSince, vanished, partial);
    }

    /** The macros of RFC 9051 §6.4.5: takes one if it is next and adds its items. */
    private static boolean macro(TokenCursor c, List<FetchAttribute> atts) {
        if (c.acceptAtom("ALL")) {
            atts.addAll(List.of(FetchAttribute.Item.FLAGS, FetchAttribute.Item.INTERNALDATE,
                    FetchAttribute.Item.RFC822_SIZE, FetchAttribute.Item.ENVELOPE));
        } else if (c.acceptAtom("FAST")) {
            atts.addAll(List.of(FetchAttribute.Item.FLAGS, FetchAttribute.Item.INTERNALDATE,
                    FetchAttribute.Item.RFC822_SIZE));
        } else if (c.acceptAtom("FULL")) {
            atts.addAll(List.of(FetchAttribute.Item.FLAGS, FetchAttribute.Item.INTERNALDATE,
                    FetchAttribute.Item.RFC822_SIZE, FetchAttribute.Item.ENVELOPE, FetchAttribute.Item.BODY));
        } else {
            return false;
        }
        return true;
    }

    /** {@code fetch-att}. */
    static FetchAttribute attribute(TokenCursor c) throws SyntaxException {
        Token t = c.next("a fetch attribute");
        if (!(t instanceof Token.Atom a)) {
            throw new SyntaxException("expected a fetch attribute, found " + Texts.clip(t.toString()));
        }
        String text = a.text();
        int bracket = text.indexOf('[');
        if (bracket < 0) {
            String upper = text.toUpperCase(Locale.ROOT);
            FetchAttribute.Item item = FetchAttribute.Item.byWireName(upper);
            if (item == null) {
                throw new SyntaxException("unknown fetch attribute " + Texts.clip(text));
            }
            return item;
        }
        String name = text.substring(0, bracket).toUpperCase(Locale.ROOT);
        switch (name) {
            case "BODY", "BODY.PEEK" -> {
                SpecAndRest s = specAndRest(c, text, bracket);
                return new FetchAttribute.BodySection(section(s.spec, s.fields, text), name.equals("BODY.PEEK"),
                        partial(s.rest, text, true));
            }
            case "BINARY", "BINARY.PEEK", "BINARY.SIZE" -> {
                int close = text.indexOf(']', bracket);
                if (close < 0) {
                    throw new SyntaxException("missing ']' in " + Texts.clip(text));
                }
                List<Integer> part = partNumbers(text.substring(bracket + 1, close), text, true);
                Optional<FetchAttribute.Partial> partial = partial(text.substring(close + 1), text,
                        !name.equals("BINARY.SIZE"));
                return name.equals("BINARY.SIZE") ? new FetchAttribute.BinarySize(part)
                        : new FetchAttribute.Binary(part, name.equals("BINARY.PEEK"), partial);
            }
            default -> throw new SyntaxException("unknown fetch attribute " + Texts.clip(text));
        }
    }

    private record SpecAndRest(String spec, List<String> fields, String rest) {
    }

    /**
     * Splits {@code BODY[spec]rest}. When the spec ends in HEADER.FIELDS or HEADER.FIELDS.NOT,
     * the header list follows as separate tokens and {@code ]rest} is the atom right after it.
     */
    private static SpecAndRest specAndRest(TokenCursor c, String text, int bracket) throws SyntaxException {
        int close = text.indexOf(']', bracket);
        if (close >= 0) {
            return new SpecAndRest(text.substring(bracket + 1, close), List.of(), text.substring(close + 1));
        }
        String spec = text.substring(bracket + 1);
        String upper = spec.toUpperCase(Locale.ROOT);
        if (!upper.endsWith("HEADER.FIELDS") && !upper.endsWith("HEADER.FIELDS.NOT")) {
            throw new SyntaxException("missing ']' in " + Texts.clip(text));
        }
        // header-list = "(" header-fld-name *(SP header-fld-name) ")"
        c.open("the header field list of " + Texts.clip(text));
        List<String> fields = new ArrayList<>();
        do {
            fields.add(headerFieldName(c));
        } while (c.untilClose("the header field list"));
        c.close("the header field list");
        Token after = c.next("']' after the header field list");
        if (!(after instanceof Token.Atom a) || after.spaced() || !a.text().startsWith("]")) {
            throw new SyntaxException("expected ']' right after the header field list of " + Texts.clip(text));
        }
        return new SpecAndRest(spec, fields, a.text().substring(1));
    }

    /** {@code header-fld-name = astring}, checked to be a field name (RFC 5322 §3.6.8 ftext). */
    static String headerFieldName(TokenCursor c) throws SyntaxException {
        String name = c.astring("a header field name");
        if (name.isEmpty()) {
            throw new SyntaxException("empty header field name");
        }
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch < 33 || ch > 126 || ch == ':') {
                throw new SyntaxException("invalid header field name " + Texts.clip(name));
            }
        }
        return name;
    }

    /** {@code section-spec} (RFC 9051 §9), given its text between the brackets. */
    private static FetchAttribute.Section section(String spec, List<String> fields, String whole)
            throws SyntaxException {
        if (spec.isEmpty()) {
            return FetchAttribute.Section.WHOLE;
        }
        // section-part = nz-number *("." nz-number), then optionally "." section-text
        int i = 0;
        List<Integer> part = new ArrayList<>();
        while (i < spec.length() && Character.isDigit(spec.charAt(i))) {
            int dot = spec.indexOf('.', i);
            int end = dot < 0 ? spec.length() : dot;
            part.add(partNumber(spec.substring(i, end), whole));
            i = dot < 0 ? spec.length() : dot + 1;
            if (dot >= 0 && i == spec.length()) {
                throw new SyntaxException("section ends with '.': " + Texts.clip(whole));
            }
        }
        String textPart = spec.substring(i).toUpperCase(Locale.ROOT);
        if (textPart.isEmpty()) {
            if (!fields.isEmpty()) {
                throw new SyntaxException("a header field list needs HEADER.FIELDS: " + Texts.clip(whole));
            }
            return new FetchAttribute.Section(part, Optional.empty(), List.of());
        }
        FetchAttribute.Section.Text text = switch (textPart) {
            case "HEADER" -> FetchAttribute.Section.Text.HEADER;
            case "HEADER.FIELDS" -> FetchAttribute.Section.Text.HEADER_FIELDS;
            case "HEADER.FIELDS.NOT" -> FetchAttribute.Section.Text.HEADER_FIELDS_NOT;
            case "TEXT" -> FetchAttribute.Section.Text.TEXT;
            case "MIME" -> {
                if (part.isEmpty()) { // section-text "MIME" only after a section-part
                    throw new SyntaxException("MIME needs a part number, as in BODY[1.MIME]: " + Texts.clip(whole));
                }
                yield FetchAttribute.Section.Text.MIME;
            }
            default -> throw new SyntaxException("unknown section " + Texts.clip(spec)
                    + " (HEADER, HEADER.FIELDS, HEADER.FIELDS.NOT, TEXT, MIME or part numbers)");
        };
        boolean wantsFields = text == FetchAttribute.Section.Text.HEADER_FIELDS
                || text == FetchAttribute.Section.Text.HEADER_FIELDS_NOT;
        if (wantsFields && fields.isEmpty()) {
            throw new SyntaxException(text.wireName() + " needs a list of header field names, as in "
                    + "BODY[HEADER.FIELDS (FROM SUBJECT)]");
        }
        return new FetchAttribute.Section(part, Optional.of(text), fields);
    }

    /** {@code section-part} for BINARY (RFC 3516 §4.2 {@code section-binary}). */
    private static List<Integer> partNumbers(String spec, String whole, boolean allowEmpty) throws SyntaxException {
        List<Integer> part = new ArrayList<>();
        if (spec.isEmpty()) {
            if (!allowEmpty) {
                throw new SyntaxException("missing part number in " + Texts.clip(whole));
            }
            return part;
        }
        for (String p : spec.split("\\.", -1)) {
            part.add(partNumber(p, whole));
        }
        return part;
    }

    private static int partNumber(String s, String whole) throws SyntaxException {
        long n = TokenCursor.parseNumber(s, "part number in " + Texts.clip(whole), 0xffff_ffffL, true);
        if (n > Integer.MAX_VALUE) {
            throw new SyntaxException("part number too large in " + Texts.clip(whole));
        }
        return (int) n;
    }

    /** {@code partial = "<" number64 "." nz-number64 ">"} after the closing bracket, or nothing. */
    private static Optional<FetchAttribute.Partial> partial(String rest, String whole, boolean allowed)
            throws SyntaxException {
        if (rest.isEmpty()) {
            return Optional.empty();
        }
        if (!allowed) {
            throw new SyntaxException("unexpected text after ']' in " + Texts.clip(whole));
        }
        int dot = rest.indexOf('.');
        if (!rest.startsWith("<") || !rest.endsWith(">") || dot < 0) {
            throw new SyntaxException("invalid partial " + Texts.clip(rest) + " (expected <offset.length>)");
        }
        long offset = TokenCursor.parseNumber(rest.substring(1, dot), "partial offset", Long.MAX_VALUE, false);
        long length = TokenCursor.parseNumber(rest.substring(dot + 1, rest.length() - 1),
                "partial length (at least 1)", Long.MAX_VALUE, true);
        return Optional.of(new FetchAttribute.Partial(offset, length));
    }
}
