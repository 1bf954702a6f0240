package org.postern.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.postern.bench.Latencies.Op;
import org.postern.bench.Workload.Kind;
import org.postern.bench.Workload.Target;

/**
 * The one table a run prints: throughput with the Postern/Dovecot ratio and the targets, latency
 * per command, CPU of the server and of the load generator, memory per idle connection and IDLE
 * notification latency.
 */
final class Report {
    private static final String P = "Postern";
    private static final String D = "Dovecot";

    private final List<String> header;
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Map<String, Workload.Result>> workloads = new LinkedHashMap<>(); // cell -> server -> result
    private final Map<String, Idle.Memory> memory = new HashMap<>();
    private final Map<String, Idle.Notify> notify = new HashMap<>();
    private Idle.Memory hold;
    private final Map<String, SmtpLoad.Result> smtp = new LinkedHashMap<>();
    private final List<FsyncProbe.Result> fsync = new ArrayList<>();

    Report(List<String> header) {
        this.header = header;
    }

    static String name(Kind k) {
        return switch (k) {
            case RECONNECT -> "reconnect mix";
            case RECONNECT_EQUAL_LOAD -> "reconnect mix, equal load";
            case LONG_LIVED -> "long-lived";
        };
    }

    private static String cell(Kind k, int clients) {
        return name(k) + ", " + clients + " clients";
    }

    void note(String s) {
        notes.add(s);
    }

    void workload(Target t, Workload.Result r) {
        workloads.computeIfAbsent(cell(r.kind(), r.clients()), k -> new LinkedHashMap<>()).put(t.name(), r);
    }

    void memory(Target t, Idle.Memory m) {
        memory.put(t.name(), m);
    }

    void notify(Target t, Idle.Notify n) {
        notify.put(t.name(), n);
    }

    void hold(Target t, Idle.Memory m) {
        hold = m;
    }

    void smtp(String server, SmtpLoad.Result r) {
        smtp.put(server, r);
    }

    void fsync(FsyncProbe.Result r) {
        fsync.add(r);
    }

    String render() {
        StringBuilder s = new StringBuilder();
        for (String h : header) {
            s.append(h).append('\n');
        }
        for (String n : notes) {
            s.append(n).append('\n');
        }
        if (!workloads.isEmpty()) {
            throughput(s);
            latency(s);
        }
        if (!memory.isEmpty() || !notify.isEmpty() || hold != null) {
            idle(s);
        }
        if (!smtp.isEmpty()) {
            smtp(s);
        }
        if (!fsync.isEmpty()) {
            fsync(s);
        }
        return s.toString();
    }

    private void throughput(StringBuilder s) {
        s.append('\n');
        row(s, "%-38s %8s %8s %6s  %-13s %12s %18s %18s %8s%n", "THROUGHPUT (IMAP commands/s)", P, D, "P/D", "target",
                "srv CPU ms/op", "CPU% P srv/gen/oth", "CPU% D srv/gen/oth", "errors");
        for (var e : workloads.entrySet()) {
            Workload.Result p = e.getValue().get(P);
            Workload.Result d = e.getValue().get(D);
            double ratio = p != null && d != null ? p.opsPerSecond() / d.opsPerSecond() : Double.NaN;
            Kind kind = (p != null ? p : d).kind();
            double goal = kind == Kind.RECONNECT ? 2.0 : 1.0;
            String target = Double.isNaN(ratio) ? "" : String.format(Locale.ROOT, ">=%.0fx %s", goal, ratio >= goal ? "met" : "MISSED");
            if (kind == Kind.RECONNECT_EQUAL_LOAD) {
                // the same rate is offered to both: the ratio only shows that each kept up
                target = String.format(Locale.ROOT, "%.1f loops/s", (p != null ? p : d).offeredLoopsPerSecond());
            }
            row(s, "%-38s %8s %8s %6s  %-13s %12s %18s %18s %8s%n", e.getKey(), ops(p), ops(d), num(ratio, 2), target,
                    cpuPerOp(p) + "/" + cpuPerOp(d), cpu(p), cpu(d), (p == null ? "-" : p.errors()) + "/" + (d == null ? "-" : d.errors()));
        }
        s.append("  srv CPU ms/op: the server's CPU time per IMAP command, Postern/Dovecot (less sensitive to neighbours than ops/s)\n");
        s.append("  CPU%: CPU time over the measured seconds, 100 = one core of ").append(Runtime.getRuntime().availableProcessors())
                .append(";\n  srv = the server's process tree, gen = this load generator, oth = everything else on the machine\n");
        for (var e : workloads.entrySet()) {
            for (Workload.Result r : e.getValue().values()) {
                if (r.firstError() != null) {
                    s.append("  first error, ").append(e.getKey()).append(": ").append(r.firstError()).append('\n');
                }
            }
        }
    }

