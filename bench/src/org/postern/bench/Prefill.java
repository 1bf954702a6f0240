package org.postern.bench;

import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.postern.bench.Workload.Target;

/**
 * Puts every user's INBOX at {@code size} messages of the mixed sizes (every other one \Seen),
 * over IMAP and the same way on both servers: what was there is expunged first (Dovecot keeps
 * its mail between runs). Creates Sent, Drafts, Trash, Junk and Archive where they are missing,
 * so LIST answers the same six mailboxes on both.
 */
final class Prefill {
    private static final String[] MAILBOXES = {"Sent", "Drafts", "Trash", "Junk", "Archive"};

    private Prefill() {}

    /** Returns the number of messages appended; throws when a user could not be filled. */
    static long fill(Target target, Messages messages, int users, int size, String password, String domain)
            throws InterruptedException {
        Semaphore permits = new Semaphore(32);
        AtomicLong appended = new AtomicLong();
        AtomicReference<String> failure = new AtomicReference<>();
        Thread[] threads = new Thread[users];
        for (int u = 1; u <= users; u++) {
            int uu = u;
            permits.acquire();
            threads[u - 1] = Thread.ofVirtual().start(() -> {
                try (ImapConnection c = ImapConnection.open(target.address(), 60_000)) {
                    c.command("LOGIN user" + uu + "@" + domain + " " + password);
                    for (String m : MAILBOXES) {
                        try {
                            c.command("CREATE " + m);
                        } catch (ImapConnection.ImapError exists) {
                            // already there
                        }
                    }
                    int[] exists = {0};
                    c.command("SELECT INBOX", l -> {
                        if (l.startsWith("* ") && l.endsWith(" EXISTS")) {
                            exists[0] = Integer.parseInt(l.substring(2, l.length() - 7));
                        }
                    });
                    if (exists[0] > 0) {
                        c.command("STORE 1:* +FLAGS.SILENT (\\Deleted)");
                        c.command("EXPUNGE");
                    }
                    // MULTIAPPEND (both servers have it): one command, so a quick prefill
                    java.util.List<String> flags = new java.util.ArrayList<>();
                    java.util.List<byte[]> batch = new java.util.ArrayList<>();
                    for (int k = 0; k < size; k++) {
                        flags.add(k % 2 == 0 ? "\\Seen" : null);
                        batch.add(messages.next(uu * size + k));
                    }
                    c.appendAll("INBOX", flags, batch);
                    appended.addAndGet(size);
                    c.command("LOGOUT");
                } catch (IOException | RuntimeException e) {
                    failure.compareAndSet(null, "user" + uu + ": " + e);
                } finally {
                    permits.release();
                }
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException(target.name() + ": prefill failed: " + failure.get());
        }
        return appended.get();
    }
}
