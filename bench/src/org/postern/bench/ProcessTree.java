package org.postern.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Memory and CPU time of a server's whole process tree, read from /proc: for Postern the java
 * process; for Dovecot its master and every descendant (imap, imap-login, auth, config, log,
 * anvil, stats).
 *
 * <p>CPU time of a tree is the sum, over its live processes, of their own time and the time of
 * the children they reaped ({@code cutime}, {@code cstime}): an imap process that ended during a
 * run still counts, through the master that reaped it.
 */
final class ProcessTree {
    /** A snapshot: processes, summed VmRSS and Pss in KiB, CPU seconds. */
    record Sample(int processes, long rssKib, long pssKib, double cpuSeconds) {}

    private final long root;
    private final double clockTicks;

    ProcessTree(long rootPid, int clockTicksPerSecond) {
        this.root = rootPid;
        this.clockTicks = clockTicksPerSecond;
    }

    long root() {
        return root;
    }

    /** The tree's processes now: the root and every descendant. */
    List<Long> pids() {
        Map<Long, List<Long>> children = new HashMap<>();
        try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), p -> isNumber(p.getFileName().toString()))) {
            for (Path p : proc) {
                long ppid = ppid(p);
                if (ppid > 0) {
                    children.computeIfAbsent(ppid, k -> new ArrayList<>()).add(Long.parseLong(p.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc", e);
        }
        List<Long> out = new ArrayList<>();
        Deque<Long> todo = new ArrayDeque<>();
        todo.add(root);
        while (!todo.isEmpty()) {
            long p = todo.poll();
            out.add(p);
            todo.addAll(children.getOrDefault(p, List.of()));
        }
        return out;
    }

    /** Memory and CPU of the tree; {@code withPss} reads smaps_rollup too (slower). */
    Sample sample(boolean withPss) {
        long rss = 0;
        long pss = 0;
        long ticks = 0;
        int n = 0;
        for (long pid : pids()) {
            Path dir = Path.of("/proc", Long.toString(pid));
            try {
                rss += field(Files.readAllLines(dir.resolve("status")), "VmRSS:");
                if (withPss) {
                    pss += field(Files.readAllLines(dir.resolve("smaps_rollup")), "Pss:");
                }
                ticks += cpuTicks(Files.readString(dir.resolve("stat")));
                n++;
            } catch (IOException e) {
                // the process ended meanwhile
            }
        }
        return new Sample(n, rss, pss, ticks / clockTicks);
    }

    /** CPU seconds of the tree (cheaper than {@link #sample}). */
    double cpuSeconds() {
        long ticks = 0;
        for (long pid : pids()) {
            try {
                ticks += cpuTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
            } catch (IOException e) {
                // ended meanwhile
            }
        }
        return ticks / clockTicks;
    }

    /** This JVM's own CPU seconds (the load generator's cost). */
    static double selfCpuSeconds(int clockTicksPerSecond) {
        try {
            String[] f = afterComm(Files.readString(Path.of("/proc/self/stat")));
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) clockTicksPerSecond;
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    /**
     * CPU seconds the whole machine spent in processes (all cores, from /proc/stat), to tell
     * how much of it went to neither the server nor the generator.
     */
    static double machineBusySeconds(int clockTicksPerSecond) {
        try {
            String cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst();
            String[] f = cpu.trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest is in user).
            // irq and softirq are left out: loopback TCP of the benchmark's own connections is
            // largely softirq work, which would otherwise show as a neighbour's.
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 8}) {
                busy += Long.parseLong(f[i]);
            }
            return busy / (double) clockTicksPerSecond;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** The 1-minute load average. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    /** Whether the root process still exists. */
    boolean alive() {
        return Files.exists(Path.of("/proc", Long.toString(root)));
    }

    private static long cpuTicks(String stat) {
        String[] f = afterComm(stat);
        // fields after "(comm)": state=0 ppid=1 ... utime=11 stime=12 cutime=13 cstime=14
        return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }

    private static long ppid(Path procDir) {
        try {
            return Long.parseLong(afterComm(Files.readString(procDir.resolve("stat")))[1]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String[] afterComm(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    }

    private static long field(List<String> lines, String name) {
        for (String l : lines) {
            if (l.startsWith(name)) {
                String v = l.substring(name.length()).trim();
                return Long.parseLong(v.substring(0, v.indexOf(' ')));
            }
        }
        return 0;
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
