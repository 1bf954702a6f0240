package org.postern.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.postern.bench.Latencies.Op;

/**
 * The two throughput workloads, closed loop (each client sends its next command as soon as the
 * previous one is answered, as imaptest does), one virtual thread per client, client {@code i}
 * working on user {@code i+1}'s INBOX alone, so the mailbox stays at its prefilled size.
 *
 * <p>One loop of the reconnect mix (shaped like imaptest's default profile):
 * <pre>
 *   connect + TLS handshake + greeting
 *   LOGIN
 *   LIST "" "*"                                    (half of the loops)
 *   STATUS INBOX (MESSAGES UIDNEXT UNSEEN)         (half of the loops)
 *   SELECT INBOX
 *   FETCH 1:* (UID FLAGS ENVELOPE)
 *   FETCH k BODY[]                                 (k random; sets \Seen)
 *   STORE k +FLAGS/-FLAGS (\Flagged)               (half of the loops)
 *   APPEND INBOX (\Seen) {n+}                      (a message of the mixed sizes)
 *   STORE 1 +FLAGS.SILENT (\Deleted)
 *   EXPUNGE                                        (the mailbox is back to its size)
 *   LOGOUT
 * </pre>
 * Long-lived sessions connect, LOGIN and SELECT once, then repeat the loop from LIST to EXPUNGE.
 * An operation is one IMAP command (LOGIN and LOGOUT included); the handshake is timed apart.
 *
 * <p>A closed loop keeps every server saturated, so a server that serves more commands per second
 * also keeps more of them waiting: comparing latency there compares throughput again. The
 * <em>equal-load</em> reconnect mix therefore offers both servers the same rate of loops (a share
 * of the slower server's closed-loop rate): each client starts a loop every {@code clients / rate}
 * seconds (staggered, never bunched to catch up), so the latencies compare like with like.
 */
final class Workload {
    enum Kind {
        RECONNECT, RECONNECT_EQUAL_LOAD, LONG_LIVED;

        boolean reconnects() {
            return this != LONG_LIVED;
        }
    }

    /** What one run measured. */
    record Result(Kind kind, int clients, double seconds, long ops, long loops, long errors, String firstError,
                  Map<Op, long[]> latencies, double serverCpu, double generatorCpu, double machineCpu,
                  double offeredLoopsPerSecond) {
        /** CPU seconds the machine spent on neither the server nor the generator. */
        double otherCpu() {
            return machineCpu - serverCpu - generatorCpu;
        }

        double opsPerSecond() {
            return ops / seconds;
        }
    }

    private final Target target;
    private final Messages messages;
    private final String password;
    private final String domain;
    private final int clockTicks;

    Workload(Target target, Messages messages, String password, String domain, int clockTicks) {
        this.target = target;
        this.messages = messages;
        this.password = password;
        this.domain = domain;
        this.clockTicks = clockTicks;
    }

    /** Runs {@code clients} clients in a closed loop for warm-up plus measurement and returns what the measurement saw. */
    Result run(Kind kind, int clients, double warmupSeconds, double measureSeconds) throws InterruptedException {
        return run(kind, clients, warmupSeconds, measureSeconds, 0);
    }

