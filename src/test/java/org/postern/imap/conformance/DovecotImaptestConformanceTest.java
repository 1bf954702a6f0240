package org.postern.imap.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs Dovecot's imaptest scripted tests ({@code conformance/dovecot-imaptest/tests}, format in
 * its docs/scripted_test.md) against a real Postern over a socket, each on a fresh account, as
 * imaptest's scripted mode would ({@link ImaptestRun}): semantic checks, untagged order and free
 * text not compared. A test whose {@code capabilities:} Postern does not advertise is skipped;
 * every other failure must be listed with its reason in
 * {@code imap-conformance/dovecot-differences.tsv} (where: the line of the group's first command,
 * 0 for the closing LOGOUT); a listed one that no longer happens is reported.
 */
class DovecotImaptestConformanceTest {
    static final Path ROOT = Path.of("conformance", "dovecot-imaptest", "tests");
    static final String USER = "imaptest@example.org";
    static final String PASSWORD = "imaptest-password";

    @TempDir
    static Path dir;
    static ConformanceServer server;
    static ExpectedDifferences listed;
    static Set<String> capabilities;
    static final Map<String, String> RESULTS = new LinkedHashMap<>();
    static final List<String> SKIPPED = new ArrayList<>();
    static final List<String> REPORT = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        server = ConformanceServer.start(dir);
        server.freshAccount(USER, PASSWORD);
        capabilities = server.capabilitiesAfterLogin(USER, PASSWORD);
        listed = ExpectedDifferences.load("/imap-conformance/dovecot-differences.tsv");
    }

    @AfterAll
    static void stop() throws IOException {
        if (server == null) {
            return;
        }
        server.close();
        long passed = RESULTS.values().stream().filter(r -> r.equals("passed")).count();
        long listedTests = RESULTS.values().stream().filter(r -> r.equals("listed")).count();
        Set<String> run = RESULTS.keySet();
        int listedEntries = listed.size() - listed.forScriptsNotRun(run).size();
        String summary = String.format("Dovecot imaptest: %d passed / %d runnable / %d skipped / %d listed differences in %d tests",
                passed, RESULTS.size(), SKIPPED.size(), listedEntries, listedTests);
        listed.finish(run, "test", summary, REPORT, SKIPPED, "dovecot-report.txt");
    }

    @TestFactory
    Stream<DynamicTest> tests() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(ROOT)) {
            files = s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".mbox")).sorted().toList();
        }
        assertThat(files).as("imaptest scripts").hasSizeGreaterThan(60);
        Set<String> only = Set.of(System.getProperty("conformance.only", "").split(","));
        List<DynamicTest> tests = new ArrayList<>();
        for (Path f : files) {
            String name = f.getFileName().toString();
            if (only.contains("") || only.contains(name)) {
                tests.add(DynamicTest.dynamicTest(name, () -> run(f)));
            }
        }
        try (Stream<Path> s = Files.list(ROOT.resolve("broken"))) {
            s.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".mbox"))
                    .forEach(n -> skip(n, "parked upstream in tests/broken"));
        }
        return tests.stream();
    }

    private void run(Path file) throws IOException {
        String name = file.getFileName().toString();
        ImaptestScript script = ImaptestScript.parse(file);
        List<String> missing = script.capabilities.stream().filter(c -> !capabilities.contains(c)).toList();
        if (!missing.isEmpty()) {
            skip(name, "needs " + String.join(" ", missing) + ", not advertised");
            return;
        }
        if (script.needsSecondUser) {
            skip(name, "needs a second user (user 2: $user2), which imaptest takes from its command line");
            return;
        }
        server.freshAccount(USER, PASSWORD);
        Path mboxFile = ROOT.resolve(name + ".mbox");
        Mbox mbox = Mbox.read(Files.exists(mboxFile) ? mboxFile : ROOT.resolve("default.mbox"));
        ImaptestRun run = new ImaptestRun(server, script, mbox, USER, PASSWORD);
        List<ImaptestRun.Failure> failures = run.play();
        if (!run.trace.isEmpty()) {
            Path trace = Path.of("target", "imap-conformance", "trace", "dovecot-" + name + ".txt");
            Files.createDirectories(trace.getParent());
            Files.write(trace, run.trace, StandardCharsets.UTF_8);
        }
        if (failures == null) {
            skip(name, "needs " + String.join(" ", run.missingCapabilities()) + ", not advertised");
            return;
        }
        List<String> unlisted = new ArrayList<>();
        int listedCount = 0;
        for (ImaptestRun.Failure f : failures) {
            ExpectedDifferences.Entry entry = listed.find(name, Integer.toString(f.line()), "");
            String line = name + "\t" + f.line() + "\t" + f.message();
            REPORT.add((entry == null ? "UNLISTED " : "listed   ") + line);
            if (entry == null) {
                unlisted.add(line);
            } else {
                listedCount++;
            }
        }
        RESULTS.put(name, !unlisted.isEmpty() ? "failed" : listedCount > 0 ? "listed" : "passed");
        assertThat(unlisted).as("failures not listed in dovecot-differences.tsv").isEmpty();
    }

    private static void skip(String name, String reason) {
        SKIPPED.add("skipped\t" + name + "\t" + reason);
        System.out.println("skipped " + name + ": " + reason);
    }
}
