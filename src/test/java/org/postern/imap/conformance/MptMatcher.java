package org.postern.imap.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.postern.imap.conformance.MptScript.Origin;
import org.postern.imap.conformance.MptScript.Server;

/**
 * Compares what the server answered in one step of an MPT script with what the script expects.
 *
 * <p>The script's lines are regular expressions over whole lines, written against James. A line
 * that matches is fine. Otherwise the comparison is by meaning, with these rules and no others:
 * <ol>
 *   <li>Order without meaning is not compared: items of a FETCH response (RFC 9051 §7.5.2) and of
 *       a STATUS response (§7.2.4), flags of a flag list (§2.3.2), attributes of a LIST response,
 *       and MIME parameters (RFC 2045 §5.1) are put in the order the script writes them.</li>
 *   <li>For status responses (OK, NO, BAD, BYE, PREAUTH), the tag, the status and the response
 *       code are compared; the text after them is for people (RFC 9051 §7.1) and is not. A code
 *       the script does not expect is accepted only when it adds detail without changing the
 *       meaning ({@link #DETAIL_CODES}); codes of extensions the server does not advertise are
 *       not expected of it, and untagged lines made only of such a code may be absent. An
 *       untagged OK the script does not expect, with no code or such a code, is information
 *       only (§7.1.1).</li>
 *   <li>Untagged responses that do not involve message sequence numbers (everything but
 *       {@code n FETCH}, {@code n EXPUNGE}, {@code n EXISTS}) may come in any order within the
 *       step, as may the lines of a {@code SUB} block; the others keep their order. A run of
 *       EXPUNGE responses is compared by the messages it removes ("2, 2" and "3, 2" remove the
 *       same two, §7.5.1).</li>
 *   <li>MIME parameter names and disposition types in BODY and BODYSTRUCTURE are case-insensitive
 *       (RFC 2045 §5.1, RFC 2183 §2): they are written in lower case, as James writes them.</li>
 *   <li>{@code \Recent} (RFC 3501 §2.3.2, removed by RFC 9051): a line that differs only by the
 *       \Recent flag or the RECENT count is reported as a difference of kind {@code recent}.</li>
 * </ol>
 * The rewritings of rules 1, 3 and 4 are in {@link MptCanonical}.
 */
final class MptMatcher {

    /**
     * RFC 5530, RFC 4315 and RFC 9051 codes that only add detail to the status they come with.
     * READ-ONLY/READ-WRITE and ALERT change what the response means and are not among them.
     */
    static final Set<String> DETAIL_CODES = Set.of("AUTHENTICATIONFAILED", "AUTHORIZATIONFAILED", "UNAVAILABLE",
            "NONEXISTENT", "ALREADYEXISTS", "TRYCREATE", "CANNOT", "CAPABILITY", "APPENDUID", "COPYUID", "CLOSED",
            "SERVERBUG", "CLIENTBUG", "INUSE", "LIMIT", "OVERQUOTA", "EXPUNGEISSUED", "CORRUPTION", "NOPERM",
            "CONTACTADMIN", "PRIVACYREQUIRED", "EXPIRED");

    /** Response codes of extensions: the code and the capability that announces it. */
    private static final List<String[]> EXTENSION_CODES = List.of(
            new String[] {"MAILBOXID", "OBJECTID"},
            new String[] {"HIGHESTMODSEQ", "CONDSTORE"},
            new String[] {"NOMODSEQ", "CONDSTORE"},
            new String[] {"MODIFIED", "CONDSTORE"});

    private static final Pattern STATUS = Pattern.compile("(\\S+) (OK|NO|BAD|BYE|PREAUTH)(?: (.*))?", Pattern.DOTALL);
    private static final Pattern SEQUENCED = Pattern.compile("\\* \\d+ (FETCH|EXPUNGE|EXISTS)\\b.*", Pattern.DOTALL);
    private static final Pattern SEQUENCED_REGEX =
            Pattern.compile("\\\\\\* (\\d+|\\\\d[+*]?|\\.[+*]|\\(?\\\\d\\+?\\)?) (FETCH|EXPUNGE|EXISTS)\\b.*", Pattern.DOTALL);
    private static final Pattern LITERAL_END = Pattern.compile("(?:\\\\?\\{)(\\d+)\\\\?\\+?\\\\?}$");
    private static final Pattern RECENT_COUNT = Pattern.compile("\\\\\\* \\S+ RECENT");

    private final Set<String> unadvertisedCodes;

