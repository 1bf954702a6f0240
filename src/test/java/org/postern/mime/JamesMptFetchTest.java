package org.postern.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays the FETCH commands of the Apache James MPT transcripts (james-mpt/imap/scripts) that
 * only ask for what this package renders (BODY[...] with partials, BODY, BODYSTRUCTURE,
 * ENVELOPE, RFC822, RFC822.HEADER, RFC822.TEXT, RFC822.SIZE) against the messages the script
 * appends, and matches our responses line by line against the script's server-line regexes.
 * BODY/BODYSTRUCTURE lines are compared as parsed values, case-insensitively and with each
 * parameter list in name order: James sorts parameters and lower-cases their names and the
 * disposition type, we keep header order and upper-case them; MIME makes both case-insensitive
 * and the order carries no meaning. James adds "FLAGS (\Recent \Seen)" when a fetch first sets
 * \Seen; the runner accepts that. Commands James rejects (BAD, e.g. a zero-length partial) are
 * the IMAP parser's business and are skipped. The Peek* scripts are not run by James itself (their
 * "{n}" lines are not valid regexes) and are left out.
 */
class JamesMptFetchTest {

    static final List<String> SCRIPTS = List.of(
            "FetchSimpleBodyStructure", "FetchMultipartBodyStructure", "FetchStructureComplex",
            "FetchStructureEmbedded", "FetchEnvelope", "FetchSingleMessage", "FetchMultipleMessages",
            "FetchHeaderFields", "FetchHeaderFieldsNot", "FetchRFC822", "FetchRFC822Header",
            "FetchRFC822Text", "FetchRFC822Mixed", "FetchText", "FetchMultipartAlternative",
            "FetchMultipartMixed", "FetchMultipartMixedComplex", "FetchBodyNoSection", "FetchPeek",
            "BodyPartialFetch", "HeaderPartialFetch", "MimePartialFetch", "TextPartialFetch");

    private static final Pattern APPEND = Pattern.compile("^\\S+ APPEND (\\S+)(?: .*)? \\{(\\d+)\\+?\\}$", Pattern.CASE_INSENSITIVE);
    private static final Pattern SELECT = Pattern.compile("^\\S+ (?:SELECT|EXAMINE) (\\S+)$", Pattern.CASE_INSENSITIVE);
    private static final Pattern FETCH = Pattern.compile("^(\\S+) FETCH (\\S+) (.*)$");
    private static final Pattern SECTION = Pattern.compile("^BODY(\\.PEEK)?\\[([^\\]]*)\\](?:<(\\d+)\\.(\\d+)>)?$", Pattern.CASE_INSENSITIVE);

    static Stream<String> scripts() {
        Conformance.root();
        return SCRIPTS.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void fetchResponsesMatchTheTranscript(String script) throws IOException {
        Path dir = Conformance.root().resolve("james-mpt/imap/scripts");
        Path file = dir.resolve(script + ".test");
        assumeTrue(Files.exists(file), "no script " + file);
        Runner runner = new Runner();
        runner.run(lines(dir.resolve("SelectedStateSetup.test")));
        int checked = runner.run(lines(file));
        assertThat(checked).as("FETCH commands checked in " + script).isPositive();
    }

    private static List<String> lines(Path p) throws IOException {
        List<String> out = new ArrayList<>();
        for (String l : new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).split("\n", -1)) {
            if (l.startsWith("C:") || l.startsWith("S:")) {
                out.add(l);
            }
        }
        return out;
    }

    /** Mailboxes and their messages, built from the APPENDs, and the FETCH checks. */
    private static final class Runner {
        private final Map<String, List<byte[]>> mailboxes = new HashMap<>();
        private String selected;

        /** Runs the C:/S: lines; returns how many FETCH commands were checked. */
        int run(List<String> lines) throws IOException {
            int checked = 0;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (!line.startsWith("C:")) {
                    continue;
                }
                String command = line.length() > 3 ? line.substring(3) : "";
                Matcher append = APPEND.matcher(command);
                Matcher select = SELECT.matcher(command);
                Matcher fetch = FETCH.matcher(command);
                if (append.matches()) {
                    i = readLiteral(lines, i + 1, Integer.parseInt(append.group(2)), unquote(append.group(1)));
                } else if (select.matches()) {
                    selected = unquote(select.group(1));
                } else if (fetch.matches() && supported(fetch.group(3))) {
                    List<String> expected = new ArrayList<>();
                    int j = i + 1;
                    while (j < lines.size() && !lines.get(j).startsWith("S: " + fetch.group(1) + " ")) {
                        if (lines.get(j).startsWith("S:")) {
                            expected.add(lines.get(j).length() > 3 ? lines.get(j).substring(3) : "");
                        }
                        j++;
                    }
                    if (j < lines.size() && !lines.get(j).startsWith("S: " + fetch.group(1) + " OK")) {
                        continue;
                    }
                    check(command, fetch.group(2), items(fetch.group(3)), expected);
                    checked++;
                }
            }
            return checked;
        }

