package org.postern.imap.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.postern.imap.conformance.MptScript.Element;

/**
 * Replays the Apache James MPT IMAP scripts ({@code conformance/james-mpt}, format in its
 * FORMAT.md, classes in its inventory.tsv) against a real Postern over a socket, each script on a
 * fresh account with the preamble and postamble of the James suite that runs it. Comparison rules
 * are those of {@link MptMatcher}; the two translations of {@link MptTranslation} are the only
 * changes made to a script.
 *
 * <p>Scripts that need an extension Postern does not advertise are skipped, with the reason
 * ({@code imap-conformance/james-requirements.tsv}). Every other difference must be listed in
 * {@code imap-conformance/james-differences.tsv} with its reason; an unlisted one fails the
 * script's test, a listed one that no longer happens is reported.
 */
class JamesMptConformanceTest {
    static final Path ROOT = Path.of("conformance", "james-mpt");
    static final String PASSWORD = "password";
    /** The user names James's scripts log in as. */
    static final Set<String> USERS = Set.of("imapuser", "imapuser2", "Boby", "Diana", "delegate");

    @TempDir
    static Path dir;
    static ConformanceServer server;
    static Set<String> capabilities;
    static ExpectedDifferences listed;
    static MptMatcher matcher;
    static final MptTranslation TRANSLATION = new MptTranslation(USERS);
    static final Map<String, String> RESULTS = new LinkedHashMap<>();
    static final List<String> SKIPPED = new ArrayList<>();
    static final List<String> REPORT = new ArrayList<>();
    /** The kinds of difference each script showed (recent, mismatch, missing, ...). */
    static final Map<String, Set<String>> KINDS = new LinkedHashMap<>();

    /** One row of inventory.tsv. */
    record Script(String path, String name, List<String> preambles, String klass) {}

    @BeforeAll
    static void start() throws Exception {
        server = ConformanceServer.start(dir);
        server.freshAccount(MptTranslation.address("imapuser"), PASSWORD);
        capabilities = server.capabilitiesAfterLogin(MptTranslation.address("imapuser"), PASSWORD);
        listed = ExpectedDifferences.load("/imap-conformance/james-differences.tsv");
        matcher = new MptMatcher(capabilities);
    }

    @AfterAll
    static void stop() throws IOException {
        if (server == null) {
            return;
        }
        server.close();
        long passed = RESULTS.values().stream().filter(r -> r.equals("passed")).count();
        long listedScripts = RESULTS.values().stream().filter(r -> r.equals("listed")).count();
        Set<String> run = RESULTS.keySet();
        int listedEntries = listed.size() - listed.forScriptsNotRun(run).size();
        String summary = String.format("James MPT: %d passed / %d runnable / %d skipped / %d listed differences in %d scripts",
                passed, RESULTS.size(), SKIPPED.size(), listedEntries, listedScripts);
        long recentOnly = KINDS.values().stream().filter(k -> k.equals(Set.of("recent"))).count();
        long recentAny = KINDS.values().stream().filter(k -> k.contains("recent")).count();
        summary += String.format(" (%d scripts differ only by \\Recent, %d in all show a \\Recent difference)", recentOnly, recentAny);
        listed.finish(run, "script", summary, REPORT, SKIPPED, "james-report.txt");
    }

    @TestFactory
    Stream<DynamicTest> scripts() throws IOException {
        Map<String, String[]> requirements = requirements();
        List<DynamicTest> tests = new ArrayList<>();
        // -Dconformance.only=A.test,B.test plays only those (while working on them).
        Set<String> only = Set.of(System.getProperty("conformance.only", "").split(","));
        for (Script s : inventory()) {
            if (!only.contains("") && !only.contains(s.name())) {
                continue;
            }
            String[] needs = requirements.get(s.name());
            for (Map.Entry<String, String[]> r : requirements.entrySet()) {
                if (r.getKey().endsWith("*") && s.name().startsWith(r.getKey().substring(0, r.getKey().length() - 1))) {
                    needs = r.getValue();
                }
            }
            String[] need = needs;
            tests.add(DynamicTest.dynamicTest(s.name(), () -> run(s, need)));
        }
        return tests.stream();
    }

