package org.postern.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs real client programs (python3, curl, mbsync, ...) against a test server. A missing
 * program skips the test, except in CI, where {@code POSTERN_REQUIRE_INTEROP=1} makes it fail:
 * .ci/run installs every program these tests use.
 */
public final class Programs {
    private Programs() {}

    /** What a program printed and how it ended. */
    public record Result(int exitCode, String output) {}

    public static void require(String program) {
        boolean found = System.getenv("PATH") != null && java.util.Arrays.stream(System.getenv("PATH").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
        if (!found && "1".equals(System.getenv("POSTERN_REQUIRE_INTEROP"))) {
            fail(program + " is not installed, and POSTERN_REQUIRE_INTEROP=1 requires it");
        }
        assumeTrue(found, program + " is not installed");
    }

    /** Runs a command with {@code stdin} as input, stderr merged into the output, within a time limit. */
    public static Result run(List<String> command, String stdin, Path workDir, int timeoutSeconds) throws IOException, InterruptedException {
        require(command.getFirst());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        Process p = pb.start();
        Thread feeder = Thread.ofVirtual().start(() -> {
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException ignored) {
                // the program ended early; its output says why
            }
        });
        byte[][] out = new byte[1][];
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                out[0] = p.getInputStream().readAllBytes();
            } catch (IOException e) {
                out[0] = ("(output unreadable: " + e + ")").getBytes(StandardCharsets.UTF_8);
            }
        });
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            reader.join(5000);
            fail(command.getFirst() + " did not finish within " + timeoutSeconds + " s; output so far:\n"
                    + (out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8)));
        }
        feeder.join(5000);
        reader.join(10_000);
        return new Result(p.exitValue(), out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8));
    }
}
