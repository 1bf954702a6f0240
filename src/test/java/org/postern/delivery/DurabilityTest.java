package org.postern.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
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
            Set<String> acks = DeliveryLoopMain.runUntilKilled(random, dir.toString(), "r" + round, "alice@example.org");
            acknowledged.add(acks);
            acknowledged.verify(round);
        }
        assertThat(acknowledged.count()).isGreaterThan(20);
    }
}
