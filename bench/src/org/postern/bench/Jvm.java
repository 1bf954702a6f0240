package org.postern.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What jcmd tells of a server that is a JVM: its live heap after a full collection. */
final class Jvm {
    private static final Pattern USED = Pattern.compile("used (\\d+)([KMG])");

    private Jvm() {}

    /** Whether {@code pid} runs Java (its executable is named java). */
    static boolean isJava(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "exe")).getFileName().toString().equals("java");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Heap in use right after {@code jcmd PID GC.run}, in KiB; -1 when not a JVM or jcmd fails. */
    static long liveHeapKib(long pid) {
        if (!isJava(pid)) {
            return -1;
        }
        if (jcmd(pid, "GC.run") == null) {
            return -1;
        }
        String info = jcmd(pid, "GC.heap_info");
        if (info == null) {
            return -1;
        }
        Matcher m = USED.matcher(info);
        if (!m.find()) {
            return -1;
        }
        long v = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "K" -> v;
            case "M" -> v * 1024;
            default -> v * 1024 * 1024;
        };
    }

    private static String jcmd(long pid, String command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
