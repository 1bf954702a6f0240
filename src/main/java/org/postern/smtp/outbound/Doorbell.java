package org.postern.smtp.outbound;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Tells the delivery engine that the queue has new work (a submitted message, a DSN, {@code
 * postern queue retry} in this process), so it need not wait for its next look. A ring while
 * nobody waits is kept until the next wait.
 */
public final class Doorbell {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition rung = lock.newCondition();
    private boolean pending;

    public void ring() {
        lock.lock();
        try {
            pending = true;
            rung.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until rung or {@code max} has passed; true when it was rung. */
    boolean await(Duration max) throws InterruptedException {
        long nanos = max.toNanos();
        lock.lock();
        try {
            while (!pending && nanos > 0) {
                nanos = rung.awaitNanos(nanos);
            }
            boolean was = pending;
            pending = false;
            return was;
        } finally {
            lock.unlock();
        }
    }
}