    private void latency(StringBuilder s) {
        // rows: workload x command; columns: per client count, Postern p50/p99, Dovecot p50/p99, p99 ratio
        List<Integer> counts = new ArrayList<>();
        for (Map<String, Workload.Result> m : workloads.values()) {
            int c = m.values().iterator().next().clients();
            if (!counts.contains(c)) {
                counts.add(c);
            }
        }
        s.append('\n');
        StringBuilder h = new StringBuilder(String.format(Locale.ROOT, "%-28s", "LATENCY ms p50/p99 (P/D: p99)"));
        for (int c : counts) {
            h.append(String.format(Locale.ROOT, " | %-27s", c + " clients: " + P + " / " + D)).append(String.format("%6s", "P/D"));
        }
        s.append(h).append('\n');
        for (Kind kind : Kind.values()) {
            boolean any = false;
            for (int c : counts) {
                any |= workloads.containsKey(cell(kind, c));
            }
            if (!any) {
                continue;
            }
            s.append(name(kind));
            if (kind == Kind.RECONNECT_EQUAL_LOAD) {
                s.append(" (the same loops/s offered to both, the share given by --equal-load of the slower")
                        .append(" server's closed-loop rate)");
            }
            s.append('\n');
            List<Op> ops = new ArrayList<>(List.of(Op.values()));
            for (Op op : ops) {
                StringBuilder r = new StringBuilder(String.format(Locale.ROOT, "  %-26s", op.label));
                boolean seen = false;
                for (int c : counts) {
                    Map<String, Workload.Result> m = workloads.getOrDefault(cell(kind, c), Map.of());
                    long[] p = samples(m.get(P), op);
                    long[] d = samples(m.get(D), op);
                    seen |= p != null || d != null;
                    double ratio = p != null && d != null
                            ? (double) Latencies.percentile(p, 99) / Latencies.percentile(d, 99) : Double.NaN;
                    r.append(String.format(Locale.ROOT, " | %13s %13s%6s", pct(p), pct(d), num(ratio, 2)));
                }
                if (seen) {
                    s.append(r).append('\n');
                }
            }
            StringBuilder all = new StringBuilder(String.format(Locale.ROOT, "  %-26s", "all commands"));
            for (int c : counts) {
                Map<String, Workload.Result> m = workloads.getOrDefault(cell(kind, c), Map.of());
                long[] p = allCommands(m.get(P));
                long[] d = allCommands(m.get(D));
                double ratio = p != null && d != null
                        ? (double) Latencies.percentile(p, 99) / Latencies.percentile(d, 99) : Double.NaN;
                all.append(String.format(Locale.ROOT, " | %13s %13s%6s", pct(p), pct(d), num(ratio, 2)));
            }
            s.append(all).append("   target: p99 P/D <= 1\n");
        }
    }

