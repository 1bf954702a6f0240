package org.postern.imap.conformance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.postern.imap.conformance.ImapArgs.Arg;

/**
 * imaptest's matching of a reply against what a script expects (docs/scripted_test.md):
 * strings compare without regard to case, {@code $name} captures a value on first use and must
 * equal it after, {@code $} matches any one argument, {@code $N} is the current number of the
 * message that was N when the command group began, and lists follow their {@code $!} directives
 * or the defaults for FETCH, LIST, LSUB and STATUS. Replies that carry text (OK, NO, BAD, BYE)
 * match by prefix.
 */
final class ImaptestMatcher {
    /** A whole match (imaptest returns UINT_MAX); otherwise how many arguments matched. */
    static final int FULL = Integer.MAX_VALUE;

    /** An expected argument: a string to expand, NIL, or a list with its directives. */
    sealed interface Pat {
        record Text(String text) implements Pat {}

        record Nil() implements Pat {}

        record ListPat(List<Pat> items, boolean unordered, int chain, boolean noextra, List<String> ignore,
                       List<String> ban) implements Pat {}
    }

    final Map<String, String> vars = new HashMap<>();
    private final List<String> added = new ArrayList<>();
    /** Message numbers now of those that were 1..n when the group began; 0 once expunged. */
    int[] seqmap = new int[0];

    // ------------------------------------------------------------------ expected text → patterns

