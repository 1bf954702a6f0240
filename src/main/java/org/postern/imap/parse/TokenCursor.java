package org.postern.imap.parse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Walks the tokens of one command and reads the grammar's common pieces (RFC 9051 §9): atoms,
 * strings, numbers, mailbox names, flags, sequence sets, dates. Every method either returns a
 * value that follows the grammar or throws a {@link SyntaxException} saying what was expected.
 */
final class TokenCursor {
    /** Strings are read into memory only up to this size; a message is not a string. */
    static final long MAX_STRING_BYTES = 1 << 20;

    private static final String[] SYSTEM_FLAGS = {"\\Answered", "\\Flagged", "\\Deleted", "\\Seen", "\\Draft"};

    private final List<Token> tokens;
    private final ParseOptions options;
    private int pos;

    TokenCursor(List<Token> tokens, int start, ParseOptions options) {
        this.tokens = tokens;
        this.pos = start;
        this.options = options;
    }

    ParseOptions options() {
        return options;
    }

    boolean atEnd() {
        return pos >= tokens.size();
    }

    /** The next token without taking it, or null at the end. */
    Token peek() {
        return atEnd() ? null : tokens.get(pos);
    }

    Token next(String what) throws SyntaxException {
        if (atEnd()) {
            throw new SyntaxException("missing " + what);
        }
        return tokens.get(pos++);
    }

    void back() {
        pos--;
    }

    void expectEnd() throws SyntaxException {
        if (!atEnd()) {
            throw new SyntaxException("unexpected extra argument " + Texts.clip(tokens.get(pos).toString()));
        }
    }

    boolean peekOpen() {
        return peek() instanceof Token.Open;
    }

    boolean peekClose() {
        return peek() instanceof Token.Close;
    }

    /**
     * For loops over list elements: true while the next token is not {@code )}; at the end of the
     * command, says the list is not closed.
     */
    boolean untilClose(String what) throws SyntaxException {
        if (atEnd()) {
            throw new SyntaxException("missing ')' to end " + what);
        }
        return !peekClose();
    }

    void open(String what) throws SyntaxException {
        Token t = next("'(' to start " + what);
        if (!(t instanceof Token.Open)) {
            throw new SyntaxException("expected '(' to start " + what + ", found " + Texts.clip(t.toString()));
        }
    }

    void close(String what) throws SyntaxException {
        Token t = next("')' to end " + what);
        if (!(t instanceof Token.Close)) {
            throw new SyntaxException("expected ')' to end " + what + ", found " + Texts.clip(t.toString()));
        }
    }

    /** True when the next token is the atom {@code word} in any case. */
    boolean peekAtom(String word) {
        return peek() instanceof Token.Atom a && a.text().equalsIgnoreCase(word);
    }

    /** Takes the atom {@code word} (any case) if it is next. */
    boolean acceptAtom(String word) {
        if (peekAtom(word)) {
            pos++;
            return true;
        }
        return false;
    }

    /** The next token as a raw atom in upper case (keywords, item names), without a character check. */
    String keyword(String what) throws SyntaxException {
        Token t = next(what);
        if (!(t instanceof Token.Atom a)) {
            throw new SyntaxException("expected " + what + ", found " + Texts.clip(t.toString()));
        }
        return a.text().toUpperCase(Locale.ROOT);
    }

    // ---- character classes (RFC 9051 §9) ----

    /** ATOM-CHAR, given the lexer already removed SP, CTL, 8-bit, parentheses, DQUOTE and "{". */
    static boolean isAtomChar(char c) {
        return c != '%' && c != '*' && c != '\\' && c != ']';
    }

