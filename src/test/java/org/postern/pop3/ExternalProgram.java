package org.postern.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs a real client program (python3, curl, fetchmail) against a test server, bounded in time.
 * A program that is not installed skips the test, unless POSTERN_REQUIRE_INTEROP=1 (as CI sets),
 * where it fails it: CI must not go green by skipping.
 */
final class ExternalProgram {
    record Result(int exitCode, String out, String err) {}

    private ExternalProgram() {}

    /** The program's path on PATH; skips or fails the test when there is none. */
    static String require(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d.isEmpty() ? "." : d, program);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        if ("1".equals(System.getenv("POSTERN_REQUIRE_INTEROP"))) {
            throw new AssertionError(program + " is not installed, and POSTERN_REQUIRE_INTEROP=1 requires it");
        }
        Assumptions.abort(program + " is not installed; skipping (set POSTERN_REQUIRE_INTEROP=1 to fail instead)");
        return null;
    }

    /** Runs {@code command} with {@code stdin}, in {@code dir}, killing it after {@code timeout}. */
    static Result run(List<String> command, String stdin, Path dir, Map<String, String> env, Duration timeout)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        boolean finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        Result r = new Result(finished ? p.exitValue() : -1, Files.readString(out, StandardCharsets.ISO_8859_1),
                Files.readString(err, StandardCharsets.ISO_8859_1));
        assertThat(finished).as("%s finished within %s; stderr: %s", command.getFirst(), timeout, r.err()).isTrue();
        return r;
    }
}
