package org.postern.bench;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.postern.bench.Workload.Kind;
import org.postern.bench.Workload.Target;

/**
 * Postern's IMAP benchmark: the load generator. Runs the workloads against Postern and Dovecot,
 * one server at a time, and prints one table. {@code bench/run} starts the servers and calls it;
 * run it alone against servers that already run (see {@code --help}).
 */
public final class ImapBench {
    static final String USAGE = """
            usage: ImapBench [options]
              --postern HOST:PORT   Postern's IMAPS listener          --postern-pid PID  its java process
              --dovecot HOST:PORT   Dovecot's IMAPS listener          --dovecot-pid PID  its master process
              --users N             users user1..userN@DOMAIN (100)   --domain D (example.test)  --password P (pass)
              --phases LIST         of prefill,memory,notify,reconnect,longlived,hold,smtp,fsync
                                    (default: all but hold, smtp and fsync)
              --postern-smtp HOST:PORT  Postern's MX listener   --postfix-smtp HOST:PORT  Postfix's (delivers to Dovecot)
              --smtp-messages N     messages of the SMTP load (5000)   --smtp-sessions N (20)   --smtp-size BYTES (10240)
              --smtp-source PATH    Postfix's smtp-source (/usr/sbin/smtp-source)
              --fsync-dir DIR       the folder whose disk the fsync probe measures (Postern's data folder)
              --clients LIST        client counts of the workloads (20,100)
              --equal-load F        after the closed-loop reconnect mix, offer both servers the same
                                    rate, F times the slower one's loops/s (0.8; 0: skip this cell)
              --warmup S            seconds of warm-up per workload and client count (10)
              --measure S           seconds measured (20)
              --mailbox N           messages per INBOX (30)
              --idle N              idle TLS connections for the memory test (2000)
              --idle-open-seconds S no new idle connection after S seconds of opening (150)
              --notify N            notification latency samples (300)   --notify-pairs N (10)
              --hold N              connections of the hold test (10000)  --hold-seconds S (30)
              --clock-ticks N       USER_HZ, from getconf CLK_TCK (100)
              --postern-restart CMD restarts Postern and prints its new pid, run before the
                                    memory and hold tests so that they measure a fresh JVM
              --header TEXT         a line to print above the table (repeatable)
              --out FILE            also write the table to FILE
            Either server may be left out. Every connection uses TLS with a full handshake.
            """;

