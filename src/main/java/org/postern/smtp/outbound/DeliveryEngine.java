package org.postern.smtp.outbound;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.postern.delivery.LocalDelivery;
import org.postern.store.OutboundQueue;
import org.postern.store.OutboundQueue.Entry;
import org.postern.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery engine: one thread looks at the queue when rung or every poll interval, and
 * starts a worker (a virtual thread) for each message with recipients due. A worker groups the
 * due recipients by domain, delivers each group (local domains through {@link LocalDelivery},
 * the others through their MX hosts), and records the results with the notices they cause.
 */
public final class DeliveryEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeliveryEngine.class);
    private static final int BATCH = 500;

    private final OutboundServices s;
    private final Doorbell doorbell;
    private final DomainAttempt attempt;
    private final Semaphore workers;
    private final Map<String, Semaphore> domains = new ConcurrentHashMap<>();
    private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean closed;

    /** An engine that fetches MTA-STS policies over HTTPS. */
    public DeliveryEngine(OutboundServices s, Doorbell doorbell) {
        this(s, doorbell, new PolicyFetcher(s.dns(), s.verifiedTls(), s.settings().mtaStsPort(), s.settings().connectTimeout()));
    }

    /** An engine with MTA-STS policies from {@code policies} (tests answer without HTTPS). */
    public DeliveryEngine(OutboundServices s, Doorbell doorbell, PolicySource policies) {
        this.s = s;
        this.doorbell = doorbell;
        this.attempt = new DomainAttempt(s, new MtaSts(s.dns(), policies, s.mtaSts(), s.clock()));
        this.workers = new Semaphore(s.settings().maxWorkers());
        this.thread = Thread.ofVirtual().name("outbound").unstarted(this::loop);
    }

    public DeliveryEngine start() {
        thread.start();
        return this;
    }

    /** Look at the queue now. */
    public void wake() {
        doorbell.ring();
    }

    /** Messages being delivered right now. */
    public int busy() {
        return inFlight.size();
    }

    private void loop() {
        while (!closed) {
            try {
                dispatch();
            } catch (RuntimeException e) {
                log.warn("[outbound] cannot read the queue: {}", e.getMessage());
            }
            try {
                doorbell.await(s.settings().pollInterval());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void dispatch() {
        for (Entry e : s.queue().due(s.clock().millis(), BATCH)) {
            if (closed || !inFlight.add(e.id())) {
                continue;
            }
            if (!workers.tryAcquire()) {
                inFlight.remove(e.id());
                return; // the rest waits for a free worker
            }
            Thread.ofVirtual().name("outbound-" + e.id()).start(() -> {
                boolean notices = false;
                try {
                    notices = work(e);
                } catch (RuntimeException ex) {
                    log.error("[outbound] message {}: delivery failed", e.id(), ex);
                } finally {
                    inFlight.remove(e.id());
                    workers.release();
                }
                if (notices) {
                    doorbell.ring(); // a DSN is due now
                }
            });
        }
    }

    /** Delivers the due recipients of one message and records what happened; true when it queued notices. */
    boolean work(Entry e) {
        long now = s.clock().millis();
        Map<String, List<String>> byDomain = new LinkedHashMap<>();
        for (OutboundQueue.Recipient r : e.pending()) {
            if (r.nextAttempt() <= now) {
                byDomain.computeIfAbsent(domainOf(r.address()), k -> new ArrayList<>()).add(r.address());
            }
        }
        List<Result> results = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (var group : byDomain.entrySet()) {
            threads.add(Thread.ofVirtual().name("outbound-" + e.id() + "-" + group.getKey())
                    .start(() -> results.addAll(deliver(e, group.getKey(), group.getValue()))));
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return false; // shutting down: nothing recorded, the recipients stay pending
            }
        }
        return record(e, List.copyOf(results), s.clock().millis());
    }

    private List<Result> deliver(Entry e, String domain, List<String> recipients) {
        if (s.directory().domain(domain).isPresent()) {
            return deliverLocally(e, recipients);
        }
        Semaphore permits = domains.computeIfAbsent(domain, d -> new Semaphore(s.settings().connectionsPerDomain()));
        if (!permits.tryAcquire()) {
            return recipients.stream().map(r -> new Result(r, Result.Kind.NOT_TRIED, "", null)).toList();
        }
        try {
            return attempt.deliver(e, domain, recipients);
        } catch (RuntimeException ex) {
            log.error("[outbound] message {} to {}: unexpected failure", e.id(), domain, ex);
            return recipients.stream().map(r -> Result.temporary(r, "4.3.0 Local error while sending: " + ex, null)).toList();
        } finally {
            permits.release();
        }
    }

    /** Recipients of this server's own domains (DSNs for local senders) go straight to their mailboxes. */
    private List<Result> deliverLocally(Entry e, List<String> recipients) {
        List<Result> out = new ArrayList<>();
        try (InputStream in = Channels.newInputStream(s.blobs().open(e.blob().sha256()))) {
            LocalDelivery.Outcome o = s.delivery().deliver(in, recipients, LocalDelivery.Folder.INBOX);
            for (LocalDelivery.Delivered d : o.delivered()) {
                out.add(new Result(d.recipient(), Result.Kind.DELIVERED, "250 2.0.0 delivered to a mailbox of this server", null));
            }
            for (LocalDelivery.Refused r : o.refused()) {
                out.add(Result.permanent(r.recipient(), "5.1.1 <" + r.recipient() + ">: " + r.reason(), null));
            }
        } catch (LocalDelivery.TooLarge ex) {
            recipients.forEach(r -> out.add(Result.permanent(r, "5.3.4 " + ex.getMessage(), null)));
        } catch (IOException | StoreException ex) {
            recipients.forEach(r -> out.add(Result.temporary(r, "4.3.0 Local delivery failed: " + ex.getMessage(), null)));
        }
        return out;
    }

    /** Turns results into queue updates, bounces and the delay warning, and records them in one transaction. */
    private boolean record(Entry e, List<Result> results, long now) {
        OutboundSettings o = s.settings();
        Map<String, OutboundQueue.Recipient> before = new LinkedHashMap<>();
        e.recipients().forEach(r -> before.put(r.address(), r));
        boolean expired = now >= e.created() + o.retryFor().toMillis();
        List<OutboundQueue.Update> updates = new ArrayList<>();
        OutboundQueue.Envelope env = e.envelope();
        List<Result> failed = new ArrayList<>();
        List<Result> delayed = new ArrayList<>();
        List<Result> delivered = new ArrayList<>();
        List<Result> relayed = new ArrayList<>();
        for (Result r : results) {
            int attempts = before.get(r.address()).attempts() + 1;
            switch (r.kind()) {
                case NOT_TRIED -> {
                }
                case DELIVERED, RELAYED, PASSED_ON -> {
                    updates.add(new OutboundQueue.Update(r.address(), OutboundQueue.State.DELIVERED, attempts, now, r.reply()));
                    if (r.kind() != Result.Kind.PASSED_ON && env.dsn(r.address()).wants(OutboundQueue.Notify.SUCCESS)) {
                        (r.kind() == Result.Kind.DELIVERED ? delivered : relayed).add(r); // RFC 3461 §5.2.2, §5.2.3
                    }
                }
                case PERMANENT -> {
                    updates.add(new OutboundQueue.Update(r.address(), OutboundQueue.State.FAILED, attempts, now, r.reply()));
                    failed.add(r);
                }
                case TEMPORARY -> {
                    if (expired) {
                        Result gaveUp = Result.permanent(r.address(), "4.4.7 Delivery time expired after "
                                + human(o.retryFor()) + " of retries; the last answer was: " + (r.remoteMta() == null ? "" : r.remoteMta()
                                + " said ") + r.reply(), r.remoteMta());
                        updates.add(new OutboundQueue.Update(r.address(), OutboundQueue.State.FAILED, attempts, now, r.reply()));
                        failed.add(gaveUp);
                    } else {
                        updates.add(new OutboundQueue.Update(r.address(), OutboundQueue.State.PENDING, attempts,
                                now + o.backoff(attempts).toMillis(), r.reply()));
                        delayed.add(r);
                    }
                }
            }
        }
        if (updates.isEmpty()) {
            return false;
        }
        List<OutboundQueue.Notice> notices = new ArrayList<>();
        boolean delayNotice = false;
        String sender = env.mailFrom();
        // RFC 3461 §5.2: each notice only for the recipients whose NOTIFY asks for it (without NOTIFY: failures, delays)
        List<Result> failedNotify = failed.stream().filter(r -> env.dsn(r.address()).wants(OutboundQueue.Notify.FAILURE)).toList();
        List<Result> delayedNotify = delayed.stream().filter(r -> env.dsn(r.address()).wants(OutboundQueue.Notify.DELAY)).toList();
        if (!failed.isEmpty() && env.nullSender()) { // RFC 5321 §4.5.5: never a bounce to <>
            log.warn("[outbound] message {} from <> failed for {}; no notice is sent for a message from the null sender",
                    e.id(), failed.stream().map(Result::address).toList());
        }
        try {
            add(notices, notice(e, Dsn.Action.FAILED, failedNotify, now));
            add(notices, notice(e, Dsn.Action.DELIVERED, delivered, now));
            add(notices, notice(e, Dsn.Action.RELAYED, relayed, now));
            if (!delayed.isEmpty() && !e.delayNotified() && now >= e.created() + o.delayNotice().toMillis()) {
                add(notices, notice(e, Dsn.Action.DELAYED, delayedNotify, now));
                delayNotice = true;
            }
        } catch (IOException | StoreException ex) {
            log.warn("[outbound] message {}: cannot make its delivery status notification: {}", e.id(), ex.getMessage());
            return false; // nothing recorded: tried again later
        }
        s.queue().record(e.id(), updates, notices, delayNotice, now);
        for (Result r : failed) {
            log.info("[outbound] message {} from <{}> to <{}> failed: {}", e.id(), sender, r.address(), r.reply());
        }
        return !notices.isEmpty();
    }

    /** A notice about {@code results} for the sender of {@code e}, or null when there is nothing to say or nobody to tell. */
    private OutboundQueue.Notice notice(Entry e, Dsn.Action action, List<Result> results, long now) throws IOException {
        return Bounces.notice(s.blobs(), s.settings().hostname(), e.envelope(), action, results, Instant.ofEpochMilli(e.created()),
                Instant.ofEpochMilli(now), Instant.ofEpochMilli(e.created() + s.settings().retryFor().toMillis()),
                () -> Channels.newInputStream(s.blobs().open(e.blob().sha256())));
    }

    private static void add(List<OutboundQueue.Notice> notices, OutboundQueue.Notice n) {
        if (n != null) {
            notices.add(n);
        }
    }

    static String domainOf(String address) {
        return address.substring(address.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    }

    private static String human(Duration d) {
        return d.toDays() >= 1 && d.toHours() % 24 == 0 ? d.toDays() + " days" : d.toHours() + " hours";
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
