package org.postern.imap.parse;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One complete client command as read off the wire: its tag and its tokens, the command name
 * first. Owns the command's {@link Literal}s: {@link #close()} deletes their temporary files.
 * Commands parsed from it borrow those literals and must not be used after it is closed.
 */
public final class WireCommand implements AutoCloseable {
    private final String tag;
    private final List<Token> tokens;
    private final List<Literal> literals;

    WireCommand(String tag, List<Token> tokens, List<Literal> literals) {
        this.tag = Objects.requireNonNull(tag, "tag");
        this.tokens = List.copyOf(tokens);
        this.literals = List.copyOf(literals);
    }

    /** A command built by hand (tests, and commands a session synthesises); owns {@code literals} found in the tokens. */
    public static WireCommand of(String tag, List<Token> tokens) {
        List<Literal> lits = tokens.stream()
                .filter(t -> t instanceof Token.Lit)
                .map(t -> ((Token.Lit) t).literal())
                .toList();
        return new WireCommand(tag, tokens, lits);
    }

    public String tag() {
        return tag;
    }

    /** The tokens after the tag; the first is normally the command name. */
    public List<Token> tokens() {
        return tokens;
    }

    /** The command name in upper case, or "" when the first token is not an atom. */
    public String name() {
        return tokens.isEmpty() || !(tokens.getFirst() instanceof Token.Atom a) ? "" : a.text().toUpperCase(Locale.ROOT);
    }

    public List<Literal> literals() {
        return literals;
    }

    /** The sum of the literal sizes. */
    public long literalBytes() {
        long n = 0;
        for (Literal l : literals) {
            n += l.size();
        }
        return n;
    }

    /** Deletes the literals' temporary files. Idempotent. */
    @Override
    public void close() {
        for (Literal l : literals) {
            l.close();
        }
    }

    /** Shows the tag, the name and the count of tokens, never their content (a LOGIN holds a password). */
    @Override
    public String toString() {
        return "WireCommand[" + tag + " " + name() + ", " + tokens.size() + " tokens, " + literals.size() + " literals]";
    }
}