    private void idle(StringBuilder s) {
        s.append('\n');
        row(s, "%-40s %14s %14s %9s  %s%n", "IDLE", P, D, "P/D", "target");
        Idle.Memory pm = memory.get(P);
        Idle.Memory dm = memory.get(D);
        if (pm != null || dm != null) {
            row(s, "%-40s %14s %14s%n", "idle TLS connections opened", opened(pm), opened(dm));
            double pr = pm == null ? Double.NaN : pm.rssKibPerConnection();
            double dr = dm == null ? Double.NaN : dm.rssKibPerConnection();
            double pp = pm == null ? Double.NaN : pm.pssKibPerConnection();
            double dp = dm == null ? Double.NaN : dm.pssKibPerConnection();
            double ph = pm == null ? Double.NaN : pm.heapKibPerConnection();
            // A JVM's RSS growth depends on how much heap its past already made resident, so
            // Postern is judged on the larger of its RSS growth and its live heap growth.
            double judged = Double.isNaN(ph) ? pr : Math.max(pr, ph);
            row(s, "%-40s %14s %14s %9s%n", "per idle connection: RSS growth", kib(pr), kib(dr), num(pr / dr, 4));
            row(s, "%-40s %14s %14s %9s%n", "                     PSS growth", kib(pp), kib(dp), num(pp / dp, 4));
            row(s, "%-40s %14s %14s %9s  %s%n", "                     live Java heap", kib(ph), "-", "",
                    Double.isNaN(judged) ? "" : "<=64 KiB " + (judged <= 64 ? "met" : "MISSED"));
            row(s, "%-40s %14s %14s%n", "processes in the tree, idle / with them",
                    pm == null ? "-" : pm.before().processes() + " / " + pm.after().processes(),
                    dm == null ? "-" : dm.before().processes() + " / " + dm.after().processes());
            row(s, "%-40s %14s %14s%n", "RSS of the server before / with them", rss(pm), rss(dm));
            row(s, "%-40s %14s %14s%n", "PSS of the server before / with them", pss(pm), pss(dm));
            row(s, "%-40s %14s %14s%n", "time to open them (32 at a time)", secs(pm), secs(dm));
            row(s, "%-40s %14s %14s%n", "closed by the server on DONE", pm == null ? "-" : pm.droppedAtDone(),
                    dm == null ? "-" : dm.droppedAtDone());
        }
        Idle.Notify pn = notify.get(P);
        Idle.Notify dn = notify.get(D);
        if (pn != null || dn != null) {
            row(s, "%-40s %14s %14s %9s%n", "IDLE notification ms p50/p99 after OK", nl(pn, true), nl(dn, true),
                    pn != null && dn != null ? num((double) Latencies.percentile(pn.afterOk(), 99)
                            / Latencies.percentile(dn.afterOk(), 99), 3) : "");
            row(s, "%-40s %14s %14s%n", "  ... after the APPEND was sent", nl(pn, false), nl(dn, false));
            row(s, "%-40s %14s %14s%n", "  samples (missed)", pn == null ? "-" : pn.afterOk().length + " (" + pn.missed() + ")",
                    dn == null ? "-" : dn.afterOk().length + " (" + dn.missed() + ")");
            row(s, "%-40s %14s %14s%n", "  idlers closed by the server on DONE", pn == null ? "-" : pn.droppedAtDone(),
                    dn == null ? "-" : dn.droppedAtDone());
        }
        if (hold != null) {
            boolean held = hold.opened() == hold.asked() && hold.fannedOut();
            row(s, "%-40s %14s %14s %9s  %s%n", "hold " + hold.asked() + " IDLE TLS connections (fresh JVM)", held ? "held" : "NOT HELD", "-", "",
                    ">=10,000 " + (held && hold.asked() >= 10_000 ? "met" : "MISSED"));
            row(s, "%-40s %14s%n", "  opened / heard of a new message", hold.opened() + " / " + (hold.fannedOut() ? "all" : "not all"));
            row(s, "%-40s %14s%n", "  RSS growth per connection", kib(hold.rssKibPerConnection()));
            row(s, "%-40s %14s%n", "  live Java heap growth per connection", kib(hold.heapKibPerConnection()));
            row(s, "%-40s %14s%n", "  closed by the server on DONE", hold.droppedAtDone());
            row(s, "%-40s %14s%n", "  RSS of the process with them", String.format(Locale.ROOT, "%.0f MiB", hold.after().rssKib() / 1024.0));
            row(s, "%-40s %14s%n", "  time to open / to notify all", String.format(Locale.ROOT, "%.0f s / %.1f s",
                    hold.openSeconds(), hold.fanOutSeconds()));
            if (hold.firstError() != null) {
                s.append("  first error: ").append(hold.firstError()).append('\n');
            }
        }
        for (var e : memory.entrySet()) {
            if (e.getValue().firstError() != null) {
                s.append("  first error, ").append(e.getKey()).append(" idle: ").append(e.getValue().firstError()).append('\n');
            }
        }
        for (var e : notify.entrySet()) {
            if (e.getValue().firstError() != null) {
                s.append("  first error, ").append(e.getKey()).append(" notify: ").append(e.getValue().firstError()).append('\n');
            }
        }
    }