    /** @param capabilities what the server advertises after login (codes of the others are not expected) */
    MptMatcher(Set<String> capabilities) {
        java.util.HashSet<String> codes = new java.util.HashSet<>();
        for (String[] c : EXTENSION_CODES) {
            if (!capabilities.contains(c[1])) {
                codes.add(c[0]);
            }
        }
        this.unadvertisedCodes = Set.copyOf(codes);
    }

    enum Verdict { PASS, RECENT, NONE }

    /** What the script expects as one response: its lines, joined into one expression. */
    record Group(List<Server> lines, boolean unordered, boolean optional) {
        String regex() {
            return String.join("\r\n", lines.stream().map(Server::regex).toList());
        }

        Origin origin() {
            return lines.getFirst().origin();
        }
    }

    /** A difference found in a step: expected and actual are null when missing or unexpected. */
    record Difference(String kind, Origin expectedAt, String expected, String actual) {}

    // ------------------------------------------------------------------ grouping

    /**
     * Groups the expected lines of a step into responses: a line ending with a literal's size is
     * followed by the lines of that literal (their length counted from the escaped text) and the
     * rest of its response. Lines of a SUB block are responses of their own, in any order.
     */
    List<Group> groups(List<MptScript.Element> expected) {
        List<Group> out = new ArrayList<>();
        List<Server> pending = new ArrayList<>();
        for (MptScript.Element e : expected) {
            if (e instanceof MptScript.Unordered u) {
                flushLines(pending, out);
                for (Server s : u.lines()) {
                    out.add(new Group(List.of(s), true, isOptionalCodeLine(s.regex())));
                }
            } else if (e instanceof Server s) {
                pending.add(s);
            }
        }
        flushLines(pending, out);
        return out;
    }

    private void flushLines(List<Server> lines, List<Group> out) {
        int i = 0;
        while (i < lines.size()) {
            List<Server> group = new ArrayList<>();
            Server first = lines.get(i++);
            group.add(first);
            String current = first.regex();
            Matcher m = LITERAL_END.matcher(current);
            while (m.find() && i < lines.size()) {
                long left = Long.parseLong(m.group(1));
                // Literal lines each count their text and CRLF; the line that completes it
                // may carry the rest of the response, possibly another literal.
                String last = null;
                while (i < lines.size() && left > 0) {
                    last = lines.get(i).regex();
                    group.add(lines.get(i++));
                    left -= unescapedLength(last) + 2;
                }
                if (left == 0 && i < lines.size()) {
                    // The literal ended with its line: the response goes on on the next line.
                    last = lines.get(i).regex();
                    group.add(lines.get(i++));
                }
                if (last == null) {
                    break;
                }
                m = LITERAL_END.matcher(last);
            }
            boolean optional = group.size() == 1 && isOptionalCodeLine(first.regex());
            out.add(new Group(List.copyOf(group), false, optional));
        }
        lines.clear();
    }

    /** An untagged OK made only of the code of an extension the server does not advertise. */
    private boolean isOptionalCodeLine(String regex) {
        String plain = deEscape(regex);
        for (String code : unadvertisedCodes) {
            if (plain.startsWith("* OK [" + code)) {
                return true;
            }
        }
        return false;
    }

    /** The length of the text an escaped line stands for (regular expression escapes removed). */
    static int unescapedLength(String regex) {
        int n = 0;
        for (int i = 0; i < regex.length(); i++) {
            if (regex.charAt(i) == '\\' && i + 1 < regex.length()) {
                i++;
            }
            n++;
        }
        return n;
    }

    /** The regular expression with its escapes removed: near enough to find names in it. */
    static String deEscape(String regex) {
        StringBuilder sb = new StringBuilder(regex.length());
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length() && !Character.isLetterOrDigit(regex.charAt(i + 1))) {
                c = regex.charAt(++i);
            }
            sb.append(c);
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ one response

    /** Compares one response with one expected group. */
    Verdict compare(Group g, ServerResponse r) {
        String regex = g.regex();
        if (isContinuationMarker(g)) {
            return r.isContinuation() ? Verdict.PASS : Verdict.NONE;
        }
        if (fits(regex, r.text())) {
            return Verdict.PASS;
        }
        String relaxed = withoutRecent(regex);
        if (!relaxed.equals(regex) && fits(relaxed, r.text())) {
            return Verdict.RECENT;
        }
        return Verdict.NONE;
    }

    /** Rules 1 and 2 for one expression: as sent, re-ordered (names it does not know last or first), by status. */
    private boolean fits(String regex, String text) {
        return matches(regex, text) || matches(regex, MptCanonical.canonical(text, regex, false))
                || matches(regex, MptCanonical.canonical(text, regex, true)) || statusMatches(regex, text);
    }

