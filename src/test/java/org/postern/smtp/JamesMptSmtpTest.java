package org.postern.smtp;

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
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.postern.auth.Passwords;
import org.postern.testing.SmtpClient;
import org.postern.testing.TestServer;

/**
 * Replays the Apache James MPT SMTP scripts (conformance/james-mpt/smtp, format in FORMAT.md)
 * against Postern, with the expected differences of {@code james-mpt-differences.txt} applied:
 * each one a James-specific text or choice, with its reason written down.
 */
class JamesMptSmtpTest {
    static final Path SCRIPTS = Path.of("conformance", "james-mpt", "smtp", "scripts");

    @TempDir
    static Path dir;
    static TestServer server;

    /** One expected difference: the script lines it replaces and what is expected instead. */
    record Hunk(String why, List<String> minus, List<String> plus) {}

    record Section(String listener, List<Hunk> hunks) {}

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, true);
        String hash = Passwords.hash("secret");
        server.services().directory().addAccount("bob@mydomain.tld", hash);
        server.services().directory().addAccount("starttls@mydomain.tld", hash);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @TestFactory
    Stream<DynamicTest> everyScript() throws Exception {
        Map<String, Section> differences = differences();
        List<Path> scripts;
        try (Stream<Path> s = Files.list(SCRIPTS)) {
            scripts = s.filter(p -> p.toString().endsWith(".test")).sorted().toList();
        }
        assertThat(scripts).hasSize(8);
        assertThat(differences.keySet()).containsExactlyInAnyOrderElementsOf(
                scripts.stream().map(p -> p.getFileName().toString()).toList());
        return scripts.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            Section section = differences.get(p.getFileName().toString());
            List<String> lines = apply(scriptLines(p), section.hunks(), p.getFileName().toString());
            int port = section.listener().equals("smtp") ? server.smtpPort() : server.submissionPort();
            replay(lines, port);
        }));
    }

    /** The C:/S: lines of a script, comments and blank lines dropped. */
    static List<String> scriptLines(Path p) throws IOException {
        List<String> out = new ArrayList<>();
        for (String l : Files.readAllLines(p, StandardCharsets.UTF_8)) {
            if (l.startsWith("C:") || l.startsWith("S:")) {
                out.add(l);
            } else if (!l.isBlank() && !l.startsWith("#")) {
                throw new IllegalStateException(p + ": unknown line " + l);
            }
        }
        return out;
    }

    static List<String> apply(List<String> script, List<Hunk> hunks, String name) {
        List<String> out = new ArrayList<>(script);
        int from = 0;
        for (Hunk h : hunks) {
            int at = indexOf(out, h.minus(), from);
            assertThat(at).as("%s: the lines of the difference '%s' are not in the script: %s", name, h.why(), h.minus())
                    .isGreaterThanOrEqualTo(0);
            for (int i = 0; i < h.minus().size(); i++) {
                out.remove(at);
            }
            out.addAll(at, h.plus());
            from = at + h.plus().size();
        }
        return out;
    }

    private static int indexOf(List<String> lines, List<String> seq, int from) {
        for (int i = from; i + seq.size() <= lines.size(); i++) {
            if (lines.subList(i, i + seq.size()).equals(seq)) {
                return i;
            }
        }
        return -1;
    }

    static void replay(List<String> lines, int port) throws IOException {
        try (SmtpClient c = SmtpClient.raw(port)) {
            for (String l : lines) {
                String rest = l.length() > 3 ? l.substring(3) : "";
                if (l.startsWith("C:")) {
                    c.write(rest + "\r\n");
                } else if (l.startsWith("S*")) {
                    SmtpClient.Reply r = c.read();
                    for (String text : r.lines()) {
                        String line = r.code() + "-" + text;
                        assertThat(line.replaceFirst("^(\\d{3})-", "$1 ")).matches(Pattern.compile(rest));
                    }
                } else {
                    String got = c.readLine();
                    assertThat(got).as("expected %s", rest).isNotNull();
                    assertThat(got).matches(Pattern.compile(rest));
                }
            }
        }
    }

    static Map<String, Section> differences() throws IOException {
        Map<String, Section> out = new LinkedHashMap<>();
        List<String> text;
        try (InputStream in = JamesMptSmtpTest.class.getResourceAsStream("james-mpt-differences.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        Section section = null;
        StringBuilder why = null;
        List<String> minus = null;
        List<String> plus = null;
        for (String l : text) {
            if (l.startsWith("#") || l.isBlank()) {
                continue;
            }
            if (l.startsWith("== ") || l.startsWith("why:")) {
                if (minus != null && (!minus.isEmpty() || !plus.isEmpty())) {
                    section.hunks().add(new Hunk(why.toString(), minus, plus));
                    minus = null;
                }
            }
            if (l.startsWith("== ")) {
                String[] w = l.substring(3).split(" on ");
                section = new Section(w[1].strip(), new ArrayList<>());
                out.put(w[0].strip(), section);
                why = null;
            } else if (l.startsWith("why:")) {
                if (minus == null) {
                    why = new StringBuilder(l.substring(4).strip());
                    minus = new ArrayList<>();
                    plus = new ArrayList<>();
                } else {
                    why.append(' ').append(l.substring(4).strip());
                }
            } else if (l.startsWith("- ") || l.startsWith("+ ")) {
                if (why == null || minus == null) {
                    throw new IllegalStateException("a difference without a 'why:' line: " + l);
                }
                if (l.startsWith("-") && !plus.isEmpty()) { // "- a + b - c + d": two hunks, one reason
                    section.hunks().add(new Hunk(why.toString(), minus, plus));
                    minus = new ArrayList<>();
                    plus = new ArrayList<>();
                }
                (l.startsWith("-") ? minus : plus).add(l.substring(2));
            } else {
                throw new IllegalStateException("unknown line in the differences file: " + l);
            }
        }
        if (minus != null && (!minus.isEmpty() || !plus.isEmpty())) {
            section.hunks().add(new Hunk(why.toString(), minus, plus));
        }
        return out;
    }
}
