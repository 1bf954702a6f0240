package org.postern.imap.conformance;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postern.imap.conformance.ImapArgs.Arg;
import org.postern.imap.conformance.MptScript.Server;

/**
 * The rewritings behind {@link MptMatcher}'s rules 1, 3 and 4: each turns a response into another
 * that means exactly the same to a client (items and flags re-ordered, MIME names in lower case,
 * a run of EXPUNGE responses numbered one fixed way), so that a script's regular expression,
 * written against one server's choices, can be checked against another's.
 */
final class MptCanonical {
    private MptCanonical() {}

    /**
     * Rule 1: the response with FETCH items, and the flags of flag lists, in the order the
     * expected text names them (names it does not mention keep their order, after the others).
     */
    static String canonical(String text, String regex, boolean unknownFirst) {
        String plain = MptMatcher.deEscape(regex);
        List<Arg> args;
        try {
            args = ImapArgs.parse(text);
        } catch (RuntimeException e) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        int copied = 0;
        for (int k = 0; k < args.size(); k++) {
            Arg a = args.get(k);
            if (a.kind() != ImapArgs.Kind.LIST) {
                if (a.kind() == ImapArgs.Kind.ATOM && a.value().contains("(") && a.value().startsWith("[")) {
                    // a response code with a flag list: [PERMANENTFLAGS (...)]
                    out.append(text, copied, a.start()).append(reorderCodeList(a.value(), plain, unknownFirst));
                    copied = a.end();
                }
                continue;
            }
            // n FETCH (...) and STATUS name (...) are lists of name-value pairs.
            boolean pairs = k >= 2 && (args.get(k - 1).isAtom("FETCH") || args.get(k - 2).isAtom("STATUS"));
            out.append(text, copied, a.start());
            out.append(pairs ? reorderPairs(text, a, plain, unknownFirst) : reorderAtoms(text, a, plain, unknownFirst));
            copied = a.end();
        }
        out.append(text.substring(copied));
        return out.toString();
    }

    private static String reorderPairs(String text, Arg list, String plain, boolean unknownFirst) {
        List<Arg> items = list.items();
        if (items.size() % 2 != 0) {
            return text.substring(list.start(), list.end());
        }
        record Item(String name, String raw, int at) {}
        List<Item> pairs = new ArrayList<>();
        for (int i = 0; i < items.size(); i += 2) {
            Arg name = items.get(i);
            Arg value = items.get(i + 1);
            String raw;
            if (name.isAtom("FLAGS") && value.kind() == ImapArgs.Kind.LIST) {
                raw = text.substring(name.start(), value.start()) + reorderAtoms(text, value, plain, unknownFirst);
            } else if ((name.isAtom("BODY") || name.isAtom("BODYSTRUCTURE")) && value.kind() == ImapArgs.Kind.LIST) {
                raw = text.substring(name.start(), value.start()) + lowerMimeNames(text, value, plain);
            } else {
                raw = text.substring(name.start(), value.end());
            }
            String n = name.value() == null ? "" : name.value();
            int at = plain.indexOf(n + " ");
            pairs.add(new Item(n, raw, at >= 0 ? at : unknownFirst ? -1 : Integer.MAX_VALUE));
        }
        pairs.sort(Comparator.comparingInt(Item::at));
        return "(" + String.join(" ", pairs.stream().map(Item::raw).toList()) + ")";
    }

    /**
     * A body structure with its parameter names and disposition types in lower case, as James
     * writes them: both are case-insensitive (RFC 2045 §5.1, RFC 2183 §2), so this changes
     * nothing a client may rely on.
     */
    static String lowerMimeNames(String text, Arg body, String plain) {
        List<Arg> spans = new ArrayList<>();
        mimeNames(body, spans);
        spans.sort(Comparator.comparingInt(Arg::start).reversed());
        StringBuilder sb = new StringBuilder(text.substring(body.start(), body.end()));
        for (Arg a : spans) {
            int from = a.start() - body.start();
            int to = a.end() - body.start();
            String replacement;
            if (a.kind() == ImapArgs.Kind.LIST) {
                // a parameter list: names in lower case, pairs in the order the expected text has them
                record Param(String raw, int at) {}
                List<Param> params = new ArrayList<>();
                List<Arg> items = a.items();
                for (int i = 0; i + 1 < items.size(); i += 2) {
                    String name = text.substring(items.get(i).start(), items.get(i).end()).toLowerCase(Locale.ROOT);
                    String raw = name + " " + text.substring(items.get(i + 1).start(), items.get(i + 1).end());
                    int at = plain.indexOf(raw.substring(0, raw.indexOf(' ')));
                    params.add(new Param(raw, at < 0 ? Integer.MAX_VALUE : at));
                }
                params.sort(Comparator.comparingInt(Param::at));
                replacement = "(" + String.join(" ", params.stream().map(Param::raw).toList()) + ")";
            } else {
                replacement = sb.substring(from, to).toLowerCase(Locale.ROOT);
            }
            sb.replace(from, to, replacement);
        }
        return sb.toString();
    }

    private static void mimeNames(Arg body, List<Arg> out) {
        if (body.kind() != ImapArgs.Kind.LIST || body.items().isEmpty()) {
            return;
        }
        List<Arg> items = body.items();
        if (items.getFirst().kind() == ImapArgs.Kind.LIST) {
            // body-type-mpart: bodies, subtype, then extension data: params, disposition
            int k = 0;
            while (k < items.size() && items.get(k).kind() == ImapArgs.Kind.LIST) {
                mimeNames(items.get(k++), out);
            }
            parameterNames(items, k + 1, out);
            disposition(items, k + 2, out);
            return;
        }
        // body-type-1part: type, subtype, params, id, description, encoding, size, ...
        parameterNames(items, 2, out);
        String type = items.getFirst().upper();
        String subtype = items.size() > 1 ? items.get(1).upper() : null;
        int extension = 7;
        if ("TEXT".equals(type)) {
            extension = 8; // lines
        } else if ("MESSAGE".equals(type) && ("RFC822".equals(subtype) || "GLOBAL".equals(subtype))) {
            if (items.size() > 8) {
                mimeNames(items.get(8), out); // envelope, body, lines
            }
            extension = 10;
        }
        disposition(items, extension + 1, out); // md5, then disposition
    }

