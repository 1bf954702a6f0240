package org.postern.mime;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses address lists (RFC 5322 §3.4, with the obsolete routes and empty members of §4.4) into
 * the parts IMAP's ENVELOPE shows: raw display name, source route, local part, domain. Lenient:
 * garbage is skipped, a lone word is a mailbox without domain, and a comment stands in for a
 * missing display name ("user@host (Real Name)"). Never throws.
 */
final class AddressParser {

    private static final int MAX_ADDRESSES = 10_000;

    private enum Kind { ATOM, QUOTED, COMMENT, LITERAL, SPECIAL }

    /** A token; {@code spaced} when white space or a comment came before it. */
    private record Token(Kind kind, String text, boolean spaced) {
        boolean is(char c) {
            return kind == Kind.SPECIAL && text.charAt(0) == c;
        }

        boolean isWord() {
            return kind == Kind.ATOM || kind == Kind.QUOTED;
        }
    }

    private final List<Token> tokens;
    private int i;

    private AddressParser(List<Token> tokens) {
        this.tokens = tokens;
    }

    /** The addresses of an unfolded header value; empty for null or garbage. */
    static List<Address> parse(String value) {
        if (value == null) {
            return List.of();
        }
        try {
            return new AddressParser(tokenize(value)).list();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private List<Address> list() {
        List<Address> out = new ArrayList<>();
        while (i < tokens.size() && out.size() < MAX_ADDRESSES) {
            Token t = tokens.get(i);
            if (t.kind() == Kind.SPECIAL && !t.is('<') && !t.is('@') && !t.is(':')) {
                i++;
                continue;
            }
            int before = i;
            Address a = address(false);
            if (a != null) {
                out.add(a);
            }
            if (i == before) {
                i++;
            }
        }
        return out;
    }

    private Address address(boolean inGroup) {
        List<Token> phrase = new ArrayList<>();
        List<String> comments = new ArrayList<>();
        while (i < tokens.size()) {
            Token t = tokens.get(i);
            switch (t.kind()) {
                case ATOM, QUOTED, LITERAL -> {
                    phrase.add(t);
                    i++;
                }
                case COMMENT -> {
                    comments.add(t.text());
                    i++;
                }
                case SPECIAL -> {
                    char c = t.text().charAt(0);
                    if (c == '<') {
                        return angleAddress(phrase, comments);
                    } else if (c == ':' && !inGroup) {
                        return group(phrase);
                    } else if (c == '@') {
                        if (angleAhead()) {
                            phrase.add(t);
                            i++;
                        } else {
                            return addrSpec(phrase, comments);
                        }
                    } else if (c == ',' || (c == ';' && inGroup)) {
                        return bare(phrase, comments);
                    } else {
                        i++;
                    }
                }
            }
        }
        return bare(phrase, comments);
    }

    /** Whether a '&lt;' comes before the end of the current address. */
    private boolean angleAhead() {
        for (int j = i; j < tokens.size(); j++) {
            Token t = tokens.get(j);
            if (t.is('<')) {
                return true;
            }
            if (t.is(',') || t.is(';')) {
                return false;
            }
        }
        return false;
    }

    /** A word or words with no '@' and no angle brackets: a mailbox without a domain. */
    private Address.Mailbox bare(List<Token> phrase, List<String> comments) {
        if (phrase.isEmpty()) {
            return null;
        }
        return new Address.Mailbox(name(List.of(), comments), null, local(phrase), "");
    }

    private Address.Mailbox addrSpec(List<Token> localTokens, List<String> comments) {
        i++; // '@'
        String domain = domain(comments, false);
        return new Address.Mailbox(name(List.of(), comments), null, local(localTokens), domain);
    }

    private Address.Mailbox angleAddress(List<Token> phrase, List<String> comments) {
        i++; // '<'
        String adl = null;
        if (i < tokens.size() && tokens.get(i).is('@')) {
            int colon = -1;
            for (int j = i; j < tokens.size() && !tokens.get(j).is('>'); j++) {
                if (tokens.get(j).is(':')) {
                    colon = j;
                    break;
                }
            }
            if (colon > 0) {
                StringBuilder route = new StringBuilder();
                for (int j = i; j < colon; j++) {
                    if (tokens.get(j).kind() != Kind.COMMENT) {
                        route.append(tokens.get(j).text());
                    }
                }
                adl = route.toString();
                i = colon + 1;
            }
        }
        List<Token> localTokens = new ArrayList<>();
        String domain = "";
        while (i < tokens.size()) {
            Token t = tokens.get(i);
            if (t.is('@')) {
                i++;
                domain = domain(comments, true);
                break;
            }
            if (t.is('>') || t.is(',') || t.is(';')) {
                break;
            }
            if (t.isWord() || t.kind() == Kind.LITERAL) {
                localTokens.add(t);
            }
            i++;
        }
        if (i < tokens.size() && tokens.get(i).is('>')) {
            i++;
        }
        // After the angle address: comments, or (rarely) the display name.
        List<Token> trailing = new ArrayList<>();
        while (i < tokens.size() && !tokens.get(i).is(',') && !tokens.get(i).is(';')) {
            Token t = tokens.get(i++);
            if (t.kind() == Kind.COMMENT) {
                comments.add(t.text());
            } else if (t.isWord()) {
                trailing.add(t);
            }
        }
        List<Token> display = phrase.isEmpty() ? trailing : phrase;
        return new Address.Mailbox(name(display, comments), adl, local(localTokens), domain);
    }

    private String domain(List<String> comments, boolean angle) {
        StringBuilder domain = new StringBuilder();
        while (i < tokens.size()) {
            Token t = tokens.get(i);
            if (t.is(',') || t.is(';') || t.is('<') || (angle && t.is('>'))) {
                break;
            }
            if (t.kind() == Kind.COMMENT) {
                comments.add(t.text());
            } else if (t.kind() == Kind.ATOM || t.kind() == Kind.LITERAL) {
                domain.append(t.text());
            } else if (t.kind() == Kind.QUOTED) {
                domain.append(t.text());
            } else if (!angle && t.is('>')) {
                // stray
            } else if (t.is('@')) {
                domain.append('@');
            }
            i++;
        }
        return domain.toString();
    }

    private Address.Group group(List<Token> phrase) {
        i++; // ':'
        List<Address.Mailbox> members = new ArrayList<>();
        while (i < tokens.size()) {
            Token t = tokens.get(i);
            if (t.is(';')) {
                i++;
                break;
            }
            if (t.is(',') || t.is('>') || t.is(':')) {
                i++;
                continue;
            }
            int before = i;
            Address a = address(true);
            if (a instanceof Address.Mailbox m && members.size() < MAX_ADDRESSES) {
                members.add(m);
            }
            if (i == before) {
                i++;
            }
        }
        String name = phrase(phrase);
        return new Address.Group(name == null ? "" : name, members);
    }

    /** The display name: the phrase, else the first non-empty comment, else null. */
    private static String name(List<Token> phrase, List<String> comments) {
        String name = phrase(phrase);
        if (name != null) {
            return name;
        }
        for (String c : comments) {
            if (!c.isBlank()) {
                return c.strip();
            }
        }
        return null;
    }

    /** Words joined with one space where the header had white space between them. */
    private static String phrase(List<Token> words) {
        StringBuilder out = new StringBuilder();
        for (Token t : words) {
            if (!out.isEmpty() && t.spaced()) {
                out.append(' ');
            }
            out.append(t.text());
        }
        return out.isEmpty() ? null : out.toString();
    }

    /** A local part: atoms as written, quoted strings quoted again, no white space. */
    private static String local(List<Token> words) {
        StringBuilder out = new StringBuilder();
        for (Token t : words) {
            if (t.kind() == Kind.QUOTED) {
                out.append('"');
                for (int k = 0; k < t.text().length(); k++) {
                    char c = t.text().charAt(k);
                    if (c == '"' || c == '\\') {
                        out.append('\\');
                    }
                    out.append(c);
                }
                out.append('"');
            } else {
                out.append(t.text());
            }
        }
        return out.toString();
    }

    private static List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        int p = 0;
        boolean spaced = false;
        while (p < s.length()) {
            char c = s.charAt(p);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                spaced = true;
                p++;
            } else if (c == '"') {
                StringBuilder q = new StringBuilder();
                p++;
                while (p < s.length() && s.charAt(p) != '"') {
                    char d = s.charAt(p++);
                    if (d == '\\' && p < s.length()) {
                        d = s.charAt(p++);
                    }
                    if (d != '\r' && d != '\n') {
                        q.append(d);
                    }
                }
                p++;
                out.add(new Token(Kind.QUOTED, q.toString(), spaced));
                spaced = false;
            } else if (c == '(') {
                StringBuilder comment = new StringBuilder();
                int depth = 0;
                while (p < s.length()) {
                    char d = s.charAt(p++);
                    if (d == '\\' && p < s.length()) {
                        comment.append(s.charAt(p++));
                        continue;
                    }
                    if (d == '(' && depth++ == 0) {
                        continue;
                    }
                    if (d == ')' && --depth == 0) {
                        break;
                    }
                    comment.append(d);
                }
                out.add(new Token(Kind.COMMENT, comment.toString(), spaced));
                spaced = true;
            } else if (c == '[') {
                int close = s.indexOf(']', p);
                int end = close < 0 ? s.length() : close + 1;
                out.add(new Token(Kind.LITERAL, s.substring(p, end), spaced));
                spaced = false;
                p = end;
            } else if ("<>@,;:".indexOf(c) >= 0) {
                out.add(new Token(Kind.SPECIAL, String.valueOf(c), spaced));
                spaced = false;
                p++;
            } else {
                int from = p;
                while (p < s.length() && " \t\r\n\"(<>@,;:[".indexOf(s.charAt(p)) < 0) {
                    p++;
                }
                out.add(new Token(Kind.ATOM, s.substring(from, p), spaced));
                spaced = false;
            }
        }
        return out;
    }
}
