package org.postern.auth;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The signed-in sessions of every protocol, by account: for the per-account connection limit
 * and so that a session can be ended from outside (account removed, password revoked).
 */
public final class LiveSessions {
    /** A signed-in session; {@link #close()} when it ends. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    private record Entry(long id, Authenticator.Protocol protocol, Runnable terminate) {}

    private final Map<Long, Set<Entry>> byAccount = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    /**
     * Registers a session unless the account already has {@code limit} sessions; empty when the
     * limit is reached (the protocol then refuses the login).
     */
    public synchronized java.util.Optional<Registration> register(long accountId, Authenticator.Protocol protocol,
                                                                  int limit, Runnable terminate) {
        Set<Entry> set = byAccount.computeIfAbsent(accountId, k -> ConcurrentHashMap.newKeySet());
        if (limit > 0 && set.size() >= limit) {
            return java.util.Optional.empty();
        }
        Entry e = new Entry(ids.incrementAndGet(), protocol, terminate);
        set.add(e);
        return java.util.Optional.of(() -> remove(accountId, e));
    }

    /**
     * Like {@link #register}, and also empty when the account already has a session of
     * {@code protocol}: POP3 allows one session per maildrop (RFC 1939 §8, RFC 2449 {@code [IN-USE]}).
     * Both checks and the registration happen under one lock.
     */
    public synchronized java.util.Optional<Registration> registerAlone(long accountId, Authenticator.Protocol protocol,
                                                                       int limit, Runnable terminate) {
        if (count(accountId, protocol) > 0) {
            return java.util.Optional.empty();
        }
        return register(accountId, protocol, limit, terminate);
    }

    /** How many sessions of one protocol an account has now. */
    public int count(long accountId, Authenticator.Protocol protocol) {
        Set<Entry> set = byAccount.get(accountId);
        return set == null ? 0 : (int) set.stream().filter(e -> e.protocol() == protocol).count();
    }

    private synchronized void remove(long accountId, Entry e) {
        Set<Entry> set = byAccount.get(accountId);
        if (set != null) {
            set.remove(e);
            if (set.isEmpty()) {
                byAccount.remove(accountId);
            }
        }
    }

    /** How many sessions an account has now. */
    public int count(long accountId) {
        Set<Entry> set = byAccount.get(accountId);
        return set == null ? 0 : set.size();
    }

    /** Ends every session of an account (it was removed, or its password changed). */
    public int terminateAll(long accountId) {
        Set<Entry> set = byAccount.get(accountId);
        if (set == null) {
            return 0;
        }
        int n = 0;
        for (Entry e : Set.copyOf(set)) {
            e.terminate().run();
            n++;
        }
        return n;
    }
}