    private static void parameterNames(List<Arg> items, int at, List<Arg> out) {
        if (at < items.size() && items.get(at).kind() == ImapArgs.Kind.LIST && items.get(at).items().size() % 2 == 0) {
            out.add(items.get(at)); // rewritten as a whole
        }
    }

    private static void disposition(List<Arg> items, int at, List<Arg> out) {
        if (at < items.size() && items.get(at).kind() == ImapArgs.Kind.LIST && !items.get(at).items().isEmpty()) {
            out.add(items.get(at).items().getFirst());
            parameterNames(items.get(at).items(), 1, out);
        }
    }

    /** A list made only of atoms (flags, attributes) in the order the expected text names them. */
    private static String reorderAtoms(String text, Arg list, String plain, boolean unknownFirst) {
        if (list.items().isEmpty() || !list.items().stream().allMatch(x -> x.kind() == ImapArgs.Kind.ATOM)) {
            return text.substring(list.start(), list.end());
        }
        List<String> atoms = new ArrayList<>(list.items().stream().map(Arg::value).toList());
        atoms.sort(Comparator.comparingInt(x -> position(plain, x, unknownFirst)));
        return "(" + String.join(" ", atoms) + ")";
    }

    private static String reorderCodeList(String code, String plain, boolean unknownFirst) {
        int open = code.indexOf('(');
        int close = code.lastIndexOf(')');
        if (close < open) {
            return code;
        }
        List<String> atoms = new ArrayList<>(List.of(code.substring(open + 1, close).split(" ")));
        atoms.removeIf(String::isEmpty);
        atoms.sort(Comparator.comparingInt(x -> position(plain, x, unknownFirst)));
        return code.substring(0, open + 1) + String.join(" ", atoms) + code.substring(close);
    }

    private static int position(String plain, String word, boolean unknownFirst) {
        Matcher m = Pattern.compile(Pattern.quote(word) + "(?![A-Za-z0-9$_-])", Pattern.CASE_INSENSITIVE).matcher(plain);
        return m.find() ? m.start() : unknownFirst ? -1 : Integer.MAX_VALUE;
    }

    // ------------------------------------------------------------------ EXPUNGE runs

    private static final Pattern EXPUNGE_LINE = Pattern.compile("\\* (\\d+) EXPUNGE");
    private static final Pattern EXPUNGE_REGEX = Pattern.compile("\\\\\\* (\\d+) EXPUNGE");

    /**
     * A run of EXPUNGE responses removes a set of messages: each renumbers those after it
     * (RFC 9051 §7.5.1), so "2, 2" and "3, 2" say the same. Runs are rewritten in one form,
     * highest first, numbered as before the run.
     */
    static List<Integer> originals(List<Integer> run) {
        java.util.TreeSet<Integer> removed = new java.util.TreeSet<>();
        for (int n : run) {
            int orig = n;
            for (int r : removed) {
                if (r <= orig) {
                    orig++;
                }
            }
            removed.add(orig);
        }
        return new ArrayList<>(removed.descendingSet());
    }

    static List<MptMatcher.Group> expunges(List<MptMatcher.Group> groups) {
        List<MptMatcher.Group> out = new ArrayList<>();
        int i = 0;
        while (i < groups.size()) {
            List<MptMatcher.Group> run = new ArrayList<>();
            while (i < groups.size() && !groups.get(i).unordered() && groups.get(i).lines().size() == 1
                    && EXPUNGE_REGEX.matcher(groups.get(i).regex()).matches()) {
                run.add(groups.get(i++));
            }
            if (run.size() < 2) {
                out.addAll(run);
                if (run.isEmpty()) {
                    out.add(groups.get(i++));
                }
                continue;
            }
            List<Integer> numbers = new ArrayList<>();
            for (MptMatcher.Group g : run) {
                Matcher m = EXPUNGE_REGEX.matcher(g.regex());
                m.matches();
                numbers.add(Integer.parseInt(m.group(1)));
            }
            List<Integer> canonical = originals(numbers);
            for (int k = 0; k < run.size(); k++) {
                Server first = run.get(k).lines().getFirst();
                out.add(new MptMatcher.Group(List.of(new Server("\\* " + canonical.get(k) + " EXPUNGE", first.origin())), false, false));
            }
        }
        return out;
    }

    static List<ServerResponse> expungeResponses(List<ServerResponse> responses) {
        List<ServerResponse> out = new ArrayList<>();
        int i = 0;
        while (i < responses.size()) {
            List<Integer> run = new ArrayList<>();
            while (i < responses.size()) {
                Matcher m = EXPUNGE_LINE.matcher(responses.get(i).text());
                if (!m.matches()) {
                    break;
                }
                run.add(Integer.parseInt(m.group(1)));
                i++;
            }
            if (run.size() < 2) {
                if (run.size() == 1) {
                    out.add(responses.get(i - 1));
                } else {
                    out.add(responses.get(i++));
                }
                continue;
            }
            for (int n : originals(run)) {
                String text = "* " + n + " EXPUNGE";
                out.add(new ServerResponse(text, List.of(text)));
            }
        }
        return out;
    }
}