    /** {@code S: \+ Ok} stands for any continuation (FORMAT.md §1). */
    static boolean isContinuationMarker(Group g) {
        return g.lines().size() == 1 && g.lines().getFirst().regex().equals("\\+ Ok");
    }

    private final java.util.Map<String, Pattern> compiled = new java.util.HashMap<>();

    private boolean matches(String regex, String text) {
        Pattern p = compiled.computeIfAbsent(regex, r -> {
            try {
                return Pattern.compile(r, Pattern.DOTALL);
            } catch (PatternSyntaxException e) {
                return null;
            }
        });
        return p != null && p.matcher(text).matches();
    }

    /** The pattern with \Recent taken out of flag lists and any RECENT count allowed. */
    static String withoutRecent(String regex) {
        String r = regex.replaceAll("\\\\{2,3}Recent ", "").replaceAll(" \\\\{2,3}Recent", "").replaceAll("\\\\{2,3}Recent", "");
        r = r.replaceAll("(?<=\\\\\\* )\\d+ RECENT", "\\\\d+ RECENT");
        r = r.replaceAll("RECENT \\d+", "RECENT \\\\d+");
        return r;
    }

    /** Rule 2: tag, status and response code compared; the text is not. */
    private boolean statusMatches(String regex, String actual) {
        Matcher a = STATUS.matcher(actual);
        if (!a.matches()) {
            return false;
        }
        String[] expected = splitStatusRegex(regex);
        if (expected == null || !matches(expected[0], a.group(1)) || !matches(expected[1], a.group(2))) {
            return false;
        }
        String rest = a.group(3) == null ? "" : a.group(3);
        String actualCode = rest.startsWith("[") && rest.indexOf(']') > 0 ? rest.substring(1, rest.indexOf(']')) : null;
        String codeRegex = expected[2];
        if (codeRegex == null) {
            return actualCode == null || DETAIL_CODES.contains(codeName(actualCode));
        }
        if (codeRegex.isEmpty()) {
            return true; // the script allows any code here
        }
        String expectedName = codeName(deEscape(codeRegex));
        if (unadvertisedCodes.contains(expectedName)) {
            return actualCode == null || DETAIL_CODES.contains(codeName(actualCode));
        }
        return actualCode != null && (matches(codeRegex, actualCode) || matches(codeRegex, MptCanonical.canonical(actualCode, codeRegex, false))
                || matches(codeRegex, MptCanonical.canonical(actualCode, codeRegex, true)));
    }

    private static String codeName(String code) {
        int sp = code.indexOf(' ');
        return (sp < 0 ? code : code.substring(0, sp)).toUpperCase(Locale.ROOT);
    }

    /**
     * The tag, status and code of a status-response regex: code is null when the script gives
     * none, empty when it allows any, else the expression inside the brackets.
     */
    private static String[] splitStatusRegex(String regex) {
        int sp1 = regex.indexOf(' ');
        if (sp1 < 0) {
            return null;
        }
        int sp2 = regex.indexOf(' ', sp1 + 1);
        String tag = regex.substring(0, sp1);
        String status = sp2 < 0 ? regex.substring(sp1 + 1) : regex.substring(sp1 + 1, sp2);
        if (!status.matches("OK|NO|BAD|BYE|PREAUTH")) {
            return null;
        }
        String rest = sp2 < 0 ? "" : regex.substring(sp2 + 1);
        if (rest.startsWith("\\[")) {
            int depth = 0;
            for (int i = 0; i < rest.length() - 1; i++) {
                if (rest.startsWith("\\[", i)) {
                    depth++;
                    i++;
                } else if (rest.startsWith("\\]", i)) {
                    depth--;
                    if (depth == 0) {
                        return new String[] {tag, status, rest.substring(2, i)};
                    }
                    i++;
                } else if (rest.charAt(i) == '\\') {
                    i++;
                }
            }
            return null; // no closing bracket: only the whole expression can say
        }
        if (rest.startsWith("(\\[") || rest.startsWith(".*") || rest.startsWith("(.*") || rest.startsWith(".+")) {
            return new String[] {tag, status, ""};
        }
        return new String[] {tag, status, null};
    }

    // ------------------------------------------------------------------ one step

    /** Whether a response keeps its place (rule 3): it names sequence numbers, or is no untagged line. */
    static boolean ordered(ServerResponse r) {
        return !r.isUntagged() || r.lines().size() > 1 || SEQUENCED.matcher(r.text()).matches();
    }

    static boolean ordered(Group g) {
        String first = g.lines().getFirst().regex();
        return g.lines().size() > 1 || !first.startsWith("\\*") || SEQUENCED_REGEX.matcher(first).matches();
    }