    /**
     * As {@link #run(Kind, int, double, double)}; with {@code loopsPerSecond > 0} (reconnect mix
     * only) the clients together start that many loops a second instead of looping back to back.
     */
    Result run(Kind kind, int clients, double warmupSeconds, double measureSeconds, double loopsPerSecond)
            throws InterruptedException {
        if (loopsPerSecond > 0 && !kind.reconnects()) {
            throw new IllegalArgumentException("only the reconnect mix is paced");
        }
        Window w = new Window();
        List<Latencies> all = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        List<Client> clientList = new ArrayList<>();
        AtomicLong errors = new AtomicLong();
        AtomicLong loops = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(clients);
        for (int i = 0; i < clients; i++) {
            Latencies lat = new Latencies();
            all.add(lat);
            Client c = new Client(i, lat, w, errors, loops, firstError, ready);
            clientList.add(c);
            long periodNanos = loopsPerSecond > 0 ? (long) (clients / loopsPerSecond * 1e9) : 0;
            threads.add(Thread.ofVirtual().name("client-" + i)
                    .start(kind.reconnects() ? () -> c.reconnectLoop(periodNanos) : c::longLivedLoop));
        }
        // Warm-up counts from when every client has its first session (long-lived clients log
        // in once; a slow server must not have its logins measured as part of the loop).
        if (!ready.await(120, TimeUnit.SECONDS)) {
            ImapBench.log("%s: not every client had a session after 120 s; measuring anyway", target.name());
        }
        Thread.sleep((long) (warmupSeconds * 1000));
        double cpu0 = target.tree() == null ? Double.NaN : target.tree().cpuSeconds();
        double gen0 = ProcessTree.selfCpuSeconds(clockTicks);
        double all0 = ProcessTree.machineBusySeconds(clockTicks);
        long errors0 = errors.get();
        long loops0 = loops.get();
        w.start = System.nanoTime();
        Thread.sleep((long) (measureSeconds * 1000));
        w.end = System.nanoTime();
        double cpu1 = target.tree() == null ? Double.NaN : target.tree().cpuSeconds();
        double gen1 = ProcessTree.selfCpuSeconds(clockTicks);
        double all1 = ProcessTree.machineBusySeconds(clockTicks);
        long errorsInWindow = errors.get() - errors0;
        long loopsInWindow = loops.get() - loops0;
        w.stop = true;
        // Clients finish their loop (LOGOUT); after a grace period the stragglers (a slow
        // connect, say) are cut off by closing their sockets.
        long deadline = System.nanoTime() + 3_000_000_000L;
        for (Thread t : threads) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !t.join(java.time.Duration.ofNanos(left))) {
                break;
            }
        }
        for (Client c : clientList) {
            c.abort();
        }
        for (Thread t : threads) {
            t.join(java.time.Duration.ofSeconds(30));
        }
        Map<Op, long[]> merged = Latencies.merge(all);
        long ops = 0;
        for (var e : merged.entrySet()) {
            if (e.getKey().command) {
                ops += e.getValue().length;
            }
        }
        double seconds = (w.end - w.start) / 1e9;
        return new Result(kind, clients, seconds, ops, loopsInWindow, errorsInWindow, firstError.get(), merged,
                cpu1 - cpu0, gen1 - gen0, all1 - all0, loopsPerSecond);
    }

    /** The measurement window; a command counts when it ends inside it. */
    private static final class Window {
        volatile long start = Long.MAX_VALUE;
        volatile long end = Long.MAX_VALUE;
        volatile boolean stop;
    }

    private final class Client {
        private final int index;
        private final String user;
        private final Latencies lat;
        private final Window w;
        private final AtomicLong errors;
        private final AtomicLong loops;
        private final AtomicReference<String> firstError;
        private final SplittableRandom random;
        private boolean flagged;
        private int exists;
        private volatile ImapConnection current;
        private final CountDownLatch ready;
        private boolean counted;

        Client(int index, Latencies lat, Window w, AtomicLong errors, AtomicLong loops, AtomicReference<String> firstError,
               CountDownLatch ready) {
            this.ready = ready;
            this.index = index;
            this.user = "user" + (index + 1) + "@" + domain;
            this.lat = lat;
            this.w = w;
            this.errors = errors;
            this.loops = loops;
            this.firstError = firstError;
            this.random = new SplittableRandom(1000L + index); // the same choices against both servers
        }

        /** {@code periodNanos > 0}: one loop starts every period (the first at a random point of it). */
        void reconnectLoop(long periodNanos) {
            long next = System.nanoTime() + (periodNanos > 0 ? random.nextLong(periodNanos) : 0);
            while (!w.stop) {
                if (periodNanos > 0) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        try {
                            Thread.sleep(java.time.Duration.ofNanos(wait));
                        } catch (InterruptedException e) {
                            return;
                        }
                        if (w.stop) {
                            break;
                        }
                    }
                    // A late loop starts at once; the next one keeps the period from then (no burst to catch up).
                    next = Math.max(next + periodNanos, System.nanoTime());
                    ready(); // a paced client may wait a whole period before its first session
                }
                ImapConnection c = null;
                try {
                    c = connect();
                    login(c);
                    mailboxWork(c, true);
                    ready();
                    ImapConnection cc = c;
                    timed(Op.LOGOUT, () -> cc.command("LOGOUT"));
                    loops.incrementAndGet();
                } catch (IOException | RuntimeException e) {
                    failed(e);
                } finally {
                    if (c != null) {
                        c.close();
                    }
                }
            }
        }

        void longLivedLoop() {
            while (!w.stop) {
                ImapConnection c = null;
                try {
                    c = connect();
                    login(c);
                    ImapConnection cc = c;
                    timed(Op.SELECT, () -> cc.command("SELECT INBOX", this::untagged));
                    ready();
                    while (!w.stop) {
                        mailboxWork(c, false);
                        loops.incrementAndGet();
                    }
                    timed(Op.LOGOUT, () -> cc.command("LOGOUT"));
                } catch (IOException | RuntimeException e) {
                    failed(e);
                } finally {
                    if (c != null) {
                        c.close();
                    }
                }
            }
        }

        private ImapConnection connect() throws IOException {
            long t0 = System.nanoTime();
            ImapConnection c = ImapConnection.open(target.address(), 60_000);
            current = c;
            if (w.stop) {
                c.close();
            }
            record(Op.CONNECT, t0);
            return c;
        }

        private void ready() {
            if (!counted) {
                counted = true;
                ready.countDown();
            }
        }

        /** Cuts the client off after the run (a connect still in progress ends on its own). */
        void abort() {
            ImapConnection c = current;
            if (c != null) {
                c.close();
            }
        }

        private void login(ImapConnection c) throws IOException {
            timed(Op.LOGIN, () -> c.command("LOGIN " + user + " " + password));
        }

        private void mailboxWork(ImapConnection c, boolean select) throws IOException {
            if (random.nextInt(2) == 0) {
                timed(Op.LIST, () -> c.command("LIST \"\" \"*\""));
            }
            if (random.nextInt(2) == 0) {
                timed(Op.STATUS, () -> c.command("STATUS INBOX (MESSAGES UIDNEXT UNSEEN)"));
            }
            if (select) {
                timed(Op.SELECT, () -> c.command("SELECT INBOX", this::untagged));
            }
            timed(Op.FETCH, () -> c.command("FETCH 1:* (UID FLAGS ENVELOPE)", this::untagged));
            int n = Math.max(exists, 1);
            int k = 1 + random.nextInt(n);
            timed(Op.FETCH_BODY, () -> c.command("FETCH " + k + " BODY[]", this::untagged));
            if (random.nextInt(2) == 0) {
                flagged = !flagged;
                String op = flagged ? "+FLAGS" : "-FLAGS";
                timed(Op.STORE, () -> c.command("STORE " + k + " " + op + " (\\Flagged)", this::untagged));
            }
            byte[] m = messages.next(random.nextInt(1_000_000));
            timed(Op.APPEND, () -> c.append("INBOX", "\\Seen", m, this::untagged));
            timed(Op.DELETE, () -> c.command("STORE 1 +FLAGS.SILENT (\\Deleted)", this::untagged));
            timed(Op.EXPUNGE, () -> c.command("EXPUNGE", this::untagged));
        }

        /** Tracks the mailbox size from EXISTS and EXPUNGE responses. */
        private void untagged(String line) {
            if (line.endsWith(" EXISTS") && line.startsWith("* ")) {
                exists = Integer.parseInt(line.substring(2, line.length() - 7));
            } else if (line.endsWith(" EXPUNGE") && line.startsWith("* ")) {
                exists--;
            }
        }

        private void timed(Op op, IoAction a) throws IOException {
            long t0 = System.nanoTime();
            a.run();
            record(op, t0);
        }

        private void record(Op op, long t0) {
            long t1 = System.nanoTime();
            if (t1 >= w.start && t1 <= w.end) {
                lat.add(op, t1 - t0);
            }
        }

        private void failed(Exception e) {
            if (w.stop && System.nanoTime() > w.end) {
                return; // the run is over; the server may be shutting sessions down
            }
            errors.incrementAndGet();
            firstError.compareAndSet(null, "client " + index + ": " + e);
            try {
                Thread.sleep(100);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @FunctionalInterface
    interface IoAction {
        void run() throws IOException;
    }

    /** A server under test: its name, where it listens, and its process tree (null: not measured). */
    record Target(String name, InetSocketAddress address, ProcessTree tree) {}
}
