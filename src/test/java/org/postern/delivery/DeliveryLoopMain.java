package org.postern.delivery;

import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.postern.store.BlobStore;
import org.postern.store.sqlite.Database;
import org.postern.store.sqlite.SqliteDirectory;
import org.postern.store.sqlite.SqliteMailStore;
import org.postern.store.sqlite.SqliteQueue;

/**
 * Run as a child process by {@link DurabilityTest}: delivers messages in a loop from several
 * threads and prints {@code ACK <id>} once each delivery has returned, until it is killed. With a
 * fourth argument {@code queue}, remote forwards go into the outbound queue
 * ({@link ForwardingDurabilityTest}).
 */
public final class DeliveryLoopMain {
    private DeliveryLoopMain() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String round = args[1];
        String recipient = args[2];
        Database db = Database.open(dir.resolve("postern.db"));
        SqliteMailStore store = new SqliteMailStore(db, new BlobStore(dir.resolve("blobs")), Clock.systemUTC());
        SqliteQueue queue = args.length > 3 && args[3].equals("queue") ? new SqliteQueue(db, store.blobs(), Clock.systemUTC()) : null;
        LocalDelivery delivery = new LocalDelivery(store, new SqliteDirectory(db, store, Clock.systemUTC()), Clock.systemUTC(), 1 << 26, queue);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.US_ASCII);
        AtomicInteger next = new AtomicInteger();
        System.out.println("READY");
        System.out.flush();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = Thread.ofVirtual().start(() -> {
                while (true) {
                    int i = next.incrementAndGet();
                    String id = round + "-" + i;
                    try {
                        delivery.deliver(new ByteArrayInputStream(message(id, i)), List.of(recipient), LocalDelivery.Folder.INBOX);
                    } catch (Exception e) {
                        synchronized (out) {
                            out.println("ERROR " + id + " " + e);
                            out.flush();
                        }
                        continue;
                    }
                    synchronized (out) {
                        out.println("ACK " + id);
                        out.flush();
                    }
                }
            });
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    /** A message whose Message-ID names it; every seventh one is large, to widen the write window. */
    public static byte[] message(String id, int i) {
        StringBuilder sb = new StringBuilder()
                .append("From: Loop <loop@example.org>\r\n")
                .append("To: alice@example.org\r\n")
                .append("Subject: durability ").append(id).append("\r\n")
                .append("Message-ID: <").append(id).append("@durability.test>\r\n")
                .append("MIME-Version: 1.0\r\n")
                .append("Content-Type: text/plain; charset=us-ascii\r\n\r\n");
        int lines = i % 7 == 0 ? 4000 : 5;
        for (int l = 0; l < lines; l++) {
            sb.append("line ").append(l).append(" of message ").append(id).append(" ...........................\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
