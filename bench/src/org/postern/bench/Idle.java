package org.postern.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.postern.bench.Workload.Target;

/**
 * The IDLE measurements: memory per idle connection, the 10,000-connection hold, and how long
 * an IDLE session waits to hear of a message another session appended.
 */
final class Idle {
    /**
     * Memory per idle connection: the tree's growth with {@code asked} sessions in IDLE. For a
     * JVM also the live heap after a full GC (jcmd GC.run), before and with them (-1: not a JVM).
     */
    record Memory(int asked, int opened, double openSeconds, ProcessTree.Sample before, ProcessTree.Sample after,
                  long heapBeforeKib, long heapAfterKib, int droppedAtDone,
                  String firstError, boolean fannedOut, double fanOutSeconds) {
        double heapKibPerConnection() {
            return heapBeforeKib < 0 || heapAfterKib < 0 || opened == 0 ? Double.NaN
                    : (heapAfterKib - heapBeforeKib) / (double) opened;
        }

        double rssKibPerConnection() {
            return opened == 0 ? Double.NaN : (after.rssKib() - before.rssKib()) / (double) opened;
        }

        double pssKibPerConnection() {
            return opened == 0 ? Double.NaN : (after.pssKib() - before.pssKib()) / (double) opened;
        }
    }

    /** Notification latency samples, in nanoseconds, from the APPEND's tagged OK to the idler's EXISTS. */
    record Notify(long[] afterOk, long[] afterSend, int missed, int droppedAtDone, String firstError) {}

    private static final int OPENERS = 32;

    private final Target target;
    private final double openSeconds;
    private final String password;
    private final String domain;
    private final int users;
    private final Messages messages;

    /** {@code openSeconds}: how long opening idle connections may take; those not open by then are not asked for. */
    Idle(Target target, String password, String domain, int users, Messages messages, double openSeconds) {
        this.target = target;
        this.openSeconds = openSeconds;
        this.password = password;
        this.domain = domain;
        this.users = users;
        this.messages = messages;
    }

    private String user(int i) {
        return "user" + (1 + Math.floorMod(i, users)) + "@" + domain;
    }

    /**
     * Opens {@code n} TLS sessions (LOGIN, SELECT INBOX, IDLE; spread over the users), waits
     * {@code settleSeconds}, samples the tree's memory, holds them {@code holdSeconds} more, and
     * with {@code fanOut} appends one message to each user's INBOX and checks that every idler
     * hears of it; then ends them all (DONE, LOGOUT).
     */
    Memory memory(int n, double settleSeconds, double holdSeconds, boolean fanOut) throws InterruptedException {
        ProcessTree tree = target.tree();
        // Warm up what every server does once (code loaded and compiled, caches, pools, and a
        // first login of every user: Postern verifies an Argon2id hash of 19 MiB then, and
        // remembers the success), so the growth measured is the connections' own.
        AtomicReference<String> warmupError = new AtomicReference<>();
        endAll(openIdle(Math.max(64, users), warmupError, Long.MAX_VALUE), warmupError, new AtomicInteger());
        long heapBefore = Jvm.liveHeapKib(tree.root());
        Thread.sleep(2000);
        ProcessTree.Sample before = tree.sample(true);
        AtomicReference<String> firstError = new AtomicReference<>();
        long t0 = System.nanoTime();
        List<ImapConnection> open = openIdle(n, firstError, t0 + (long) (openSeconds * 1e9));
        double openSeconds = (System.nanoTime() - t0) / 1e9;
        Thread.sleep((long) (settleSeconds * 1000));
        ProcessTree.Sample after = tree.sample(true);
        long heapAfter = Jvm.liveHeapKib(tree.root());
        Thread.sleep((long) (holdSeconds * 1000));
        boolean fannedOut = false;
        double fanOutSeconds = Double.NaN;
        if (fanOut) {
            long f0 = System.nanoTime();
            fannedOut = fanOut(open, firstError);
            fanOutSeconds = (System.nanoTime() - f0) / 1e9;
        }
        AtomicInteger dropped = new AtomicInteger();
        endAll(open, firstError, dropped);
        awaitSettled(tree, before.processes());
        return new Memory(n, open.size(), openSeconds, before, after, heapBefore, heapAfter, dropped.get(),
                firstError.get(), fannedOut, fanOutSeconds);
    }