    /** The expected arguments of a reply line, with the default list directives added. */
    static List<Pat> compile(String expected) {
        List<Arg> args = ImapArgs.parse(expected);
        String reply = "";
        if (!args.isEmpty() && args.getFirst().kind() == ImapArgs.Kind.ATOM) {
            reply = args.getFirst().value();
            if ((reply.startsWith("$") || Character.isDigit(reply.charAt(0))) && args.size() > 1
                    && args.get(1).kind() == ImapArgs.Kind.ATOM) {
                reply = args.get(1).value();
            }
        }
        reply = reply.toLowerCase(Locale.ROOT);
        List<Pat> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            out.add(pattern(args.get(i), reply, 0, i, null, null));
        }
        return out;
    }

    /**
     * @param depth     0 for the reply's own arguments, 1 inside a list among them, and so on
     * @param index     position among the parent's items (relative chain index when it chains)
     * @param parent    the parent list's index among its own parent's items (for the FETCH FLAGS default)
     * @param prevAtom  the atom just before this list in its parent, lower-case
     */
    private static Pat pattern(Arg a, String reply, int depth, int index, Integer parent, String prevAtom) {
        return switch (a.kind()) {
            case NIL -> new Pat.Nil();
            case ATOM, STRING, LITERAL -> new Pat.Text(a.value());
            case LIST -> list(a.items(), reply, depth, index, parent, prevAtom);
        };
    }

    private static Pat list(List<Arg> items, String reply, int depth, int index, Integer parent, String prevAtom) {
        List<String> directives = new ArrayList<>();
        int first = 0;
        while (first < items.size() && items.get(first).kind() == ImapArgs.Kind.ATOM && items.get(first).value().startsWith("$!")) {
            directives.add(items.get(first).value().substring(2));
            first++;
        }
        if (directives.isEmpty()) {
            // imaptest's defaults (test_add_default_directives)
            // (depth 0: a list among the reply's own arguments; 1: inside such a list)
            if ((reply.equals("list") || reply.equals("lsub")) && depth == 0 && index == 1) {
                directives.add("unordered");
            } else if (reply.equals("status") && depth == 0 && index == 2) {
                directives.add("unordered=2");
            } else if (reply.equals("fetch") && depth == 0 && index == 2) {
                directives.add("unordered=2");
            } else if (reply.equals("fetch") && depth == 1 && parent != null && parent == 2 && "flags".equals(prevAtom)) {
                directives.addAll(List.of("unordered", "noextra", "ignore=\\recent", "ignore=$HasAttachment", "ignore=$HasNoAttachment"));
            }
        }
        boolean unordered = false;
        int chain = 1;
        int noextra = -1;
        List<String> ignore = new ArrayList<>();
        List<String> ban = new ArrayList<>();
        for (String d : directives) {
            if (d.startsWith("unordered")) {
                unordered = true;
                if (noextra == -1) {
                    noextra = 0;
                }
                if (d.startsWith("unordered=")) {
                    chain = Integer.parseInt(d.substring(10));
                }
            } else if (d.equals("ordered")) {
                unordered = false;
            } else if (d.equals("extra")) {
                noextra = 0;
            } else if (d.equals("noextra")) {
                noextra = 1;
            } else if (d.startsWith("ignore=")) {
                ignore.add(d.substring(7));
            } else if (d.startsWith("ban=")) {
                ban.add(d.substring(4));
            } else {
                throw new IllegalArgumentException("unknown directive $!" + d);
            }
        }
        List<Pat> pats = new ArrayList<>();
        String prev = null;
        for (int i = first; i < items.size(); i++) {
            Arg item = items.get(i);
            int rel = i - first;
            int childIndex = chain == 1 ? rel : rel % chain;
            pats.add(pattern(item, reply, depth + 1, childIndex, index, prev));
            prev = item.kind() == ImapArgs.Kind.ATOM ? item.value().toLowerCase(Locale.ROOT) : prev;
        }
        return new Pat.ListPat(pats, unordered, chain, noextra != 0, ignore, ban);
    }

    // ------------------------------------------------------------------ matching

    /** Forgets the variables captured by a failed attempt. */
    void revert() {
        added.forEach(vars::remove);
        added.clear();
    }

    void keep() {
        added.clear();
    }

    /** test_imap_match_args: FULL, or how many arguments matched before the first that did not. */
    int match(List<Pat> match, List<Arg> args, int max, boolean prefix) {
        int ret = 0;
        int ai = 0;
        int mi = 0;
        for (; mi < match.size() && max > 0; mi++, ai++, max--) {
            Pat m = match.get(mi);
            Arg a = ai < args.size() ? args.get(ai) : null;
            switch (m) {
                case Pat.Nil n -> {
                    if (a == null || a.kind() != ImapArgs.Kind.NIL) {
                        return ret;
                    }
                }
                case Pat.Text t -> {
                    if (t.text().equals("$") && a != null && a.kind() == ImapArgs.Kind.LIST) {
                        break; // "$" skips a list
                    }
                    if (t.text().equals("$]")) {
                        // "$]" skips atoms up to one that holds ']' ([CAPABILITY $])
                        while (ai < args.size() && args.get(ai).kind() == ImapArgs.Kind.ATOM && !args.get(ai).value().contains("]")) {
                            ai++;
                        }
                        break;
                    }
                    String actual = a == null ? null : a.string();
                    if (actual == null) {
                        return ret;
                    }
                    boolean[] icase = {true};
                    String expanded = expand(t.text(), actual, icase);
                    if (expanded == null) {
                        return ret;
                    }
                    boolean last = mi == match.size() - 1;
                    boolean ok;
                    if (prefix && last) {
                        ok = icase[0] ? actual.regionMatches(true, 0, expanded, 0, expanded.length()) && actual.length() >= expanded.length()
                                : actual.startsWith(expanded);
                    } else {
                        ok = icase[0] ? actual.equalsIgnoreCase(expanded) : actual.equals(expanded);
                    }
                    if (!ok) {
                        return ret;
                    }
                }
                case Pat.ListPat l -> {
                    if (a == null || a.kind() != ImapArgs.Kind.LIST) {
                        return ret;
                    }
                    int sub = matchList(l, a.items());
                    if (sub != FULL) {
                        return ret + sub;
                    }
                }
            }
            ret++;
        }
        if (prefix || ai >= args.size() || max == 0) {
            return FULL;
        }
        return ret;
    }

    private int matchList(Pat.ListPat m, List<Arg> args) {
        if (!m.unordered()) {
            return match(m.items(), args, Integer.MAX_VALUE, false);
        }
        int chain = m.chain();
        if (args.size() % chain != 0) {
            return 0;
        }
        boolean[] matched = new boolean[args.size()];
        int ret = 0;
        for (int mi = 0; mi < m.items().size(); mi += chain, ret++) {
            boolean found = false;
            List<Pat> one = m.items().subList(mi, Math.min(m.items().size(), mi + chain));
            for (int ai = 0; ai < args.size(); ai += chain) {
                if (match(one, args.subList(ai, args.size()), chain, false) == FULL) {
                    matched[ai] = true;
                    found = true;
                    break;
                }
            }
            if (!found) {
                return ret;
            }
        }
        for (int ai = 0; ai < args.size(); ai += chain) {
            if (matched[ai]) {
                continue;
            }
            String s = args.get(ai).string();
            if (m.noextra()) {
                if (s == null || m.ignore().stream().noneMatch(s::equalsIgnoreCase)) {
                    return ret;
                }
            } else if (s != null && m.ban().stream().anyMatch(s::equalsIgnoreCase)) {
                return ret;
            }
        }
        return FULL;
    }

    /**
     * test_expand_input: walks the expected text and the actual string together, taking values
     * of unbound variables from the actual string; returns the expected text with every variable
     * replaced, or null at the first difference. {@code ${case:x}} turns off case folding.
     */
    String expand(String str, String input, boolean[] icase) {
        StringBuilder out = new StringBuilder();
        int si = 0;
        int ii = 0;
        while (si < str.length()) {
            char c = str.charAt(si);
            if (c != '$' || (si + 1 < str.length() && str.charAt(si + 1) == '$')) {
                if (c == '$') {
                    si++;
                }
                char ch = str.charAt(si);
                if (ii >= input.length() || Character.toUpperCase(ch) != Character.toUpperCase(input.charAt(ii))) {
                    return null;
                }
                ii++;
                out.append(ch);
                si++;
                continue;
            }
            si++;
            String name;
            if (si < str.length() && str.charAt(si) == '{') {
                int close = str.indexOf('}', si);
                if (close < 0) {
                    return "";
                }
                name = str.substring(si + 1, close);
                si = close + 1;
            } else {
                int p = si;
                while (p < str.length() && (Character.isLetterOrDigit(str.charAt(p)) || str.charAt(p) == '_')) {
                    p++;
                }
                name = str.substring(si, p);
                si = p;
            }
            String value;
            if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
                value = relativeSeq(Integer.parseInt(name));
            } else if (name.startsWith("case:")) {
                icase[0] = false;
                value = name.substring(5);
            } else {
                value = name.isEmpty() ? null : vars.get(name);
                if (value == null) {
                    String rest = str.substring(si);
                    String until = rest;
                    if (rest.startsWith("$")) {
                        until = expand(rest, input.substring(ii), new boolean[] {true});
                        until = until == null ? "" : until;
                    }
                    int p = ii;
                    while (p < input.length() && (until.isEmpty()
                            || Character.toUpperCase(input.charAt(p)) != Character.toUpperCase(until.charAt(0)))) {
                        p++;
                    }
                    value = input.substring(ii, p);
                    if (!name.isEmpty()) {
                        vars.put(name, value);
                        added.add(name);
                    }
                }
            }
            out.append(value);
            for (int k = 0; k < value.length(); k++, ii++) {
                if (ii >= input.length() || input.charAt(ii) != value.charAt(k)) {
                    return null;
                }
            }
        }
        return out.toString();
    }

    private String relativeSeq(int seq) {
        if (seq == 0) {
            return "<zero seq>";
        }
        if (seq > seqmap.length) {
            return "<out of range>";
        }
        return seqmap[seq - 1] == 0 ? "<expunged>" : Integer.toString(seqmap[seq - 1]);
    }

    /** test_expand_all: variables in a command to send; null names the first one not yet known. */
    String expandCommand(String text, String[] missing) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '$' || i + 1 >= text.length()) {
                out.append(c);
                continue;
            }
            char next = text.charAt(i + 1);
            if (next == '$') {
                out.append('$');
                i++;
                continue;
            }
            if (next == '!') {
                // a directive: skipped
                int end = text.indexOf(' ', i);
                i = end < 0 ? text.length() : end;
                continue;
            }
            String name;
            int end;
            if (next == '{') {
                end = text.indexOf('}', i);
                name = text.substring(i + 2, end);
                end++;
            } else {
                end = i + 1;
                while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
                    end++;
                }
                name = text.substring(i + 1, end);
            }
            String value = name.chars().allMatch(Character::isDigit) && !name.isEmpty()
                    ? relativeSeq(Integer.parseInt(name)) : vars.get(name);
            if (value == null) {
                missing[0] = name;
                return null;
            }
            out.append(value);
            i = end - 1;
        }
        return out.toString();
    }

    /** Resets the sequence map to 1..count at the start of a group. */
    void startGroup(int count) {
        seqmap = new int[count];
        for (int i = 0; i < count; i++) {
            seqmap[i] = i + 1;
        }
    }

    /** An EXPUNGE renumbers the messages after it (test_handle_expunge). */
    void expunged(int seq) {
        for (int i = Math.max(0, seq - 1); i < seqmap.length; i++) {
            if (seqmap[i] == seq) {
                seqmap[i] = 0;
            } else if (seqmap[i] > seq) {
                seqmap[i]--;
            }
        }
    }
}
