package org.postern.imap.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every client line of the Apache James MPT scripts ({@code conformance/james-mpt/imap/scripts},
 * format in {@code conformance/james-mpt/FORMAT.md}) goes through the reader and the parser, one
 * byte at a time, as one client stream per script. Each command must parse when the script
 * expects OK or NO, and fail when it expects BAD (or the untagged BYE James gives for a bad tag),
 * except for the listed commands this parser does not implement and the BADs James gives for
 * reasons outside the grammar.
 */
class JamesMptScriptsTest {
    static final Path SCRIPTS = Path.of("conformance", "james-mpt", "imap", "scripts");

    /** Extensions this parser does not implement: they must fail as unknown commands. */
    static final Set<String> NOT_IMPLEMENTED = Set.of(
            "GETMETADATA", "SETMETADATA", // RFC 5464
            "GETACL", "SETACL", "DELETEACL", "LISTRIGHTS", "MYRIGHTS", // RFC 4314
            "XLIST", // Gmail's old LIST variant, replaced by SPECIAL-USE (RFC 6154)
            "REPLACE"); // RFC 8508

    /**
     * BADs that James derives from the mailbox or its own rules, not from the grammar: they parse,
     * and the session answers them. Key: script and line of the command.
     */
    static final Map<String, String> BAD_AFTER_PARSING = Map.of(
            "Create.test:35", "CREATE ..: James refuses empty hierarchy levels; a store rule",
            "CreateErrorWithLongName.test:20", "a 201-character name: James's length limit, a store rule",
            "CreateErrorWithLongName.test:26", "a 201-character name: James's length limit, a store rule",
            "MoveNoMSG.test:38", "UID MOVE 1 in an empty mailbox: James answers BAD 'Invalid messageset'",
            "Uid.test:62", "FETCH 1:100 beyond the messages: the session answers BAD (RFC 9051 §6.4.5)");

    /** Where this parser follows the RFC grammar and James is more lenient: BAD here, OK or NO there. */
    static final Map<String, String> STRICTER_THAN_JAMES = Map.of(
            "Quota.test:116", "SETQUOTA root (MESSAGE 4096) (STORAGE 5242880): two lists, RFC 9208 §4.1 has one",
            "ListPlus.test:52", "LIST ... RETURN (MYRIGHTS): RFC 8440 (ACL) is not implemented",
            "ListWithSharedMailbox.test:31", "LIST ... RETURN (MYRIGHTS): RFC 8440 (ACL) is not implemented");

    @TempDir
    static Path spool;

    static Stream<Path> scripts() throws IOException {
        assertThat(SCRIPTS).as("conformance/ (a copy of or link to /work/shared/conformance) at the repository root")
                .isDirectory();
        try (Stream<Path> s = Files.walk(SCRIPTS)) {
            List<Path> files = s.filter(p -> p.toString().endsWith(".test")).sorted().toList();
            assertThat(files).hasSizeGreaterThan(100);
            return files.stream();
        }
    }