    /**
     * A line that says nothing about where it belongs: it starts with neither an untagged
     * {@code *}, a continuation {@code +}, nor a tag ({@code .*}, {@code ^((?!X).)*$}).
     */
    static boolean wildcard(Group g) {
        String first = g.lines().getFirst().regex().split(" ", 2)[0];
        return !first.startsWith("\\*") && !first.startsWith("\\+") && !first.startsWith("+")
                && !TAG.matcher(deEscape(first)).matches();
    }

    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9!#&',\\-./:;<=>?@^_`|~\\[\\]]+");

    /** Compares a step: the expected groups with the responses read, by the rules above. */
    List<Difference> compareStep(List<Group> expectedGroups, List<ServerResponse> actualResponses) {
        List<Difference> out = new ArrayList<>();
        List<Group> expected = MptCanonical.expunges(expectedGroups);
        List<ServerResponse> actual = new ArrayList<>(MptCanonical.expungeResponses(actualResponses));
        List<Group> missing = new ArrayList<>();
        List<ServerResponse> extra = new ArrayList<>();

        // SUB blocks say their lines come in any order, whatever they are.
        List<Group> sub = expected.stream().filter(Group::unordered).toList();
        List<Group> wild = expected.stream().filter(g -> !g.unordered() && wildcard(g)).toList();
        List<Group> rest = expected.stream().filter(g -> !g.unordered() && !wildcard(g)).toList();
        List<Group> subLeft = matchSet(sub, actual, out);

        List<Group> eOrdered = rest.stream().filter(MptMatcher::ordered).toList();
        List<Group> eFree = new ArrayList<>(rest.stream().filter(g -> !ordered(g)).toList());
        eFree.addAll(subLeft);
        List<ServerResponse> aOrdered = actual.stream().filter(MptMatcher::ordered).toList();
        List<ServerResponse> aFree = new ArrayList<>(actual.stream().filter(r -> !ordered(r)).toList());
        alignOrdered(eOrdered, aOrdered, out, missing, extra);
        List<Group> freeLeft = matchSet(eFree, aFree, out);
        missing.addAll(freeLeft);
        extra.addAll(aFree);

        // Lines that may stand anywhere take what is left.
        List<Group> wildLeft = matchSet(wild, extra, out);
        missing.addAll(wildLeft);
        // An untagged OK is information only (RFC 9051 §7.1.1): one the script does not
        // expect is fine when it carries no code or only a code that adds detail.
        extra.removeIf(this::informational);
        report(missing, extra, out);
        return out;
    }

    private boolean informational(ServerResponse r) {
        Matcher a = STATUS.matcher(r.text());
        if (!r.isUntagged() || !a.matches() || !a.group(2).equals("OK")) {
            return false;
        }
        String rest = a.group(3) == null ? "" : a.group(3);
        return !rest.startsWith("[") || rest.indexOf(']') < 0 || DETAIL_CODES.contains(codeName(rest.substring(1, rest.indexOf(']'))));
    }

    /**
     * Matches groups to responses where order does not count: as many PASS pairs as possible
     * (augmenting paths), then \Recent-only differences. Matched responses leave {@code pool};
     * returns the groups left without one.
     */
    private List<Group> matchSet(List<Group> groups, List<ServerResponse> pool, List<Difference> out) {
        List<Group> left = new ArrayList<>();
        if (groups.isEmpty()) {
            return left;
        }
        int[] owner = new int[pool.size()];
        java.util.Arrays.fill(owner, -1);
        Verdict[][] v = new Verdict[groups.size()][pool.size()];
        for (int i = 0; i < groups.size(); i++) {
            for (int j = 0; j < pool.size(); j++) {
                v[i][j] = compare(groups.get(i), pool.get(j));
            }
        }
        boolean[] matched = new boolean[groups.size()];
        for (Verdict wanted : new Verdict[] {Verdict.PASS, Verdict.RECENT}) {
            for (int i = 0; i < groups.size(); i++) {
                if (!matched[i] && augment(i, wanted, v, owner, new boolean[pool.size()])) {
                    matched[i] = true;
                }
            }
        }
        List<ServerResponse> taken = new ArrayList<>();
        for (int j = 0; j < pool.size(); j++) {
            if (owner[j] >= 0) {
                record(groups.get(owner[j]), pool.get(j), v[owner[j]][j], out);
                taken.add(pool.get(j));
            }
        }
        for (int i = 0; i < groups.size(); i++) {
            if (!matched[i]) {
                left.add(groups.get(i));
            }
        }
        pool.removeAll(taken);
        return left;
    }

