package org.postern.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.postern.mime.ParsedMessage;
import org.postern.store.sqlite.StoreCheck;
import org.postern.store.sqlite.TestStore;

/**
 * What a crash test checks after each kill and restart (DESIGN.md, Durability): every
 * acknowledged message is present, readable and whole; none is stored twice; UIDs ascend, UIDNEXT
 * never goes back and no UID is given to another message; and {@code postern check} finds nothing.
 * Test messages carry {@code Message-ID: <ID@durability.test>}; other messages (a sign-in notice)
 * count only for the UID rules.
 */
public final class AcknowledgedMail {
    public static final String DOMAIN = "@durability.test";

    private final Path dataDir;
    private final String account;
    private final Set<String> acknowledged = new HashSet<>();
    private final Map<Long, Long> messageOfUid = new HashMap<>();
    private long lastUidNext;

    public AcknowledgedMail(Path dataDir, String account) {
        this.dataDir = dataDir;
        this.account = account;
    }

    public void add(Collection<String> ids) {
        acknowledged.addAll(ids);
    }

    public int count() {
        return acknowledged.size();
    }

    /** Checks the store (the server is not running); returns how many test messages it holds. */
    public int verify(int round) throws Exception {
        Set<String> present = new HashSet<>();
        List<Long> uids = new ArrayList<>();
        try (TestStore t = new TestStore(dataDir)) {
            long inbox = t.inbox(t.directory.account(account).orElseThrow().id());
            for (var m : t.store.messages(inbox)) {
                uids.add(m.uid());
                Long before = messageOfUid.putIfAbsent(m.uid(), m.messageId());
                assertThat(before == null || before == m.messageId()).as("round %d: UID %d is not given to another message", round, m.uid()).isTrue();
                Path file = t.blobs.path(m.blob());
                assertThat(file).as("round %d: file of UID %d", round, m.uid()).exists();
                byte[] bytes = Files.readAllBytes(file);
                assertThat(bytes.length).isEqualTo(m.size());
                assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))).isEqualTo(m.blob());
                String id = ParsedMessage.decode(t.store.structure(m.messageId())).messageId();
                if (id != null && id.endsWith(DOMAIN)) {
                    id = id.substring(0, id.length() - DOMAIN.length());
                    assertThat(present.add(id)).as("round %d: %s is stored once", round, id).isTrue();
                }
            }
            assertThat(uids).as("round %d: UIDs ascend", round).isSorted().doesNotHaveDuplicates();
            long uidNext = t.store.mailbox(inbox).uidNext();
            assertThat(uidNext).isGreaterThan(uids.isEmpty() ? 0 : uids.getLast());
            assertThat(uidNext).as("round %d: UIDNEXT never goes back", round).isGreaterThanOrEqualTo(lastUidNext);
            lastUidNext = uidNext;
            // A kill between a message file's rename and its commit leaves a file no row names: a
            // delivery nobody acknowledged. postern check reports it once it is 10 minutes old
            // (--repair hands it to the garbage collector); anything else is a real problem.
            StoreCheck.Report check = new StoreCheck(t.db, t.blobs, Clock.systemUTC(), false).run();
            assertThat(check.findings()).as("round %d: postern check", round)
                    .allMatch(f -> f.problem().endsWith(" belongs to no message"));
        }
        assertThat(present).as("round %d: every acknowledged message is present", round).containsAll(acknowledged);
        return present.size();
    }
}
