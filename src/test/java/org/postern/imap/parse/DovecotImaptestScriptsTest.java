package org.postern.imap.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command of Dovecot's imaptest scripts ({@code conformance/dovecot-imaptest/tests}, format
 * in {@code conformance/dovecot-imaptest/docs/scripted_test.md}) goes through the reader and the
 * parser, with its variables bound to plausible values and its {@code {{{ }}}} blocks sent as
 * literals. A command the script expects {@code ok} or {@code no} must parse; one it expects
 * {@code bad} must fail. Scripts that need an extension this parser does not implement are
 * skipped, by their {@code capabilities:} header.
 */
class DovecotImaptestScriptsTest {
    static final Path TESTS = Path.of("conformance", "dovecot-imaptest", "tests");

    /** The capabilities whose commands this parser reads. */
    static final Set<String> PARSED = Set.of("BINARY", "MULTIAPPEND", "ESEARCH", "CONDSTORE", "QRESYNC", "ESORT",
            "SORT", "SORT=DISPLAY", "THREAD=REFERENCES", "THREAD=ORDEREDSUBJECT", "LIST-EXTENDED", "MOVE", "UIDPLUS",
            "ID");

    /**
     * Scripts run although they name CONTEXT=SEARCH or CONTEXT=SORT (RFC 5267): they use only its
     * PARTIAL option, which this parser reads as RFC 9394 defines it.
     */
    static final Set<String> PARTIAL_ONLY = Set.of("search-partial", "sort-partial");

    @TempDir
    static Path spool;