    /**
     * Opens {@code n} sessions in IDLE, 32 at a time, starting no new one after {@code deadline}
     * (System.nanoTime); those that failed or were not started are left out.
     */
    private List<ImapConnection> openIdle(int n, AtomicReference<String> firstError, long deadline) throws InterruptedException {
        List<ImapConnection> open = new ArrayList<>(n);
        Semaphore permits = new Semaphore(OPENERS);
        CountDownLatch opened = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            int idx = i;
            permits.acquire();
            if (System.nanoTime() > deadline) {
                permits.release();
                for (int k = i; k < n; k++) {
                    opened.countDown();
                }
                ImapBench.log("%s: stopped opening after %d connections (time limit)", target.name(), i);
                break;
            }
            Thread.ofVirtual().start(() -> {
                try {
                    ImapConnection c = ImapConnection.open(target.address(), 120_000, 2048);
                    try {
                        c.command("LOGIN " + user(idx) + " " + password);
                        c.command("SELECT INBOX");
                        c.idle(null);
                        c.setTimeout(0);
                        synchronized (open) {
                            open.add(c);
                        }
                    } catch (IOException | RuntimeException e) {
                        c.close();
                        throw e;
                    }
                } catch (IOException | RuntimeException e) {
                    firstError.compareAndSet(null, "connection " + idx + ": " + e);
                } finally {
                    permits.release();
                    opened.countDown();
                }
            });
        }
        opened.await();
        return open;
    }

    /** Waits (up to 90 s) until the server's processes that served the connections have exited. */
    private void awaitSettled(ProcessTree tree, int processesBefore) throws InterruptedException {
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (tree.pids().size() > processesBefore + 2 && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
    }

    /** One APPEND to each user's INBOX; true when every idler then reads an EXISTS within 60 s. */
    private boolean fanOut(List<ImapConnection> idlers, AtomicReference<String> firstError) throws InterruptedException {
        CountDownLatch heard = new CountDownLatch(idlers.size());
        AtomicInteger silent = new AtomicInteger();
        List<Thread> readers = new ArrayList<>();
        for (ImapConnection c : idlers) {
            readers.add(Thread.ofVirtual().start(() -> {
                try {
                    c.setTimeout(60_000);
                    while (true) {
                        String l = c.readIdleLine();
                        if (l.startsWith("* ") && l.endsWith(" EXISTS")) {
                            heard.countDown();
                            return;
                        }
                    }
                } catch (IOException e) {
                    silent.incrementAndGet();
                    firstError.compareAndSet(null, "idler: " + e);
                }
            }));
        }
        Semaphore permits = new Semaphore(OPENERS);
        for (int u = 0; u < Math.min(users, idlers.size()); u++) {
            int uu = u;
            permits.acquire();
            Thread.ofVirtual().start(() -> {
                try (ImapConnection c = ImapConnection.open(target.address(), 60_000, 16 * 1024)) {
                    c.command("LOGIN " + user(uu) + " " + password);
                    c.append("INBOX", null, messages.small(), null);
                    c.command("LOGOUT");
                } catch (IOException | RuntimeException e) {
                    firstError.compareAndSet(null, "fan-out append: " + e);
                } finally {
                    permits.release();
                }
            });
        }
        boolean all = heard.await(60, TimeUnit.SECONDS);
        for (Thread t : readers) {
            t.join();
        }
        return all && silent.get() == 0;
    }

    /**
     * Ends every session with DONE and LOGOUT. A connection the server closes on DONE is counted
     * in {@code dropped}, not taken for a failure of the test.
     */
    private void endAll(List<ImapConnection> open, AtomicReference<String> firstError, AtomicInteger dropped)
            throws InterruptedException {
        Semaphore permits = new Semaphore(OPENERS);
        CountDownLatch closed = new CountDownLatch(open.size());
        for (ImapConnection c : open) {
            permits.acquire();
            Thread.ofVirtual().start(() -> {
                try {
                    c.setTimeout(30_000);
                    c.done(null);
                    c.command("LOGOUT");
                } catch (java.io.EOFException | java.net.SocketException e) {
                    dropped.incrementAndGet();
                } catch (IOException | RuntimeException e) {
                    firstError.compareAndSet(null, "ending IDLE: " + e);
                } finally {
                    c.close();
                    permits.release();
                    closed.countDown();
                }
            });
        }
        closed.await();
    }

    /**
     * {@code pairs} idler/appender pairs on users 1..pairs, {@code samples} samples in all: the
     * appender APPENDs a small message to the idler's INBOX (the appender has nothing selected),
     * and the time from the APPEND's tagged OK to the idler reading {@code * n EXISTS} is one
     * sample (negative when the EXISTS came first). Samples are 20–60 ms apart.
     */
    Notify notifyLatency(int pairs, int samples) throws InterruptedException {
        int perPair = Math.max(1, samples / pairs);
        List<long[]> afterOk = new ArrayList<>();
        List<long[]> afterSend = new ArrayList<>();
        AtomicInteger missed = new AtomicInteger();
        AtomicInteger dropped = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < pairs; p++) {
            long[] ok = new long[perPair];
            long[] sent = new long[perPair];
            Arrays.fill(ok, Long.MIN_VALUE);
            Arrays.fill(sent, Long.MIN_VALUE);
            afterOk.add(ok);
            afterSend.add(sent);
            int pp = p;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    pair(user(pp), ok, sent, missed, dropped);
                } catch (IOException | RuntimeException | InterruptedException e) {
                    firstError.compareAndSet(null, "pair " + pp + ": " + e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        return new Notify(collect(afterOk), collect(afterSend), missed.get(), dropped.get(), firstError.get());
    }

    private void pair(String user, long[] ok, long[] sent, AtomicInteger missed, AtomicInteger dropped)
            throws IOException, InterruptedException {
        BlockingQueue<Long> exists = new ArrayBlockingQueue<>(1024);
        try (ImapConnection idler = ImapConnection.open(target.address(), 60_000, 4096);
             ImapConnection appender = ImapConnection.open(target.address(), 60_000, 16 * 1024)) {
            idler.command("LOGIN " + user + " " + password);
            idler.command("SELECT INBOX");
            appender.command("LOGIN " + user + " " + password);
            idler.idle(null);
            idler.setTimeout(0);
            CountDownLatch ended = new CountDownLatch(1);
            boolean[] closedOnDone = {false};
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        String l = idler.readIdleLine();
                        long now = System.nanoTime();
                        if (l.startsWith("* ") && l.endsWith(" EXISTS")) {
                            exists.offer(now);
                        } else if (!l.startsWith("* ")) {
                            break; // the tagged OK of IDLE after DONE
                        }
                    }
                } catch (IOException e) {
                    closedOnDone[0] = true; // the server closed it (after DONE; else samples are missed)
                } finally {
                    ended.countDown();
                }
            });
            java.util.SplittableRandom r = new java.util.SplittableRandom(user.hashCode());
            for (int i = 0; i < ok.length; i++) {
                exists.clear();
                long t0 = System.nanoTime();
                appender.append("INBOX", null, messages.small(), null);
                long t1 = System.nanoTime();
                Long t2 = exists.poll(10, TimeUnit.SECONDS);
                if (t2 == null) {
                    missed.incrementAndGet();
                    ok[i] = Long.MIN_VALUE;
                } else {
                    ok[i] = t2 - t1;
                    sent[i] = t2 - t0;
                }
                Thread.sleep(20 + r.nextInt(40));
            }
            idler.sendDone();
            if (ended.await(10, TimeUnit.SECONDS)) {
                if (closedOnDone[0]) {
                    dropped.incrementAndGet();
                } else {
                    idler.command("LOGOUT");
                }
            }
            appender.command("LOGOUT");
        }
    }

    private static long[] collect(List<long[]> parts) {
        return parts.stream().flatMapToLong(Arrays::stream).filter(v -> v != Long.MIN_VALUE).sorted().toArray();
    }
}