        private int readLiteral(List<String> lines, int from, int size, String mailbox) {
            ByteArrayOutputStream literal = new ByteArrayOutputStream();
            int i = from;
            for (; i < lines.size() && literal.size() < size; i++) {
                String l = lines.get(i);
                if (!l.startsWith("C:")) {
                    continue;
                }
                byte[] b = ((l.length() > 3 ? l.substring(3) : "") + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
                literal.write(b, 0, Math.min(b.length, size - literal.size()));
            }
            mailboxes.computeIfAbsent(mailbox, k -> new ArrayList<>()).add(literal.toByteArray());
            return i - 1;
        }

        private void check(String command, String set, List<String> items, List<String> expected) throws IOException {
            List<byte[]> messages = mailboxes.getOrDefault(selected, List.of());
            List<String> ours = new ArrayList<>();
            List<Integer> firstLines = new ArrayList<>();
            for (int n : sequence(set, messages.size())) {
                firstLines.add(ours.size());
                ours.addAll(List.of(response(n, messages.get(n - 1), items).split("\r\n", -1)));
                ours.remove(ours.size() - 1);
            }
            assertThat(ours).as(command + ": number of response lines\n" + String.join("\n", ours)).hasSameSizeAs(expected);
            boolean structure = items.stream().anyMatch(it -> it.equalsIgnoreCase("BODY") || it.equalsIgnoreCase("BODYSTRUCTURE"));
            for (int k = 0; k < ours.size(); k++) {
                String line = ours.get(k);
                if (structure) {
                    assertThat(canonical(line)).as("%s line %d", command, k)
                            .isEqualTo(canonical(unescape(expected.get(k)).replace("FLAGS (\\Recent \\Seen) ", "")));
                    continue;
                }
                Pattern p = Pattern.compile(expected.get(k));
                boolean ok = p.matcher(line).matches()
                        || (firstLines.contains(k) && p.matcher(line.replaceFirst("FETCH \\(", "FETCH (FLAGS (\\\\Recent \\\\Seen) ")).matches());
                assertThat(ok).as("%s line %d:%n ours:     %s%n expected: %s", command, k, line, expected.get(k)).isTrue();
            }
        }

        /** A regex made only of escaped literals, as the BODYSTRUCTURE lines are, back to its text. */
        private static String unescape(String regex) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < regex.length(); i++) {
                char c = regex.charAt(i);
                if (c == '\\' && i + 1 < regex.length()) {
                    c = regex.charAt(++i);
                }
                out.append(c);
            }
            return out.toString();
        }

        /** The response line as a value: strings upper-cased, string lists of even length sorted by pairs. */
        private static String canonical(String line) {
            String prefix = line.substring(0, line.indexOf('(') + 1);
            String rest = line.substring(prefix.length(), line.length() - 1);
            StringBuilder sb = new StringBuilder(prefix);
            ImapValue.Reader r = new ImapValue.Reader(rest.getBytes(StandardCharsets.UTF_8));
            while (r.pos < rest.length()) {
                if (rest.charAt(r.pos) == ' ') {
                    r.pos++;
                    sb.append(' ');
                }
                ImapValue v = r.value();
                sb.append(canonical(v));
            }
            return sb.toString();
        }

        private static String canonical(ImapValue v) {
            return switch (v) {
                case ImapValue.Str s -> '"' + s.value().toUpperCase() + '"';
                case ImapValue.Nil n -> "NIL";
                case ImapValue.Num n -> Long.toString(n.value());
                case ImapValue.Atom a -> a.value().toUpperCase();
                case ImapValue.ListValue l -> {
                    List<String> items = new ArrayList<>();
                    l.items().forEach(x -> items.add(canonical(x)));
                    boolean params = !items.isEmpty() && items.size() % 2 == 0
                            && l.items().stream().allMatch(x -> x instanceof ImapValue.Str);
                    if (params) {
                        List<String> pairs = new ArrayList<>();
                        for (int i = 0; i < items.size(); i += 2) {
                            pairs.add(items.get(i) + " " + items.get(i + 1));
                        }
                        pairs.sort(null);
                        yield "(" + String.join(" ", pairs) + ")";
                    }
                    yield "(" + String.join(" ", items) + ")";
                }
            };
        }

        private static String response(int n, byte[] raw, List<String> items) throws IOException {
            ParsedMessage m = StructureChecks.parse(raw);
            MessageSource source = MessageSource.of(raw);
            StringBuilder sb = new StringBuilder("* ").append(n).append(" FETCH (");
            for (int k = 0; k < items.size(); k++) {
                if (k > 0) {
                    sb.append(' ');
                }
                String item = items.get(k);
                String upper = item.toUpperCase();
                Matcher section = SECTION.matcher(item);
                switch (upper) {
                    case "BODY" -> sb.append("BODY ").append(utf8(ImapRender.bodyStructure(m, false)));
                    case "BODYSTRUCTURE" -> sb.append("BODYSTRUCTURE ").append(utf8(ImapRender.bodyStructure(m, true)));
                    case "ENVELOPE" -> sb.append("ENVELOPE ").append(utf8(ImapRender.envelope(m)));
                    case "RFC822.SIZE" -> sb.append("RFC822.SIZE ").append(m.size());
                    case "RFC822" -> literal(sb.append("RFC822 "), Sections.fetch(m, source, SectionSpec.parse("")));
                    case "RFC822.HEADER" -> literal(sb.append("RFC822.HEADER "), Sections.fetch(m, source, SectionSpec.parse("HEADER")));
                    case "RFC822.TEXT" -> literal(sb.append("RFC822.TEXT "), Sections.fetch(m, source, SectionSpec.parse("TEXT")));
                    default -> {
                        if (!section.matches()) {
                            throw new IllegalStateException("unsupported " + item);
                        }
                        SectionContent content = Sections.fetch(m, source, SectionSpec.parse(section.group(2)));
                        sb.append("BODY[").append(section.group(2)).append(']');
                        if (section.group(3) != null) {
                            sb.append('<').append(section.group(3)).append('>');
                            content = content.partial(Long.parseLong(section.group(3)), Long.parseLong(section.group(4)));
                        }
                        literal(sb.append(' '), content);
                    }
                }
            }
            return sb.append(")\r\n").toString();
        }

        private static void literal(StringBuilder sb, SectionContent c) throws IOException {
            byte[] bytes = StructureChecks.bytes(c);
            sb.append('{').append(bytes.length).append("}\r\n").append(new String(bytes, StandardCharsets.ISO_8859_1));
        }

        private static String utf8(byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }

        private static boolean supported(String itemList) {
            for (String item : items(itemList)) {
                String u = item.toUpperCase();
                if (!(u.equals("BODY") || u.equals("BODYSTRUCTURE") || u.equals("ENVELOPE") || u.equals("RFC822")
                        || u.equals("RFC822.HEADER") || u.equals("RFC822.TEXT") || u.equals("RFC822.SIZE")
                        || SECTION.matcher(item).matches())) {
                    return false;
                }
            }
            return !items(itemList).isEmpty();
        }

        /** Items of "(A B[x y] C)" or of a single item, brackets respected. */
        private static List<String> items(String list) {
            String s = list.strip();
            if (s.startsWith("(") && s.endsWith(")")) {
                s = s.substring(1, s.length() - 1);
            }
            List<String> out = new ArrayList<>();
            int depth = 0;
            StringBuilder cur = new StringBuilder();
            for (char c : s.toCharArray()) {
                if (c == '[') {
                    depth++;
                } else if (c == ']') {
                    depth--;
                }
                if (c == ' ' && depth == 0) {
                    if (!cur.isEmpty()) {
                        out.add(cur.toString());
                    }
                    cur.setLength(0);
                } else {
                    cur.append(c);
                }
            }
            if (!cur.isEmpty()) {
                out.add(cur.toString());
            }
            return out;
        }

        private static List<Integer> sequence(String set, int count) {
            List<Integer> out = new ArrayList<>();
            for (String range : set.split(",")) {
                String[] ends = range.split(":");
                int a = ends[0].equals("*") ? count : Integer.parseInt(ends[0]);
                int b = ends.length == 1 ? a : ends[1].equals("*") ? count : Integer.parseInt(ends[1]);
                for (int n = Math.min(a, b); n <= Math.max(a, b); n++) {
                    out.add(n);
                }
            }
            return out;
        }

        private static String unquote(String s) {
            return s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
        }
    }
}
