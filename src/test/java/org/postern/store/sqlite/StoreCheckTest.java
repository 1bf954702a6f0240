package org.postern.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.store.BlobStore;
import org.postern.store.MessageData;

/** {@link StoreCheck} on a store broken on purpose, one way per test: found, repaired when safe, then clean. */
class StoreCheckTest {
    @TempDir
    Path dir;
    TestStore t;
    long account;
    long inbox;
    MessageData first;

    @BeforeEach
    void open() throws Exception {
        t = new TestStore(dir);
        account = t.directory.addAccount("alice@example.org", "x").id();
        inbox = t.inbox(account);
        first = t.message("Subject: one\r\n\r\nfirst\r\n");
        t.store.append(inbox, first, 0, Set.of());
        t.store.append(inbox, t.message("Subject: two\r\n\r\nsecond\r\n"), 0, Set.of());
        ageBlobFiles();
    }

    @AfterEach
    void close() {
        t.close();
    }

    StoreCheck.Report check(boolean repair) throws Exception {
        return new StoreCheck(t.db, t.blobs, java.time.Clock.systemUTC(), repair).run();
    }

    void sql(String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("postern.db"));
             Statement s = c.createStatement()) {
            s.execute("PRAGMA foreign_keys=OFF");
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    /** Files older than the settling time, as after a day of service. */
    void ageBlobFiles() throws Exception {
        FileTime old = FileTime.from(Instant.now().minus(StoreCheck.SETTLE).minusSeconds(60));
        try (var files = Files.walk(t.blobs.root())) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(p, old);
            }
        }
    }

    static List<String> texts(StoreCheck.Report r) {
        return r.findings().stream().map(StoreCheck::describe).toList();
    }

    @Test
    void aHealthyStoreHasNoFindings() throws Exception {
        StoreCheck.Report r = check(true);
        assertThat(texts(r)).isEmpty();
        assertThat(r.messages()).isEqualTo(2);
        assertThat(r.blobFiles()).isEqualTo(2);
        assertThat(r.mailboxes()).isEqualTo(6);
    }

    @Test
    void aMissingMessageFileIsReportedAndRemains() throws Exception {
        Files.delete(t.blobs.path(first.blob()));
        StoreCheck.Report r = check(true);
        assertThat(texts(r)).singleElement().asString()
                .startsWith("problem: message 1 of account " + account).contains("is missing").contains("backup");
        assertThat(r.remaining()).isEqualTo(1);
    }

    @Test
    void aTruncatedOrAlteredMessageFileIsReported() throws Exception {
        Path p = t.blobs.path(first.blob());
        byte[] bytes = Files.readAllBytes(p);
        Files.write(p, java.util.Arrays.copyOf(bytes, bytes.length - 3));
        assertThat(texts(check(false))).singleElement().asString().contains("has " + (bytes.length - 3) + " bytes, the store recorded " + bytes.length);
        bytes[0] ^= 1;
        Files.write(p, bytes);
        assertThat(texts(check(true))).singleElement().asString().contains("is damaged (its content hashes to");
    }

    @Test
    void aFileNoMessageRefersToGoesToTheGarbageCollector() throws Exception {
        BlobStore.Blob stray = t.blobs.put("Subject: never committed\r\n\r\n".getBytes());
        ageBlobFiles();
        assertThat(texts(check(false))).singleElement().asString().startsWith("problem: file ").endsWith("belongs to no message");
        StoreCheck.Report r = check(true);
        assertThat(texts(r)).singleElement().asString().startsWith("repaired: file ").contains("garbage collector");
        assertThat(r.remaining()).isZero();
        assertThat(texts(check(false))).isEmpty();
        assertThat(t.store.collectGarbage(java.time.Duration.ZERO)).isEqualTo(1);
        assertThat(t.blobs.exists(stray.sha256())).isFalse();
    }

    @Test
    void aFreshFileIsLeftAloneForADeliveryMayBeAboutToClaimIt() throws Exception {
        t.blobs.put("Subject: in flight\r\n\r\n".getBytes());
        assertThat(texts(check(true))).isEmpty();
    }

    @Test
    void aMessageInNoMailboxIsPutBackIntoInboxWithANewUid() throws Exception {
        sql("DELETE FROM mailbox_messages WHERE uid=1");
        assertThat(texts(check(false))).containsExactly("problem: message 1 of account " + account + " is in no mailbox");
        StoreCheck.Report r = check(true);
        assertThat(texts(r)).containsExactly("repaired: message 1 of account " + account + " is in no mailbox -> put back into INBOX as UID 3");
        assertThat(t.store.messages(inbox)).extracting(m -> m.uid()).containsExactly(2L, 3L);
        assertThat(t.store.mailbox(inbox).uidNext()).isEqualTo(4);
        assertThat(texts(check(false))).isEmpty();
    }

    @Test
    void countersBehindTheRowsAreRaisedSoNoUidOrModseqIsGivenTwice() throws Exception {
        sql("UPDATE mailboxes SET uidnext=2, highest_modseq=1 WHERE id=" + inbox);
        assertThat(texts(check(false))).containsExactly(
                "problem: mailbox " + inbox + " (INBOX): UIDNEXT 2 but UID 2 is taken",
                "problem: mailbox " + inbox + " (INBOX): HIGHESTMODSEQ 1 but MODSEQ 3 is taken");
        StoreCheck.Report r = check(true);
        assertThat(r.remaining()).isZero();
        assertThat(texts(r)).allMatch(s -> s.startsWith("repaired: ")).hasSize(2);
        assertThat(t.store.append(inbox, t.message("Subject: three\r\n\r\n"), 0, Set.of()).uid()).isEqualTo(3);
        assertThat(texts(check(false))).isEmpty();
    }

    @Test
    void anExpungedUidBelowUidnextCountsToo() throws Exception {
        t.store.expunge(inbox, new long[] {2});
        sql("UPDATE mailboxes SET uidnext=2 WHERE id=" + inbox);
        assertThat(texts(check(true))).containsExactly(
                "repaired: mailbox " + inbox + " (INBOX): UIDNEXT 2 but UID 2 is taken -> UIDNEXT raised to 3");
    }

    @Test
    void aUidBothPresentAndExpungedIsReportedAndRemains() throws Exception {
        sql("INSERT INTO expunged (mailbox_id, uid, modseq) VALUES (" + inbox + ", 1, 2)");
        StoreCheck.Report r = check(true);
        assertThat(texts(r)).containsExactly("problem: mailbox " + inbox + " (INBOX): 1 UID(s) both present and recorded as expunged: a UID was used twice");
        assertThat(r.remaining()).isEqualTo(1);
    }

    @Test
    void aMembershipWhoseMessageRowIsGoneIsRecordedAsExpunged() throws Exception {
        sql("DELETE FROM messages WHERE id=2");
        // Its file is now unreferenced too: that goes to the garbage collector.
        assertThat(texts(check(false))).hasSize(2)
                .contains("problem: mailbox " + inbox + " UID 2 refers to a message row that does not exist");
        assertThat(check(true).remaining()).isZero();
        assertThat(t.store.messages(inbox)).extracting(m -> m.uid()).containsExactly(1L);
        long highest = t.store.mailbox(inbox).highestModSeq();
        assertThat(t.store.expungedSince(inbox, highest - 1)).hasValueSatisfying(u -> assertThat(u).containsExactly(2L));
        assertThat(texts(check(false))).isEmpty();
    }

    @Test
    void aLiveFileOnTheGarbageListIsTakenOff() throws Exception {
        sql("INSERT INTO blob_garbage (blob, since) VALUES ('" + first.blob() + "', 0)");
        assertThat(texts(check(true))).singleElement().asString().endsWith("-> taken off the garbage list");
        assertThat(t.store.collectGarbage(java.time.Duration.ZERO)).isZero();
        assertThat(t.blobs.exists(first.blob())).isTrue();
        assertThat(texts(check(false))).isEmpty();
    }

    @Test
    void aDamagedDatabaseFileIsReported() throws Exception {
        for (int i = 0; i < 200; i++) {
            t.store.append(inbox, first, 0, Set.of("keyword" + i));
        }
        t.close();
        Path file = dir.resolve("postern.db");
        // Garbage in the middle of an index page: the tables still open, the index disagrees.
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long pages = f.length() / 4096;
            f.seek((pages - 2) * 4096 + 200);
            f.write(new byte[1000]);
        }
        t = new TestStore(dir);
        StoreCheck.Report r = check(true);
        assertThat(texts(r)).isNotEmpty().first().asString().startsWith("problem: database damaged");
        assertThat(r.remaining()).isPositive();
    }
}
