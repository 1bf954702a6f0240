package org.postern.imap.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small parser for IMAP response data (RFC 9051 §4, §9): atoms, quoted strings, literals, NIL and
 * parenthesised lists, each with the span of text it came from, so a test can compare responses
 * by meaning and still show or reassemble what was sent. Section specifiers are part of their
 * atom, spaces and parentheses included ({@code BODY[HEADER.FIELDS (FROM TO)]<0>}), as are
 * response codes ({@code [UIDNEXT 5]}).
 */
final class ImapArgs {
    private ImapArgs() {}

    enum Kind { ATOM, STRING, LITERAL, NIL, LIST }

    /**
     * One argument. {@code value} is the atom, the unquoted string or the literal's bytes (one per
     * char); {@code items} the elements of a list; {@code start} and {@code end} its span.
     */
    record Arg(Kind kind, String value, List<Arg> items, int start, int end) {
        boolean isAtom(String word) {
            return kind == Kind.ATOM && value.equalsIgnoreCase(word);
        }

        /** The value as a string: atoms, strings and literals have one, NIL and lists do not. */
        String string() {
            return switch (kind) {
                case ATOM, STRING, LITERAL -> value;
                case NIL, LIST -> null;
            };
        }

        String upper() {
            return value == null ? null : value.toUpperCase(Locale.ROOT);
        }
    }

    /** Parses everything in {@code text}; the text may hold literals ({@code {n}CRLF} and n bytes). */
    static List<Arg> parse(String text) {
        Parser p = new Parser(text);
        List<Arg> out = p.sequence(false);
        return out;
    }

    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        List<Arg> sequence(boolean inList) {
            List<Arg> out = new ArrayList<>();
            while (true) {
                while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\r' || s.charAt(i) == '\n')) {
                    i++;
                }
                if (i >= s.length()) {
                    return out;
                }
                char c = s.charAt(i);
                if (c == ')') {
                    if (inList) {
                        return out;
                    }
                    // A stray ')' at the top level is kept as an atom; the caller sees it.
                    out.add(new Arg(Kind.ATOM, ")", List.of(), i, ++i));
                    continue;
                }
                out.add(arg());
            }
        }

        Arg arg() {
            int start = i;
            char c = s.charAt(i);
            if (c == '(') {
                i++;
                List<Arg> items = sequence(true);
                if (i < s.length()) {
                    i++; // ')'
                }
                return new Arg(Kind.LIST, null, List.copyOf(items), start, i);
            }
            if (c == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                while (i < s.length() && s.charAt(i) != '"') {
                    if (s.charAt(i) == '\\' && i + 1 < s.length()) {
                        i++;
                    }
                    sb.append(s.charAt(i++));
                }
                i = Math.min(i + 1, s.length());
                return new Arg(Kind.STRING, sb.toString(), List.of(), start, i);
            }
            if (c == '{' || (c == '~' && i + 1 < s.length() && s.charAt(i + 1) == '{')) {
                int open = s.indexOf('{', i);
                int close = s.indexOf('}', open);
                String size = s.substring(open + 1, close).replace("+", "");
                if (close > 0 && !size.isEmpty() && size.chars().allMatch(Character::isDigit)
                        && s.startsWith("\r\n", close + 1)) {
                    int n = Integer.parseInt(size);
                    int from = close + 3;
                    int to = Math.min(s.length(), from + n);
                    i = to;
                    return new Arg(Kind.LITERAL, s.substring(from, to), List.of(), start, i);
                }
            }
            int depth = 0;
            while (i < s.length()) {
                char ch = s.charAt(i);
                if (ch == '[') {
                    depth++;
                } else if (ch == ']' && depth > 0) {
                    depth--;
                } else if (depth == 0 && (ch == ' ' || ch == '(' && i > start || ch == ')' || ch == '\r' || ch == '\n')) {
                    break;
                }
                i++;
            }
            String atom = s.substring(start, i);
            if (atom.equalsIgnoreCase("NIL")) {
                return new Arg(Kind.NIL, null, List.of(), start, i);
            }
            return new Arg(Kind.ATOM, atom, List.of(), start, i);
        }
    }
}