    private void smtp(StringBuilder s) {
        String pf = "Postfix+Dovecot";
        SmtpLoad.Result p = smtp.get(P);
        SmtpLoad.Result d = smtp.get(pf);
        SmtpLoad.Result any = p != null ? p : d;
        s.append('\n');
        row(s, "%-44s %10s %16s %7s  %s%n", String.format(Locale.ROOT, "SMTP (smtp-source: %d x %d B, %d sessions)", any.messages(),
                any.size(), any.sessions()), P, pf, "ratio", "target");
        double ack = p != null && d != null ? p.ackPerSecond() / d.ackPerSecond() : Double.NaN;
        double e2e = p != null && d != null ? p.visiblePerSecond() / d.visiblePerSecond() : Double.NaN;
        row(s, "%-44s %10s %16s %7s%n", "messages/s acknowledged (250 after DATA)", p == null ? "-" : num(p.ackPerSecond(), 0),
                d == null ? "-" : num(d.ackPerSecond(), 0), num(ack, 2));
        row(s, "%-44s %10s %16s %7s  %s%n", "messages/s visible in the mailbox (IMAP)", p == null ? "-" : num(p.visiblePerSecond(), 0),
                d == null ? "-" : num(d.visiblePerSecond(), 0), num(e2e, 2),
                Double.isNaN(e2e) ? "" : ">=2x " + (e2e >= 2 ? "met" : "MISSED"));
        if (p != null && d != null) {
            double bare = p.visiblePerSecond() / d.ackPerSecond();
            row(s, "%-44s %10s %16s %7s  %s%n", "Postern end to end / Postfix acknowledged", "", "", num(bare, 2),
                    ">=1x " + (bare >= 1 ? "met" : "MISSED"));
        }
        for (var e : smtp.entrySet()) {
            if (e.getValue().error() != null) {
                s.append("  error, ").append(e.getKey()).append(": ").append(e.getValue().error()).append('\n');
            }
        }
        s.append("  Postern answers 250 only once the message is fsynced and committed in the mailbox (DESIGN.md, Durability)\n");
    }