    public static void main(String[] args) throws Exception {
        Map<String, List<String>> opt = parse(args);
        int users = intOpt(opt, "users", 100);
        String domain = str(opt, "domain", "example.test");
        String password = str(opt, "password", "pass");
        int ticks = intOpt(opt, "clock-ticks", 100);
        Set<String> phases = new LinkedHashSet<>(List.of(str(opt, "phases", "prefill,memory,notify,reconnect,longlived").split(",")));
        List<Integer> clientCounts = new ArrayList<>();
        for (String c : str(opt, "clients", "20,100").split(",")) {
            clientCounts.add(Integer.parseInt(c.trim()));
        }
        double warmup = dbl(opt, "warmup", 10);
        double measure = dbl(opt, "measure", 20);

        List<Target> targets = new ArrayList<>();
        if (opt.containsKey("postern")) {
            targets.add(target("Postern", str(opt, "postern", null), opt.get("postern-pid"), ticks));
        }
        if (opt.containsKey("dovecot")) {
            targets.add(target("Dovecot", str(opt, "dovecot", null), opt.get("dovecot-pid"), ticks));
        }
        if (targets.isEmpty()) {
            System.err.print(USAGE);
            System.exit(2);
        }
        for (int c : clientCounts) {
            if (c > users) {
                throw new IllegalArgumentException("--clients " + c + " is more than --users " + users + " (one client per user)");
            }
        }

        Report report = new Report(opt.getOrDefault("header", List.of()));
        Messages messages = new Messages(Long.toString(System.currentTimeMillis(), 36));
        report.note(String.format(Locale.ROOT, "messages: mean %.1f KB; INBOX held at %d messages; warm-up %.0f s + %.0f s measured per cell",
                messages.meanSize() / 1000.0, intOpt(opt, "mailbox", 30), warmup, measure));

        for (Target t : targets) {
            if (phases.contains("prefill")) {
                long t0 = System.nanoTime();
                long n = Prefill.fill(t, messages, users, intOpt(opt, "mailbox", 30), password, domain);
                log("%s: prefilled %d messages in %.1f s", t.name(), n, (System.nanoTime() - t0) / 1e9);
            }
        }
        double equalLoad = dbl(opt, "equal-load", 0.8);
        Map<Integer, Double> slowestLoops = new LinkedHashMap<>(); // clients -> the lower closed-loop loops/s
        for (Kind kind : Kind.values()) {
            if (!phases.contains(kind.reconnects() ? "reconnect" : "longlived")) {
                continue;
            }
            if (kind == Kind.RECONNECT_EQUAL_LOAD && (targets.size() < 2 || equalLoad <= 0)) {
                continue; // equal load means something only when two servers are compared
            }
            for (int clients : clientCounts) {
                double rate = kind == Kind.RECONNECT_EQUAL_LOAD ? equalLoad * slowestLoops.getOrDefault(clients, 0.0) : 0;
                if (kind == Kind.RECONNECT_EQUAL_LOAD && rate <= 0) {
                    continue;
                }
                for (Target t : targets) {
                    Workload w = new Workload(t, messages, password, domain, ticks);
                    log("%s: %s, %d clients%s (%.0f s warm-up, %.0f s measured)", t.name(), Report.name(kind), clients,
                            rate > 0 ? String.format(Locale.ROOT, ", %.2f loops/s offered", rate) : "", warmup, measure);
                    Workload.Result r = w.run(kind, clients, warmup, measure, rate);
                    if (kind == Kind.RECONNECT) {
                        double loopsPerSecond = r.loops() / r.seconds();
                        slowestLoops.merge(clients, loopsPerSecond, Math::min);
                    }
                    log("%s: %.0f ops/s, CPU server %.0f%% generator %.0f%% other %.0f%% (load %s), %d errors%s", t.name(),
                            r.opsPerSecond(), 100 * r.serverCpu() / r.seconds(), 100 * r.generatorCpu() / r.seconds(),
                            100 * r.otherCpu() / r.seconds(), ProcessTree.loadAverage(), r.errors(),
                            r.firstError() == null ? "" : " (first: " + r.firstError() + ")");
                    report.workload(t, r);
                }
            }
        }
        // The idle tests come after the workloads: Postern is restarted for them (a fresh JVM,
        // not a heap the workloads grew), and Dovecot's thousands of exiting processes must not
        // land in a workload's measured seconds.
        String restart = str(opt, "postern-restart", null);
        if (restart != null && phases.contains("memory")) {
            targets = restartPostern(targets, restart, ticks);
        }
        for (Target t : targets) {
            Idle idle = new Idle(t, password, domain, users, messages, dbl(opt, "idle-open-seconds", 150));
            if (phases.contains("memory") && t.tree() != null) {
                int n = intOpt(opt, "idle", 2000);
                log("%s: opening %d idle TLS connections", t.name(), n);
                Idle.Memory m = idle.memory(n, 3, 0, false);
                log("%s: %d/%d open in %.1f s, RSS +%d KiB (%.1f KiB per connection), %d dropped at DONE%s", t.name(),
                        m.opened(), n, m.openSeconds(), m.after().rssKib() - m.before().rssKib(), m.rssKibPerConnection(),
                        m.droppedAtDone(), m.firstError() == null ? "" : "; first error: " + m.firstError());
                report.memory(t, m);
            }
            if (phases.contains("notify")) {
                int samples = intOpt(opt, "notify", 300);
                int pairs = Math.min(intOpt(opt, "notify-pairs", 10), users);
                log("%s: IDLE notification latency, %d samples over %d pairs", t.name(), samples, pairs);
                Idle.Notify nl = idle.notifyLatency(pairs, samples);
                log("%s: notification p50 %.2f ms p99 %.2f ms, %d missed", t.name(),
                        Latencies.percentile(nl.afterOk(), 50) / 1e6, Latencies.percentile(nl.afterOk(), 99) / 1e6, nl.missed());
                report.notify(t, nl);
            }
        }
        Idle.Memory hold = null;
        if (phases.contains("hold")) {
            if (restart != null) {
                targets = restartPostern(targets, restart, ticks);
            }
            for (Target t : targets) {
                if (t.name().equals("Postern") && t.tree() != null) {
                    int n = intOpt(opt, "hold", 10_000);
                    double seconds = dbl(opt, "hold-seconds", 30);
                    log("%s: hold test, %d idle TLS connections for %.0f s", t.name(), n, seconds);
                    hold = new Idle(t, password, domain, users, messages, 300).memory(n, 5, seconds, true);
                    log("%s: %d/%d open in %.1f s, %.1f KiB per connection, fan-out %s in %.1f s%s", t.name(), hold.opened(), n,
                            hold.openSeconds(), hold.rssKibPerConnection(), hold.fannedOut() ? "complete" : "INCOMPLETE",
                            hold.fanOutSeconds(), hold.firstError() == null ? "" : "; first error: " + hold.firstError());
                    report.hold(t, hold);
                }
            }
        }
        if (phases.contains("smtp")) {
            smtp(opt, report, users, domain, password);
        }
        if (phases.contains("fsync") && opt.containsKey("fsync-dir")) {
            Path dir = Path.of(str(opt, "fsync-dir", null));
            for (int threads : new int[] {1, 20}) {
                FsyncProbe.Result r = FsyncProbe.measure(dir, threads, 5);
                log("fsync probe: %d writer(s), %.0f fsyncs/s", threads, r.perSecond());
                report.fsync(r);
            }
        }
        String table = report.render();
        System.out.println();
        System.out.print(table);
        if (opt.containsKey("out")) {
            Files.writeString(Path.of(str(opt, "out", null)), table);
        }
        if (hold != null && !(hold.opened() == hold.asked() && hold.fannedOut())) {
            System.exit(3);
        }
    }