    static Stream<Path> scripts() throws IOException {
        assertThat(TESTS).as("conformance/ (a copy of or link to /work/shared/conformance) at the repository root")
                .isDirectory();
        try (Stream<Path> s = Files.list(TESTS)) {
            List<Path> files = s.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".mbox")).sorted().toList();
            assertThat(files).hasSizeGreaterThan(60);
            return files.stream();
        }
    }

    /** One command of a script. */
    static final class Cmd {
        final String where;
        final String tag;
        final String text;
        final byte[] wire;
        String expect; // ok, no, bad, "" or null

        Cmd(String where, String tag, String text, byte[] wire, String expect) {
            this.where = where;
            this.tag = tag;
            this.text = text;
            this.wire = wire;
            this.expect = expect;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void everyCommandParses(Path script) throws IOException {
        String name = script.getFileName().toString();
        List<String> lines = Arrays.asList(new String(Files.readAllBytes(script), StandardCharsets.ISO_8859_1).split("\n", -1));
        int body = 0;
        Set<String> caps = new HashSet<>();
        while (body < lines.size() && !lines.get(body).isBlank()) {
            String h = lines.get(body++);
            if (h.toLowerCase(Locale.ROOT).startsWith("capabilities:")) {
                caps.addAll(Arrays.asList(h.substring(13).trim().toUpperCase(Locale.ROOT).split("\\s+")));
            }
        }
        // skipped: an extension this parser does not implement (CATENATE, URLAUTH, NOTIFY, CONTEXT)
        assumeTrue(PARTIAL_ONLY.contains(name) || PARSED.containsAll(caps), "needs " + caps);
        List<Cmd> commands = commands(name, lines, body);
        List<String> problems = new ArrayList<>();
        for (Cmd c : commands) {
            ParseResult result = parse(c.wire);
            boolean mustFail = "bad".equals(c.expect);
            switch (result) {
                case ParseResult.Parsed p -> {
                    if (mustFail) {
                        problems.add(c.where + " parsed as " + p.command() + " but the script expects bad");
                    }
                }
                case ParseResult.Failed f -> {
                    if (!mustFail || f.error().kind() == CommandError.Kind.INTERNAL) {
                        problems.add(c.where + " failed (" + f.error().text() + ") but the script expects " + c.expect);
                    }
                }
            }
        }
        assertThat(commands).as("commands in " + name).isNotEmpty();
        assertThat(problems).isEmpty();
    }

    private ParseResult parse(byte[] wire) {
        List<ReadResult> results = Wire.readAll(wire, false, ReaderLimits.DEFAULT, spool);
        try {
            assertThat(results).as("one command").hasSize(2);
            return switch (results.getFirst()) {
                case ReadResult.Received r -> Wire.PARSER.parse(r.command(), ParseOptions.DEFAULT);
                case ReadResult.Rejected r -> new ParseResult.Failed(r.error());
                case ReadResult.EndOfInput e -> throw new AssertionError("no command");
            };
        } finally {
            results.forEach(ReadResult::close);
        }
    }

    private static final Pattern CONN = Pattern.compile("^(\\d+) (.*)$");
    private static final Set<String> STATUS = Set.of("ok", "no", "bad", "\"\"");
    private static final Set<String> COMMANDS = new HashSet<>();

    static {
        for (String c : CommandParser.commandNames()) {
            COMMANDS.add(c.toLowerCase(Locale.ROOT));
        }
        COMMANDS.add("uid");
    }

    /** The commands of a script body, each with its expected status where the script gives one. */
    static List<Cmd> commands(String name, List<String> lines, int start) {
        List<Cmd> out = new ArrayList<>();
        Map<String, Cmd> pendingUntagged = new HashMap<>(); // by connection: method 2
        Map<String, Cmd> pendingTagged = new HashMap<>(); // by tag: method 3
        int autoTag = 0;
        for (int i = start; i < lines.size(); i++) {
            String line = stripCr(lines.get(i));
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String conn = "1";
            Matcher m = CONN.matcher(line);
            if (m.matches()) {
                conn = m.group(1);
                line = m.group(2);
            }
            char first = line.charAt(0);
            if (first == '*' || first == '!' || first == '?') {
                String l = line;
                while (l.endsWith("{{{")) { // a reply with literals: skip their lines
                    do {
                        l = stripCr(lines.get(++i));
                    } while (!l.contains("}}}"));
                    l = l.substring(l.indexOf("}}}") + 3);
                }
                continue;
            }
            String[] words = line.split(" ", 3);
            String w0 = words[0].toLowerCase(Locale.ROOT);
            String rest = line.contains(" ") ? line.substring(line.indexOf(' ') + 1) : "";
            if (STATUS.contains(w0)) {
                Cmd pending = pendingUntagged.get(conn);
                if (pending != null && (rest.isEmpty() || rest.startsWith("["))) {
                    pending.expect = w0;
                    pendingUntagged.remove(conn);
                    continue;
                }
                int[] next = {i};
                Cmd c = command(name, next, lines, "t" + (++autoTag), rest, w0);
                i = next[0];
                out.add(c);
                continue;
            }
            if (words.length >= 2 && STATUS.contains(words[1].toLowerCase(Locale.ROOT)) && pendingTagged.containsKey(words[0])) {
                pendingTagged.remove(words[0]).expect = words[1].toLowerCase(Locale.ROOT);
                continue;
            }
            int[] next = {i};
            Cmd c;
            if (COMMANDS.contains(w0)) {
                c = command(name, next, lines, "t" + (++autoTag), line, null);
                pendingUntagged.put(conn, c);
            } else {
                c = command(name, next, lines, words[0], rest, null);
                pendingTagged.put(words[0], c);
            }
            i = next[0];
            out.add(c);
        }
        return out;
    }

    private static String stripCr(String s) {
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** Builds the wire form of a command, reading {@code {{{ ... }}}} literal blocks from the lines that follow. */
    private static Cmd command(String name, int[] index, List<String> lines, String tag, String text, String expect) {
        String where = name + ":" + (index[0] + 1);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes((tag + " ").getBytes(StandardCharsets.ISO_8859_1));
        String part = text;
        StringBuilder shown = new StringBuilder();
        while (true) {
            boolean binary = part.endsWith("~{{{");
            if (!part.endsWith("{{{")) {
                String s = substitute(part, where);
                shown.append(s);
                wire.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
                break;
            }
            String before = substitute(part.substring(0, part.length() - (binary ? 4 : 3)), where);
            shown.append(before).append("{...}");
            StringBuilder content = new StringBuilder();
            int i = index[0] + 1;
            String l = lines.get(i);
            while (!l.contains("}}}")) {
                content.append(l).append(l.endsWith("\r") ? "\n" : "\r\n");
                l = lines.get(++i);
            }
            int close = l.indexOf("}}}");
            content.append(l, 0, close);
            index[0] = i;
            byte[] data = content.toString().getBytes(StandardCharsets.ISO_8859_1);
            wire.writeBytes((before + (binary ? "~{" : "{") + data.length + "+}\r\n").getBytes(StandardCharsets.ISO_8859_1));
            wire.writeBytes(data);
            part = stripCr(l.substring(close + 3));
        }
        String display = shown.toString();
        if (display.toLowerCase(Locale.ROOT).matches("append( .*)?") && !display.contains("{...}")) {
            // "ok append [mailbox [flags]]": the runner appends the next message of the mbox
            String args = display.length() > 6 ? display.substring(6) : "imaptest";
            byte[] message = "From: a@example.com\r\nSubject: test\r\n\r\nbody\r\n".getBytes(StandardCharsets.ISO_8859_1);
            wire.reset();
            wire.writeBytes((tag + " append " + args + " {" + message.length + "+}\r\n").getBytes(StandardCharsets.ISO_8859_1));
            wire.writeBytes(message);
        }
        wire.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return new Cmd(where, tag, display, wire.toByteArray(), expect);
    }

    private static final Pattern VARIABLE = Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)\\}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    /** Binds the script variables: predefined ones, and plausible values for those captured from replies. */
    static String substitute(String s, String where) {
        Matcher m = VARIABLE.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            String value;
            if (name == null) {
                value = "$";
            } else if (name.matches("(uid|modseq|size|pos|srcuid|uidnext|uidvalidity)\\w*")) {
                value = "7";
            } else {
                value = switch (name) {
                    case "mailbox" -> "imaptest";
                    case "sep" -> "/";
                    case "user", "user2" -> "user@example.com";
                    case "username" -> "user";
                    case "domain" -> "example.com";
                    case "password" -> "secret";
                    default -> throw new AssertionError(where + ": unbound variable $" + name);
                };
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
