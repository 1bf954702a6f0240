package org.postern.pop3;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.postern.auth.Passwords;
import org.postern.delivery.LocalDelivery;
import org.postern.store.Mailbox;
import org.postern.testing.TestServer;

/** Accounts and messages for the POP3 tests. */
final class Pop3Fixtures {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final String HASH = Passwords.hash(TestServer.PASSWORD);

    private Pop3Fixtures() {}

    /** A new account with the test password, named after {@code hint}. */
    static String account(TestServer server, String hint) {
        String email = hint + SEQ.incrementAndGet() + "@example.org";
        server.services().directory().addAccount(email, HASH);
        return email;
    }

    static long accountId(TestServer server, String email) {
        return server.services().directory().account(email).orElseThrow().id();
    }

    static long mailboxId(TestServer server, String email, String name) {
        return server.services().store().mailbox(accountId(server, email), name).orElseThrow().id();
    }

    static long inbox(TestServer server, String email) {
        return mailboxId(server, email, Mailbox.INBOX);
    }

    /** Delivers one message to the recipients' INBOX, as SMTP would. */
    static void deliver(TestServer server, String message, String... to) throws Exception {
        server.services().delivery().deliver(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)),
                List.of(to), LocalDelivery.Folder.INBOX);
    }

    static void deliver(TestServer server, byte[] message, String... to) throws Exception {
        server.services().delivery().deliver(new ByteArrayInputStream(message), List.of(to), LocalDelivery.Folder.INBOX);
    }

    /** Stores a message in INBOX as received at {@code receivedMillis} (an old message, for recent mode). */
    static void appendReceived(TestServer server, String email, String message, long receivedMillis) throws Exception {
        server.services().delivery().append(inbox(server, email), new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)),
                0, java.util.Set.of(), receivedMillis);
    }

    /** A small message whose subject and body carry {@code n}. */
    static String message(String tag, int n) {
        return "From: Sender <sender@example.net>\r\nTo: someone@example.org\r\nSubject: " + tag + " " + n + "\r\n"
                + "Message-ID: <" + tag + "." + n + "@example.net>\r\n\r\nThis is message " + n + " of " + tag + ".\r\n";
    }

    /**
     * Delivers messages {@code from..to} (inclusive) to the recipients, many at a time so that
     * deliveries share commits: 500 messages take a second or two, not a minute.
     */
    static void deliverMany(TestServer server, String tag, int from, int to, String... recipients) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = from; i <= to; i++) {
                int n = i;
                done.add(pool.submit(() -> {
                    deliver(server, message(tag, n), recipients);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
    }
}
