package org.postern.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.mime.ParsedMessage;
import org.postern.store.sqlite.TestStore;

/**
 * DESIGN.md, Durability: a child process delivers in a loop and is killed with SIGKILL at 20
 * different moments; after each restart every acknowledged message is present and readable, none
 * is duplicated, no UID is reused, and no half-written message is visible.
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
        Set<String> acknowledged = new HashSet<>();
        long lastMaxUid = 0;
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
            acknowledged.addAll(acks);

            lastMaxUid = verify(acknowledged, lastMaxUid, round);
        }
        assertThat(acknowledged.size()).isGreaterThan(20);
    }

    /** Checks the store after a kill; returns the highest UID seen. */
    private long verify(Set<String> acknowledged, long lastMaxUid, int round) throws Exception {
        List<Long> uids = new ArrayList<>();
        Set<String> present = new HashSet<>();
        try (TestStore t = new TestStore(dir)) {
            long inbox = t.inbox(t.directory.account("alice@example.org").orElseThrow().id());
            var messages = t.store.messages(inbox);
            for (var m : messages) {
                uids.add(m.uid());
                Path file = t.blobs.path(m.blob());
                assertThat(file).as("round %d: blob of UID %d", round, m.uid()).exists();
                byte[] bytes = Files.readAllBytes(file);
                assertThat(bytes.length).isEqualTo(m.size());
                assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))).isEqualTo(m.blob());
                ParsedMessage parsed = ParsedMessage.decode(t.store.structure(m.messageId()));
                String id = parsed.messageId().replace("@durability.test", "");
                assertThat(present.add(id)).as("round %d: %s is stored once", round, id).isTrue();
            }
            assertThat(uids).as("round %d: UIDs ascend", round).isSorted().doesNotHaveDuplicates();
            long uidNext = t.store.mailbox(inbox).uidNext();
            assertThat(uidNext).isGreaterThan(uids.isEmpty() ? 0 : uids.getLast());
            assertThat(uidNext - 1).as("round %d: UIDNEXT never goes back", round).isGreaterThanOrEqualTo(lastMaxUid);
        }
        assertThat(present).as("round %d: every acknowledged message is present", round).containsAll(acknowledged);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("postern.db"));
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("ok");
        }
        return uids.isEmpty() ? lastMaxUid : uids.getLast();
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}
