package org.postern.imap;

import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.postern.imap.AuthCommands.Done;
import org.postern.net.Line;
import org.postern.store.MailboxChange;

/**
 * IDLE (RFC 2177, RFC 9051 §6.3.13): one blocking loop over the session's one event queue
 * (STYLE.md 7). Changes to the selected mailbox, the client's DONE (read by a short-lived
 * virtual thread), the autologout timeout and a termination all arrive there as events, and
 * each batch of changes is written and flushed as soon as it arrives.
 */
final class IdleCommand {
    private IdleCommand() {}

    static Done idle(Session s) throws IOException {
        s.out.continuation("idling");
        s.flushUpdates(true);
        s.out.flush();
        s.connection.flushAndRelease();
        Thread doneReader = Thread.ofVirtual().name(s.connection.name() + "-idle").start(() -> {
            try {
                Line line = s.reader.readRawLine();
                s.offer(new Session.Event.IdleLine(line == null ? null : line.latin1().strip(), null));
            } catch (IOException e) {
                s.offer(new Session.Event.IdleLine(null, e));
            }
        });
        boolean lineRead = false;
        try {
            List<MailboxChange> batch = new ArrayList<>();
            while (true) {
                Session.Event e = s.nextEvent(60_000);
                if (e == null) {
                    continue;
                }
                switch (e) {
                    case Session.Event.Change c -> {
                        batch.add(c.change());
                        while (s.peekEvent() instanceof Session.Event.Change mc) {
                            s.nextEvent(0);
                            batch.add(mc.change());
                        }
                        s.applyChanges(batch, true);
                        batch.clear();
                        s.out.flush();
                        s.connection.flushAndRelease();
                        if (s.terminated() != null) {
                            return endSession(s, s.terminated());
                        }
                    }
                    case Session.Event.IdleLine l -> {
                        lineRead = true;
                        if (l.failure() != null) {
                            throw l.failure();
                        }
                        if (l.line() == null) {
                            throw new EOFException("client closed the connection during IDLE");
                        }
                        if (!l.line().equalsIgnoreCase("DONE")) {
                            throw ImapException.bad(null, "Expected DONE to end IDLE");
                        }
                        return new Done(null, "IDLE terminated (Success)");
                    }
                    case Session.Event.Terminate t -> {
                        return endSession(s, t.reason());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EOFException("interrupted");
        } finally {
            if (!lineRead) {
                // The session ends without DONE (terminated): closing the connection ends the read.
                s.connection.abort();
            } else {
                // The reader has its line and is on its way out; it must be gone before the
                // session reads the next command. (It may still be alive right after it handed
                // the line over: that is no reason to drop the connection.)
                joinQuietly(doneReader);
            }
        }
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The session must end now: BYE, then the connection closes. */
    private static Done endSession(Session s, String reason) throws IOException {
        s.out.untagged("BYE " + reason);
        s.out.flush();
        throw new EOFException("session terminated: " + reason);
    }
}
