package org.postern.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

    /**
     * Runs this loop in a child process with {@code args}, waits for its first acknowledgement,
     * kills it with SIGKILL after a random moment, and returns the ids it acknowledged.
     */
    static Set<String> runUntilKilled(Random random, String... args) throws Exception {
        Set<String> acks = ConcurrentHashMap.newKeySet();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), DeliveryLoopMain.class.getName()));
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        CountDownLatch firstAck = new CountDownLatch(1);
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("ACK ")) {
                        acks.add(line.substring(4));
                        firstAck.countDown();
                    }
                }
            } catch (Exception ignored) {
                // the child was killed
            }
        });
        assertThat(firstAck.await(60, TimeUnit.SECONDS)).as("the child delivered something").isTrue();
        Thread.sleep(random.nextInt(20, 400));
        child.destroyForcibly(); // SIGKILL on Linux
        child.waitFor(30, TimeUnit.SECONDS);
        reader.join(10_000);
        return acks;
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