    private static boolean augment(int i, Verdict wanted, Verdict[][] v, int[] owner, boolean[] seen) {
        for (int j = 0; j < owner.length; j++) {
            if (v[i][j] == Verdict.NONE || seen[j] || (wanted == Verdict.PASS && v[i][j] != Verdict.PASS)) {
                continue;
            }
            seen[j] = true;
            if (owner[j] < 0 || augment(owner[j], wanted, v, owner, seen)) {
                owner[j] = i;
                return true;
            }
        }
        return false;
    }

    private void alignOrdered(List<Group> e, List<ServerResponse> a, List<Difference> out,
                              List<Group> missing, List<ServerResponse> extra) {
        int n = e.size();
        int m = a.size();
        Verdict[][] v = new Verdict[n][m];
        // Fast path: one to one, in order.
        if (n == m) {
            boolean all = true;
            for (int i = 0; i < n && all; i++) {
                v[i][i] = compare(e.get(i), a.get(i));
                all = v[i][i] != Verdict.NONE;
            }
            if (all) {
                for (int i = 0; i < n; i++) {
                    record(e.get(i), a.get(i), v[i][i], out);
                }
                return;
            }
        }
        // Longest common subsequence, a PASS worth more than a RECENT.
        int[][] best = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                int score = Math.max(best[i + 1][j], best[i][j + 1]);
                Verdict x = v[i][j] != null ? v[i][j] : (v[i][j] = compare(e.get(i), a.get(j)));
                if (x != Verdict.NONE) {
                    score = Math.max(score, best[i + 1][j + 1] + (x == Verdict.PASS ? 3 : 2));
                }
                best[i][j] = score;
            }
        }
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && v[i][j] != null && v[i][j] != Verdict.NONE
                    && best[i][j] == best[i + 1][j + 1] + (v[i][j] == Verdict.PASS ? 3 : 2)) {
                record(e.get(i), a.get(j), v[i][j], out);
                i++;
                j++;
            } else if (j < m && (i >= n || best[i][j + 1] >= best[i + 1][j])) {
                extra.add(a.get(j++));
            } else {
                missing.add(e.get(i++));
            }
        }
    }

    /** Reports what is left, pairing a missing line with an extra one of the same kind. */
    private static void report(List<Group> missing, List<ServerResponse> extra, List<Difference> out) {
        missing.removeIf(Group::optional);
        // A RECENT line the server did not send is a \Recent difference only when nothing else
        // in the step went differently (else it is one more consequence of that).
        boolean onlyRecent = extra.isEmpty() && missing.stream().allMatch(g -> RECENT_COUNT.matcher(g.regex()).matches());
        List<Group> unpaired = new ArrayList<>();
        for (Group g : missing) {
            ServerResponse same = extra.stream().filter(r -> sameKind(g, r)).findFirst().orElse(null);
            if (same != null) {
                extra.remove(same);
                out.add(new Difference("mismatch", g.origin(), g.regex(), same.toString()));
            } else {
                unpaired.add(g);
            }
        }
        for (Group g : unpaired) {
            boolean recent = onlyRecent && RECENT_COUNT.matcher(g.regex()).matches();
            out.add(new Difference(recent ? "recent" : "missing", g.origin(), g.regex(), null));
        }
        for (ServerResponse r : extra) {
            out.add(new Difference("unexpected", null, null, r.toString()));
        }
    }

    private static boolean sameKind(Group g, ServerResponse r) {
        String[] expected = deEscape(g.regex()).split(" ", 4);
        String[] actual = r.text().split(" ", 4);
        if (expected.length < 2 || actual.length < 2 || !expected[0].equals(actual[0])) {
            return false;
        }
        if (!expected[0].equals("*")) {
            return true; // the same tag: the answer to the same command
        }
        if (expected[0].equals("*") && expected[1].equals("OK") && actual[1].equals("OK")) {
            return expected.length > 2 && actual.length > 2 && codeName(expected[2]).equals(codeName(actual[2]));
        }
        if (expected[0].equals("*") && expected.length > 2 && actual.length > 2 && expected[1].matches("\\d+")) {
            return expected[2].equalsIgnoreCase(actual[2]); // n FETCH, n EXPUNGE
        }
        return expected[1].equalsIgnoreCase(actual[1]);
    }

    private static void record(Group g, ServerResponse r, Verdict v, List<Difference> out) {
        if (v == Verdict.RECENT) {
            out.add(new Difference("recent", g.origin(), g.regex(), r.toString()));
        }
    }

}