    private record Element(char kind, String text, int lineNo) {
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void everyClientLineParses(Path script) throws IOException {
        List<Element> elements = new ArrayList<>();
        List<String> lines = Files.readAllLines(script, StandardCharsets.ISO_8859_1);
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.startsWith("#") || l.isBlank()) {
                continue;
            }
            if (l.startsWith("C:")) {
                elements.add(new Element('C', l.length() > 3 ? l.substring(3) : "", i + 1));
            } else if (l.startsWith("S:")) {
                elements.add(new Element('S', l.length() > 3 ? l.substring(3) : "", i + 1));
            } else {
                elements.add(new Element('O', l, i + 1));
            }
        }
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        List<Integer> ends = new ArrayList<>();
        List<Integer> clientIndex = new ArrayList<>();
        for (int i = 0; i < elements.size(); i++) {
            if (elements.get(i).kind() == 'C') {
                stream.writeBytes((elements.get(i).text() + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                ends.add(stream.size());
                clientIndex.add(i);
            }
        }
        String name = script.getFileName().toString();
        SlowInputStream in = new SlowInputStream(stream.toByteArray());
        CommandReader reader = Wire.reader(in, ReaderLimits.DEFAULT, spool);
        List<String> problems = new ArrayList<>();
        int commands = 0;
        while (true) {
            try (ReadResult read = reader.read(new Wire.Continuations())) {
                if (read instanceof ReadResult.EndOfInput) {
                    break;
                }
                commands++;
                int pos = in.position();
                int k = 0;
                while (k < ends.size() && ends.get(k) < pos) {
                    k++;
                }
                int element = clientIndex.get(Math.min(k, clientIndex.size() - 1));
                ParseResult result = switch (read) {
                    case ReadResult.Received r -> Wire.PARSER.parse(r.command(), ParseOptions.DEFAULT);
                    case ReadResult.Rejected r -> new ParseResult.Failed(r.error());
                    case ReadResult.EndOfInput e -> throw new AssertionError();
                };
                String tag = switch (result) {
                    case ParseResult.Parsed p -> p.tag();
                    case ParseResult.Failed f -> f.error().tag();
                };
                String expected = expectation(elements, element, tag);
                String where = name + ":" + elements.get(element).lineNo() + " " + tag;
                String problem = check(name + ":" + elements.get(element).lineNo(), expected, result, read);
                if (problem != null) {
                    problems.add(where + ": " + problem);
                }
            }
        }
        long clientLines = elements.stream().filter(e -> e.kind() == 'C').count();
        assertThat((long) commands).as("commands in " + name).isBetween(clientLines == 0 ? 0L : 1L, clientLines);
        assertThat(problems).isEmpty();
    }

    /** OK, NO, BAD, BYE, or null when the script does not say. */
    private static String expectation(List<Element> elements, int last, String tag) {
        for (int i = last + 1; i < elements.size(); i++) {
            Element e = elements.get(i);
            if (e.kind() == 'C') {
                return null;
            }
            if (e.kind() != 'S') {
                continue;
            }
            String r = e.text();
            if (tag != null && r.startsWith(tag + " ")) {
                String rest = r.substring(tag.length() + 1);
                for (String s : List.of("OK", "NO", "BAD")) {
                    if (rest.startsWith(s)) {
                        return s;
                    }
                }
            }
            if (r.startsWith("\\* BYE Unknown command") || r.startsWith("\\* BAD")) {
                return "BYE"; // James's answer to a line without a valid tag or command
            }
        }
        return null;
    }

    private static String check(String where, String expected, ParseResult result, ReadResult read) {
        boolean expectFailure = "BAD".equals(expected) || "BYE".equals(expected);
        boolean badAfterParsing = BAD_AFTER_PARSING.containsKey(where);
        boolean stricter = STRICTER_THAN_JAMES.containsKey(where);
        switch (result) {
            case ParseResult.Parsed p -> {
                if (stricter) {
                    return "listed as stricter than James, but parsed";
                }
                if (expectFailure != badAfterParsing) {
                    return badAfterParsing ? "listed as a BAD after parsing, but the script expects " + expected
                            : "parsed as " + p.command() + " but the script expects " + expected;
                }
                return null;
            }
            case ParseResult.Failed f -> {
                if (f.error().kind() == CommandError.Kind.INTERNAL) {
                    return "parser bug: " + f.error().text();
                }
                if (f.error().kind() == CommandError.Kind.UNKNOWN_COMMAND && read instanceof ReadResult.Received r
                        && NOT_IMPLEMENTED.contains(commandName(r.command()))) {
                    return null;
                }
                if (badAfterParsing || (!expectFailure && !stricter)) {
                    return "failed (" + f.error().text() + ") but the script expects " + expected;
                }
                if (stricter && f.error().kind() != CommandError.Kind.SYNTAX) {
                    return "listed as stricter than James, but failed as " + f.error().kind();
                }
                return null;
            }
        }
    }

    /** The command name, with the one after UID for the UID forms. */
    static String commandName(WireCommand c) {
        String name = c.name();
        if (name.equals("UID") && c.tokens().size() > 1 && c.tokens().get(1) instanceof Token.Atom a) {
            return a.text().toUpperCase(Locale.ROOT);
        }
        return name;
    }
}