    static boolean isAtom(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isAtomChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** {@code atom}. */
    String atom(String what) throws SyntaxException {
        Token t = next(what);
        if (t instanceof Token.Atom a && isAtom(a.text())) {
            return a.text();
        }
        throw new SyntaxException("expected " + what + " (an atom), found " + Texts.clip(t.toString()));
    }

    /** {@code astring} (atom with "]" allowed, quoted string or literal), decoded as UTF-8. */
    String astring(String what) throws SyntaxException {
        Token t = next(what);
        return switch (t) {
            case Token.Atom a -> {
                String s = a.text();
                for (int i = 0; i < s.length(); i++) {
                    char c = s.charAt(i);
                    if (c == '%' || c == '*' || c == '\\') {
                        throw new SyntaxException("'" + c + "' is not allowed in " + what
                                + " unless it is quoted: " + Texts.clip(s));
                    }
                }
                yield s;
            }
            case Token.Quoted q -> q.text();
            case Token.Lit l -> literalText(l.literal(), StandardCharsets.UTF_8, what);
            default -> throw new SyntaxException("expected " + what + ", found " + Texts.clip(t.toString()));
        };
    }

    /** {@code string}: quoted or literal. */
    String string(String what) throws SyntaxException {
        Token t = next(what);
        return switch (t) {
            case Token.Quoted q -> q.text();
            case Token.Lit l -> literalText(l.literal(), StandardCharsets.UTF_8, what);
            default -> throw new SyntaxException("expected " + what + " as a quoted string or literal, found "
                    + Texts.clip(t.toString()));
        };
    }

    /** {@code nstring}: a string or NIL (null). */
    String nstring(String what) throws SyntaxException {
        if (acceptAtom("NIL")) {
            return null;
        }
        return string(what);
    }

    /** An astring decoded with a search CHARSET: literals are decoded with it, the rest is ASCII or UTF-8. */
    String searchString(String what, Charset charset) throws SyntaxException {
        Token t = next(what);
        if (t instanceof Token.Lit l) {
            return literalText(l.literal(), charset, what);
        }
        back();
        return astring(what);
    }

    static String literalText(Literal lit, Charset charset, String what) throws SyntaxException {
        if (lit.containsNul() || lit.isBinary()) {
            throw new SyntaxException(what + " must not be a literal8 or contain NUL (RFC 9051 section 4.3)");
        }
        if (lit.size() > MAX_STRING_BYTES) {
            throw new SyntaxException(what + " is too long (" + lit.size() + " bytes)");
        }
        byte[] b;
        try {
            b = lit.bytes();
        } catch (IOException e) {
            throw new SyntaxException(CommandError.Kind.SERVER_FAULT, CommandError.Status.NO, "UNAVAILABLE",
                    "cannot read the literal back: " + e.getMessage());
        }
        try {
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new SyntaxException(what + " is not valid " + charset.name());
        }
    }

    // ---- numbers (RFC 9051 §9, RFC 7162 §7) ----

    /** {@code number}: 0 to 2^32-1. */
    long number(String what) throws SyntaxException {
        return digits(what, 0xffff_ffffL, false);
    }

    /** {@code nz-number}: 1 to 2^32-1, no leading zero. */
    long nzNumber(String what) throws SyntaxException {
        return digits(what, 0xffff_ffffL, true);
    }

    /** {@code number64}: 0 to 2^63-1. */
    long number64(String what) throws SyntaxException {
        return digits(what, Long.MAX_VALUE, false);
    }

    /** {@code mod-sequence-value}: 1 to 2^63-1. */
    long modSeqValue(String what) throws SyntaxException {
        return digits(what, Long.MAX_VALUE, true);
    }

    private long digits(String what, long max, boolean nonZero) throws SyntaxException {
        Token t = next(what);
        if (!(t instanceof Token.Atom a)) {
            throw new SyntaxException("expected " + what + " (a number), found " + Texts.clip(t.toString()));
        }
        return parseNumber(a.text(), what, max, nonZero);
    }

    static long parseNumber(String s, String what, long max, boolean nonZero) throws SyntaxException {
        if (s.isEmpty() || s.length() > 19) {
            throw new SyntaxException(what + " out of range: " + Texts.clip(s));
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new SyntaxException("expected " + what + " (a number), found " + Texts.clip(s));
            }
            v = v * 10 + (c - '0');
        }
        if (v < 0 || v > max) {
            throw new SyntaxException(what + " out of range: " + Texts.clip(s));
        }
        if (nonZero && (v == 0 || s.charAt(0) == '0')) {
            throw new SyntaxException(what + " must be a number from 1, without leading zeros: " + Texts.clip(s));
        }
        return v;
    }

    // ---- mailbox names (RFC 9051 §5.1) ----

    /**
     * {@code mailbox}: an astring, decoded from modified UTF-7 (or UTF-8 when enabled) and checked.
     * One that cannot be decoded is well-formed all the same ({@code mailbox = "INBOX" / astring},
     * RFC 9051 §9), so it is kept as {@link MailboxName#invalid} for the command to answer NO.
     */
    MailboxName mailbox(String what) throws SyntaxException {
        String wire = astring(what);
        try {
            return MailboxName.fromWire(wire, options.utf8());
        } catch (IllegalArgumentException e) {
            return MailboxName.invalid(wire, e.getMessage());
        }
    }

