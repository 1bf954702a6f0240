package org.postern.imap.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A file of differences between what a conformance script expects and what Postern answers, each
 * with the reason it is not a bug to fix (tab-separated: script, where, reason; {@code #} starts a
 * comment). {@code where} names a step by the line of its command ({@code 42}, or
 * {@code Fixture.test:42} for a step of a fixture played around the script) or a kind of
 * difference the runner recognises ({@code recent}). A runner fails on any difference not listed
 * and warns when a listed one no longer happens.
 */
final class ExpectedDifferences {

    record Entry(String script, String where, String reason, int line) {
        boolean covers(String scriptName, String step, String kind) {
            return script.equals(scriptName) && (where.equals(step) || where.equals(kind));
        }
    }

    private final String file;
    private final List<Entry> entries;
    private final Set<Entry> used = new LinkedHashSet<>();

    private ExpectedDifferences(String file, List<Entry> entries) {
        this.file = file;
        this.entries = entries;
    }

    /** Loads a differences file from the test resources. */
    static ExpectedDifferences load(String resource) throws IOException {
        try (InputStream in = ExpectedDifferences.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing test resource " + resource);
            }
            List<Entry> entries = new ArrayList<>();
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i].strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] cols = lines[i].split("\t", 3);
                if (cols.length < 3 || cols[2].isBlank()) {
                    throw new IOException(resource + ":" + (i + 1) + ": want script<TAB>where<TAB>reason: " + line);
                }
                entries.add(new Entry(cols[0].strip(), cols[1].strip(), cols[2].strip(), i + 1));
            }
            return new ExpectedDifferences(resource, List.copyOf(entries));
        }
    }

    /** The entry that lists this difference, or null; remembers that it was used. */
    synchronized Entry find(String script, String step, String kind) {
        for (Entry e : entries) {
            if (e.covers(script, step, kind)) {
                used.add(e);
                return e;
            }
        }
        return null;
    }

    /** Entries of the scripts that ran that matched no difference: they pass now. */
    synchronized List<Entry> unused(Set<String> scriptsRun) {
        return entries.stream().filter(e -> scriptsRun.contains(e.script()) && !used.contains(e)).toList();
    }

    /** Entries for scripts that were not run at all (skipped, or not in the corpus). */
    List<Entry> forScriptsNotRun(Set<String> scriptsRun) {
        return entries.stream().filter(e -> !scriptsRun.contains(e.script())).toList();
    }

    int size() {
        return entries.size();
    }

    String file() {
        return file;
    }

    /**
     * The end of a runner's run: prints its summary and a warning for each listed difference
     * that no longer happens or belongs to a {@code unit} ("script", "test") that did not run,
     * and writes the per-script report with the summary and the skipped ones to
     * target/imap-conformance/{@code reportName}.
     */
    void finish(Set<String> run, String unit, String summary, List<String> report, List<String> skipped, String reportName)
            throws IOException {
        System.out.println(summary);
        for (Entry e : unused(run)) {
            System.out.println("WARNING: listed difference no longer happens, remove it from " + file()
                    + " line " + e.line() + ": " + e.script() + " " + e.where());
        }
        for (Entry e : forScriptsNotRun(run)) {
            System.out.println("WARNING: listed difference for a " + unit + " that did not run: " + e.script() + " " + e.where());
        }
        Path out = Path.of("target", "imap-conformance", reportName);
        Files.createDirectories(out.getParent());
        List<String> lines = new ArrayList<>(report);
        lines.add(summary);
        lines.addAll(skipped);
        Files.write(out, lines, StandardCharsets.UTF_8);
    }
}