    private void run(Script s, String[] needs) throws IOException {
        if (s.klass().equals("F")) {
            skip(s, "a fixture: played before and after other scripts, not on its own");
            return;
        }
        if (needs != null) {
            List<String> missing = List.of(needs[0].split(" ")).stream().filter(c -> !capabilities.contains(c)).toList();
            if (!missing.isEmpty()) {
                skip(s, "needs " + String.join(" ", missing) + ", not advertised: " + needs[1]);
                return;
            }
        }
        MptScript script = MptScript.parse(ROOT.resolve(s.path()));
        List<String> unlisted = new ArrayList<>();
        int listedCount = 0;
        for (String preamble : s.preambles()) {
            long imapuser = server.freshAccount(MptTranslation.address("imapuser"), PASSWORD);
            if (s.name().equals("AuthenticatePlain.test")) {
                // inventory.tsv: users imapuser/password and delegate/123456, each with a mailbox named after it
                server.server.services().store().createMailbox(imapuser, "imapuser", null);
                long delegate = server.freshAccount(MptTranslation.address("delegate"), "123456");
                server.server.services().store().createMailbox(delegate, "delegate", null);
            }
            List<Element> elements = new ArrayList<>(pre(preamble));
            elements.addAll(script.elements());
            MptRun run = new MptRun(server, matcher, TRANSLATION);
            List<MptRun.StepDifference> diffs = run.play(elements, post(preamble), script.maxSession() + 1);
            if (!run.trace().isEmpty()) {
                Path trace = Path.of("target", "imap-conformance", "trace", s.name().replace('/', '_') + ".txt");
                Files.createDirectories(trace.getParent());
                Files.write(trace, run.trace(), StandardCharsets.ISO_8859_1,
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            }
            for (MptRun.StepDifference d : diffs) {
                String where = where(s.name(), d.step());
                ExpectedDifferences.Entry entry = listed.find(s.name(), where, d.difference().kind());
                String line = s.name() + "\t" + where + "\t" + d.difference().kind() + "\t[" + preamble + "]\n    expected: "
                        + oneLine(d.difference().expected()) + "\n    actual:   " + d.difference().actual();
                REPORT.add((entry == null ? "UNLISTED " : "listed   ") + line);
                KINDS.computeIfAbsent(s.name(), k -> new TreeSet<>()).add(d.difference().kind());
                if (entry == null) {
                    unlisted.add(line);
                } else {
                    listedCount++;
                }
            }
        }
        RESULTS.put(s.name(), !unlisted.isEmpty() ? "failed" : listedCount > 0 ? "listed" : "passed");
        assertThat(unlisted).as("differences not listed in james-differences.tsv").isEmpty();
    }

    static String oneLine(String s) {
        return s == null ? null : s.replace("\r\n", "⏎");
    }

    private static void skip(Script s, String reason) {
        SKIPPED.add("skipped\t" + s.name() + "\t" + reason);
        System.out.println("skipped " + s.name() + ": " + reason);
    }

    /** A step of the script is named by its line; a step of a fixture by file and line. */
    static String where(String script, MptScript.Origin step) {
        return step.file().equals(script) ? Integer.toString(step.line()) : step.toString();
    }

    // ------------------------------------------------------------------ the suites' preambles (FORMAT.md §3, §4)

    private static List<Element> pre(String preamble) throws IOException {
        List<Element> out = new ArrayList<>();
        if (preamble.startsWith("none")) {
            return out;
        }
        out.addAll(fixture("welcome", "S: \\* OK IMAP4rev1 Server ready"));
        if (preamble.contains("login")) {
            out.addAll(fixture("authenticate", "C: a001 LOGIN imapuser password", "S: a001 OK .*"));
        }
        if (preamble.contains("SELECT INBOX")) {
            out.addAll(fixture("selectInbox", "C: abcd SELECT inbox",
                    "S: \\* OK \\[MAILBOXID \\(.+\\)\\] Ok",
                    "S: \\* FLAGS \\(\\\\Answered \\\\Deleted \\\\Draft \\\\Flagged \\\\Seen\\)",
                    "S: \\* \\d+ EXISTS",
                    "S: \\* \\d+ RECENT",
                    "S: \\* OK \\[UIDVALIDITY \\d+\\].*",
                    "S: \\* OK \\[PERMANENTFLAGS \\(\\\\Answered \\\\Deleted \\\\Draft \\\\Flagged \\\\\\Seen( \\\\\\*)?\\)\\].*",
                    "S: \\* OK \\[HIGHESTMODSEQ \\d+\\].*",
                    "S: \\* OK \\[UIDNEXT 1\\].*",
                    "S: abcd OK \\[READ-WRITE\\] SELECT completed."));
        }
        if (preamble.contains("SelectedStateSetup")) {
            out.addAll(MptScript.parse(ROOT.resolve("imap/scripts/SelectedStateSetup.test")).elements());
        }
        return out;
    }

    private static List<Element> post(String preamble) throws IOException {
        if (preamble.contains("SELECT INBOX")) {
            return fixture("selectInbox-post", "C: a CLOSE", "S: .*");
        }
        if (preamble.contains("SelectedStateSetup")) {
            return MptScript.parse(ROOT.resolve("imap/scripts/SelectedStateCleanup.test")).elements();
        }
        return List.of();
    }

    private static List<Element> fixture(String name, String... lines) {
        return MptScript.parse(name, List.of(lines)).elements();
    }

    // ------------------------------------------------------------------ inventory and requirements

    static List<Script> inventory() throws IOException {
        List<Script> out = new ArrayList<>();
        List<String> rows = Files.readAllLines(ROOT.resolve("inventory.tsv"), StandardCharsets.UTF_8);
        for (String row : rows.subList(1, rows.size())) {
            String[] c = row.split("\t", -1);
            String path = c[0];
            String name = path.substring(path.lastIndexOf('/') + 1);
            if (path.contains("/aclIntegration/")) {
                name = "aclIntegration/" + name;
            }
            List<String> preambles = new ArrayList<>();
            for (String p : c[2].split(" \\| ")) {
                preambles.add(p.equals("-") ? "greeting+login" : p.strip());
            }
            out.add(new Script(path, name, preambles, c[4]));
        }
        assertThat(out).as("inventory.tsv rows").hasSizeGreaterThan(150);
        return out;
    }

    /** script → {capabilities needed, why}. */
    static Map<String, String[]> requirements() throws IOException {
        Map<String, String[]> out = new LinkedHashMap<>();
        try (InputStream in = JamesMptConformanceTest.class.getResourceAsStream("/imap-conformance/james-requirements.tsv")) {
            assertThat(in).as("imap-conformance/james-requirements.tsv").isNotNull();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] c = line.split("\t", 3);
                out.put(c[0].strip(), new String[] {c[1].strip(), c[2].strip()});
            }
        }
        return out;
    }

}
