package org.postern.imap.parse;

/**
 * One lexical element of a client command, as the {@link CommandReader} splits it (RFC 9051
 * §4): the reader knows strings, literals and parentheses, nothing of commands.
 *
 * <p>{@code spaced} says whether a space preceded the token; the parser needs it only where
 * the grammar glues tokens together, as in {@code BODY[HEADER.FIELDS (FROM)]}.
 */
public sealed interface Token {

    boolean spaced();

    /**
     * A run of printable US-ASCII octets other than SP, parentheses, {@code "} and {@code {}:
     * a superset of {@code atom} that also holds flags ({@code \Seen}), wildcards, {@code ]},
     * sequence sets and section specifiers. The parser checks the exact character class.
     */
    record Atom(String text, boolean spaced) implements Token {
        @Override
        public String toString() {
            return text;
        }
    }

    /** A quoted string (RFC 9051 §4.3), unescaped; UTF-8 was checked to be well formed. */
    record Quoted(String text, boolean spaced) implements Token {
        @Override
        public String toString() {
            return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        }
    }

    /** A literal or literal8; its bytes belong to the {@link WireCommand}. */
    record Lit(Literal literal, boolean spaced) implements Token {
        @Override
        public String toString() {
            return literal.toString();
        }
    }

    /** {@code (} */
    record Open(boolean spaced) implements Token {
        @Override
        public String toString() {
            return "(";
        }
    }

    /** {@code )} */
    record Close(boolean spaced) implements Token {
        @Override
        public String toString() {
            return ")";
        }
    }
}
