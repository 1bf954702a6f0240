package org.postern.auth;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The signed-in sessions of every protocol, by account: for the per-account connection limit,
 * and so that sessions can be ended from outside — an app password revoked, a device signed out,
 * the password changed, the account removed (issue 5: "within seconds, IDLE included").
 */
public final class LiveSessions {
    /** A signed-in session; {@link #close()} when it ends. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    private record Entry(long id, long since, Authenticator.Protocol protocol, String credential, String client, Runnable terminate) {}

    private final Map<Long, Set<Entry>> byAccount = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Clock clock;

    /** {@code clock} must be the one revocations are stamped with. */
    public LiveSessions(Clock clock) {
        this.clock = clock;
    }

    public LiveSessions() {
        this(Clock.systemUTC());
    }

    /**
     * Registers a session unless the account already has {@code limit} sessions; empty when the
     * limit is reached (the protocol then refuses the login). {@code terminate} must make the
     * session end soon (it is called from another thread).
     */
    public synchronized Optional<Registration> register(long accountId, Authenticator.Protocol protocol, String credential,
                                                        String client, int limit, Runnable terminate) {
        Set<Entry> set = byAccount.computeIfAbsent(accountId, k -> ConcurrentHashMap.newKeySet());
        if (limit > 0 && set.size() >= limit) {
            return Optional.empty();
        }
        Entry e = new Entry(ids.incrementAndGet(), clock.millis(), protocol, credential, client == null ? "" : client, terminate);
        set.add(e);
        return Optional.of(() -> remove(accountId, e));
    }

    /**
     * Like {@link #register}, and also empty when the account already has a session of
     * {@code protocol}: POP3 allows one session per maildrop (RFC 1939 §8, RFC 2449 {@code [IN-USE]}).
     * Both checks and the registration happen under one lock.
     */
    public synchronized Optional<Registration> registerAlone(long accountId, Authenticator.Protocol protocol, String credential,
                                                             String client, int limit, Runnable terminate) {
        if (count(accountId, protocol) > 0) {
            return Optional.empty();
        }
        return register(accountId, protocol, credential, client, limit, terminate);
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

    /**
     * Ends the sessions of an account that used {@code credential} (null: any) from
     * {@code client} (null: any); returns how many were told to end.
     */
    public int terminate(long accountId, String credential, String client) {
        return terminate(accountId, credential, client, Long.MAX_VALUE);
    }

    /**
     * Like {@link #terminate(long, String, String)}, for a revocation made at {@code revokedAt}
     * (epoch ms): sessions that signed in after it are left alone. They were checked against the
     * new state, and the id may belong to an account made after a removed one.
     */
    public int terminate(long accountId, String credential, String client, long revokedAt) {
        Set<Entry> set = byAccount.get(accountId);
        if (set == null) {
            return 0;
        }
        int n = 0;
        for (Entry e : Set.copyOf(set)) {
            if (e.since() <= revokedAt && (credential == null || credential.equals(e.credential())) && (client == null || client.equals(e.client()))) {
                e.terminate().run();
                n++;
            }
        }
        return n;
    }
}