    /**
     * The SMTP load against each MX that was given, the same messages to the last user
     * (whose INBOX the IMAP workloads do not use when --clients is below --users; it is emptied
     * before and after).
     */
    private static void smtp(Map<String, List<String>> opt, Report report, int users, String domain, String password) throws Exception {
        String user = "user" + users + "@" + domain;
        int messages = intOpt(opt, "smtp-messages", 5000);
        int sessions = intOpt(opt, "smtp-sessions", 20);
        int size = intOpt(opt, "smtp-size", 10240);
        String source = str(opt, "smtp-source", "/usr/sbin/smtp-source");
        String[][] servers = {{"Postern", "postern-smtp", "postern"}, {"Postfix+Dovecot", "postfix-smtp", "dovecot"}};
        for (String[] s : servers) {
            if (!opt.containsKey(s[1]) || !opt.containsKey(s[2])) {
                continue;
            }
            SmtpLoad load = new SmtpLoad(address(str(opt, s[1], null)), address(str(opt, s[2], null)), user, password);
            load.empty();
            log("%s: smtp-source, %d messages of %d bytes over %d sessions, one per connection, to %s", s[0], messages, size,
                    sessions, user);
            SmtpLoad.Result r = load.run(source, messages, sessions, size, 300);
            log("%s: %.0f msg/s acknowledged, %.0f msg/s visible over IMAP%s", s[0], r.ackPerSecond(), r.visiblePerSecond(),
                    r.error() == null ? "" : " (" + r.error() + ")");
            report.smtp(s[0], r);
            load.empty();
        }
    }

    /** Runs the restart command (its last line of output is the new pid) and points Postern's target at it. */
    private static List<Target> restartPostern(List<Target> targets, String command, int ticks) throws Exception {
        List<Target> out = new ArrayList<>();
        for (Target t : targets) {
            if (!t.name().equals("Postern")) {
                out.add(t);
                continue;
            }
            log("Postern: restarting (a fresh JVM for the memory measurements): %s", command);
            Process p = new ProcessBuilder("bash", "-c", command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String[] lines = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip().split("\n");
            if (p.waitFor() != 0) {
                throw new IllegalStateException("restarting Postern failed: " + command);
            }
            long pid = Long.parseLong(lines[lines.length - 1].strip());
            out.add(new Target(t.name(), t.address(), new ProcessTree(pid, ticks)));
        }
        return out;
    }

    private static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    private static Target target(String name, String hostPort, List<String> pid, int ticks) {
        InetSocketAddress a = address(hostPort);
        ProcessTree tree = pid == null ? null : new ProcessTree(Long.parseLong(pid.getLast()), ticks);
        return new Target(name, a, tree);
    }

    static void log(String format, Object... args) {
        System.err.printf(Locale.ROOT, "[bench %tT] " + format + "%n", prepend(System.currentTimeMillis(), args));
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] a = new Object[rest.length + 1];
        a[0] = first;
        System.arraycopy(rest, 0, a, 1, rest.length);
        return a;
    }

    private static Map<String, List<String>> parse(String[] args) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                System.out.print(USAGE);
                System.exit(0);
            }
            if (!a.startsWith("--") || i + 1 >= args.length) {
                System.err.println("ImapBench: bad argument '" + a + "'");
                System.err.print(USAGE);
                System.exit(2);
            }
            m.computeIfAbsent(a.substring(2), k -> new ArrayList<>()).add(args[++i]);
        }
        return m;
    }

    private static String str(Map<String, List<String>> m, String k, String def) {
        List<String> v = m.get(k);
        return v == null ? def : v.getLast();
    }

    private static int intOpt(Map<String, List<String>> m, String k, int def) {
        return Integer.parseInt(str(m, k, Integer.toString(def)));
    }

    private static double dbl(Map<String, List<String>> m, String k, double def) {
        return Double.parseDouble(str(m, k, Double.toString(def)));
    }
}