    private void fsync(StringBuilder s) {
        s.append('\n');
        row(s, "%-54s %10s%n", "DISK (the data folder's filesystem)", "fsyncs/s");
        double one = Double.NaN;
        double many = Double.NaN;
        for (FsyncProbe.Result r : fsync) {
            row(s, "%-54s %10s%n", "4 KiB append + fsync, " + r.threads() + (r.threads() == 1 ? " writer" : " writers at once"),
                    num(r.perSecond(), 0));
            if (r.threads() == 1) {
                one = r.perSecond();
            } else {
                many = r.perSecond();
            }
        }
        // A delivery fsyncs its blob file and the blob's folder, then commits the WAL (DESIGN.md).
        row(s, "%-54s %10s%n", "  implied msg/s, no group commit (3 fsyncs in turn)", num(one / 3, 0));
        row(s, "%-54s %10s%n", "  implied msg/s, group commit (WAL fsync shared)", num(many / 2, 0));
        s.append("  a delivery fsyncs its blob and the blob's folder, then the SQLite WAL; group commit shares the WAL fsync among\n"
                + "  every delivery waiting, and the blob fsyncs of concurrent deliveries overlap in the filesystem's journal\n");
    }

    private static void row(StringBuilder s, String format, Object... args) {
        s.append(String.format(Locale.ROOT, format, args));
    }

    private static long[] samples(Workload.Result r, Op op) {
        if (r == null) {
            return null;
        }
        long[] a = r.latencies().get(op);
        return a == null || a.length == 0 ? null : a;
    }

    private static long[] allCommands(Workload.Result r) {
        if (r == null) {
            return null;
        }
        int n = 0;
        for (var e : r.latencies().entrySet()) {
            if (e.getKey().command) {
                n += e.getValue().length;
            }
        }
        long[] all = new long[n];
        int at = 0;
        for (var e : r.latencies().entrySet()) {
            if (e.getKey().command) {
                System.arraycopy(e.getValue(), 0, all, at, e.getValue().length);
                at += e.getValue().length;
            }
        }
        java.util.Arrays.sort(all);
        return all.length == 0 ? null : all;
    }

    private static String pct(long[] sorted) {
        if (sorted == null) {
            return "-";
        }
        return ms(Latencies.percentile(sorted, 50)) + "/" + ms(Latencies.percentile(sorted, 99));
    }

    private static String ms(long nanos) {
        double v = nanos / 1e6;
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (Math.abs(v) >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String ops(Workload.Result r) {
        return r == null ? "-" : String.format(Locale.ROOT, "%.0f", r.opsPerSecond());
    }

    private static String cpuPerOp(Workload.Result r) {
        return r == null || r.ops() == 0 ? "-" : String.format(Locale.ROOT, "%.2f", 1000 * r.serverCpu() / r.ops());
    }

    private static String cpu(Workload.Result r) {
        return r == null ? "-" : String.format(Locale.ROOT, "%.0f/%.0f/%.0f", 100 * r.serverCpu() / r.seconds(),
                100 * r.generatorCpu() / r.seconds(), 100 * Math.max(0, r.otherCpu()) / r.seconds());
    }

    private static String num(double v, int digits) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "-" : String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    private static String kib(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return v >= 1024 ? String.format(Locale.ROOT, "%.1f MiB", v / 1024) : String.format(Locale.ROOT, "%.1f KiB", v);
    }

    private static String rss(Idle.Memory m) {
        return m == null ? "-" : String.format(Locale.ROOT, "%.0f / %.0f MiB", m.before().rssKib() / 1024.0, m.after().rssKib() / 1024.0);
    }

    private static String pss(Idle.Memory m) {
        return m == null ? "-" : String.format(Locale.ROOT, "%.0f / %.0f MiB", m.before().pssKib() / 1024.0, m.after().pssKib() / 1024.0);
    }

    private static String opened(Idle.Memory m) {
        return m == null ? "-" : m.opened() + "/" + m.asked();
    }

    private static String secs(Idle.Memory m) {
        return m == null ? "-" : String.format(Locale.ROOT, "%.1f s", m.openSeconds());
    }

    private static String nl(Idle.Notify n, boolean afterOk) {
        if (n == null) {
            return "-";
        }
        long[] a = afterOk ? n.afterOk() : n.afterSend();
        return a.length == 0 ? "none" : ms(Latencies.percentile(a, 50)) + "/" + ms(Latencies.percentile(a, 99));
    }
}
