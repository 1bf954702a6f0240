package org.postern.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.store.sqlite.TestStore;

/**
 * DESIGN.md, Durability: a child process delivers in a loop and is killed with SIGKILL at 20
 * different moments; after each restart {@link AcknowledgedMail} checks that every acknowledged
 * message is present and readable, none is duplicated, no UID is reused, the store is consistent.
 * The same at the level of the server process: {@code server.ServerCrashIT}.
 */
class DurabilityTest {
    @TempDir
    Path dir;

    @Test
    void killedDeliveriesLoseNothingAcknowledged() throws Exception {
        try (TestStore t = new TestStore(dir)) {
            t.directory.addAccount("alice@example.org", "x");
        }
        Random random = new Random(20261126);
        AcknowledgedMail acknowledged = new AcknowledgedMail(dir, "alice@example.org");
        for (int round = 1; round <= 20; round++) {
            Set<String> acks = ConcurrentHashMap.newKeySet();
            Process child = new ProcessBuilder(javaBinary(), "--enable-native-access=ALL-UNNAMED", "-cp",
                    System.getProperty("java.class.path"), DeliveryLoopMain.class.getName(),
                    dir.toString(), "r" + round, "alice@example.org")
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
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
            assertThat(firstAck.await(60, TimeUnit.SECONDS)).as("round %d: the child delivered something", round).isTrue();
            Thread.sleep(random.nextInt(20, 400));
            child.destroyForcibly(); // SIGKILL on Linux
            child.waitFor(30, TimeUnit.SECONDS);
            reader.join(10_000);
            acknowledged.add(acks);
            acknowledged.verify(round);
        }
        assertThat(acknowledged.count()).isGreaterThan(20);
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}