    /**
     * {@code list-mailbox} (an atom that may hold {@code %}, {@code *} and {@code ]}, or a string)
     * and the LIST reference name, decoded from modified UTF-7 (or UTF-8 when enabled); null when
     * it is not valid modified UTF-7. Such a pattern is well-formed but spells no name: every
     * mailbox name has a valid encoding (RFC 3501 §5.1.3), so it matches nothing.
     */
    String listMailbox(String what) throws SyntaxException {
        Token t = next(what);
        String wire = switch (t) {
            case Token.Atom a -> {
                if (a.text().indexOf('\\') >= 0) {
                    throw new SyntaxException("'\\' is not allowed in " + what + " unless it is quoted: "
                            + Texts.clip(a.text()));
                }
                yield a.text();
            }
            case Token.Quoted q -> q.text();
            case Token.Lit l -> literalText(l.literal(), StandardCharsets.UTF_8, what);
            default -> throw new SyntaxException("expected " + what + ", found " + Texts.clip(t.toString()));
        };
        if (options.utf8()) {
            return wire;
        }
        try {
            return ModifiedUtf7.decode(wire);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    // ---- flags (RFC 9051 §2.3.2, §9) ----

    /**
     * {@code flag}: a system flag in canonical case, or a keyword atom. {@code \Recent} and
     * unknown {@code \} flags cannot be set by a client.
     */
    String flag(String what) throws SyntaxException {
        Token t = next(what);
        if (!(t instanceof Token.Atom a)) {
            throw new SyntaxException("expected " + what + ", found " + Texts.clip(t.toString()));
        }
        String s = a.text();
        if (s.startsWith("\\")) {
            for (String f : SYSTEM_FLAGS) {
                if (f.equalsIgnoreCase(s)) {
                    return f;
                }
            }
            throw new SyntaxException("invalid system flag " + Texts.clip(s)
                    + " (\\Answered, \\Flagged, \\Deleted, \\Seen or \\Draft)");
        }
        if (!isAtom(s)) {
            throw new SyntaxException("invalid keyword " + Texts.clip(s));
        }
        return s;
    }

    /** {@code flag-keyword}: an atom (SEARCH KEYWORD/UNKEYWORD). */
    String keywordFlag(String what) throws SyntaxException {
        Token t = next(what);
        if (t instanceof Token.Atom a && isAtom(a.text())) {
            return a.text();
        }
        throw new SyntaxException("invalid keyword " + Texts.clip(t.toString()));
    }

    /** {@code flag-list}: {@code "(" [flag *(SP flag)] ")"}. */
    List<String> flagList() throws SyntaxException {
        open("the flag list");
        List<String> flags = new ArrayList<>();
        while (untilClose("the flag list")) {
            flags.add(flag("a flag"));
        }
        close("the flag list");
        return flags;
    }

    // ---- sets and dates ----

    /** {@code sequence-set}, including {@code $} (RFC 5182). */
    SequenceSet sequenceSet(String what) throws SyntaxException {
        Token t = next(what);
        if (!(t instanceof Token.Atom a)) {
            throw new SyntaxException("expected " + what + ", found " + Texts.clip(t.toString()));
        }
        return parseSequenceSet(a.text());
    }

    static SequenceSet parseSequenceSet(String text) throws SyntaxException {
        try {
            return SequenceSet.parse(text);
        } catch (IllegalArgumentException e) {
            throw new SyntaxException(e.getMessage());
        }
    }

    /** {@code date}: {@code 1-Feb-2026}, quoted or not. */
    LocalDate date(String what) throws SyntaxException {
        Token t = next(what);
        String text = switch (t) {
            case Token.Atom a -> a.text();
            case Token.Quoted q -> q.text();
            default -> throw new SyntaxException("expected " + what + ", found " + Texts.clip(t.toString()));
        };
        try {
            return ImapDates.parseDate(text);
        } catch (IllegalArgumentException e) {
            throw new SyntaxException(e.getMessage());
        }
    }

    /** {@code date-time}: {@code "17-Jul-1996 02:44:25 -0700"}, quoted. */
    OffsetDateTime dateTime(String what) throws SyntaxException {
        Token t = next(what);
        if (!(t instanceof Token.Quoted q)) {
            throw new SyntaxException("expected " + what + " as a quoted string, found " + Texts.clip(t.toString()));
        }
        try {
            return ImapDates.parseDateTime(q.text());
        } catch (IllegalArgumentException e) {
            throw new SyntaxException(e.getMessage());
        }
    }
}
