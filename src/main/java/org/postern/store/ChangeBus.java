package org.postern.store;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells every session watching a mailbox about committed changes, in commit order.
 *
 * <p>The store publishes from its single writer thread right after a commit, so the order seen
 * by every watcher is the commit order. A {@link Watcher} must not block: it puts the change on
 * its session's own bounded queue (and, when that is full, marks the session for a BYE).
 */
public final class ChangeBus {
    private static final Logger log = LoggerFactory.getLogger(ChangeBus.class);

    /** Receives changes; called on the store's writer thread, so it must return at once. */
    @FunctionalInterface
    public interface Watcher {
        void changed(MailboxChange change);
    }

    /** Ends a watch. */
    public interface Watch extends AutoCloseable {
        @Override
        void close();
    }

    private final Map<Long, List<Watcher>> watchers = new ConcurrentHashMap<>();

    public Watch watch(long mailboxId, Watcher watcher) {
        watchers.computeIfAbsent(mailboxId, id -> new CopyOnWriteArrayList<>()).add(watcher);
        return () -> watchers.computeIfPresent(mailboxId, (id, list) -> {
            list.remove(watcher);
            return list.isEmpty() ? null : list;
        });
    }

    public void publish(MailboxChange change) {
        List<Watcher> list = watchers.get(change.mailboxId());
        if (list == null) {
            return;
        }
        for (Watcher w : list) {
            try {
                w.changed(change);
            } catch (RuntimeException e) {
                log.error("change watcher failed on {}", change, e);
            }
        }
    }

    /** How many watchers a mailbox has (for tests and metrics). */
    public int watchers(long mailboxId) {
        List<Watcher> list = watchers.get(mailboxId);
        return list == null ? 0 : list.size();
    }
}
