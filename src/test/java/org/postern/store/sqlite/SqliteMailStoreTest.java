package org.postern.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.store.Flags;
import org.postern.store.MailStore;
import org.postern.store.MailStore.Added;
import org.postern.store.MailStore.FlagOp;
import org.postern.store.Mailbox;
import org.postern.store.MailboxChange;
import org.postern.store.MessageData;
import org.postern.store.SpecialUse;
import org.postern.store.StoreException;
import org.postern.store.StoredMessage;

class SqliteMailStoreTest {
    @TempDir
    Path dir;
    TestStore t;
    long alice;
    long inbox;

    @BeforeEach
    void open() {
        t = new TestStore(dir);
        alice = t.directory.addAccount("alice@example.org", "x").id();
        inbox = t.inbox(alice);
    }

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void newAccountsHaveTheSpecialUseMailboxes() {
        List<Mailbox> boxes = t.store.mailboxes(alice);
        assertThat(boxes).extracting(Mailbox::name)
                .containsExactlyInAnyOrder("INBOX", "Sent", "Drafts", "Trash", "Junk", "Archive");
        assertThat(boxes).filteredOn(b -> b.name().equals("Sent")).extracting(Mailbox::specialUse).containsExactly(SpecialUse.SENT);
        assertThat(boxes).filteredOn(Mailbox::isInbox).extracting(Mailbox::specialUse).containsOnlyNulls();
        assertThat(boxes).extracting(Mailbox::uidValidity).doesNotHaveDuplicates();
    }

    @Test
    void uidsAscendAndAreNeverReusedAcrossExpungeAndRestart() throws Exception {
        List<Long> uids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            uids.add(t.store.append(inbox, t.message("m" + i), 0, Set.of()).uid());
        }
        assertThat(uids).containsExactly(1L, 2L, 3L, 4L, 5L);
        t.store.expunge(inbox, new long[] {4, 5});
        t.close();
        t = new TestStore(dir);
        Added next = t.store.append(inbox, t.message("after restart"), 0, Set.of());
        assertThat(next.uid()).isEqualTo(6);
        assertThat(t.store.messages(inbox)).extracting(StoredMessage::uid).containsExactly(1L, 2L, 3L, 6L);
        assertThat(t.store.mailbox(inbox).uidNext()).isEqualTo(7);
    }

    @Test
    void modSeqAscendsWithEveryChange() throws Exception {
        long m0 = t.store.mailbox(inbox).highestModSeq();
        Added a = t.store.append(inbox, t.message("a"), 0, Set.of());
        assertThat(a.modSeq()).isGreaterThan(m0);
        var flagged = t.store.setFlags(inbox, new long[] {a.uid()}, FlagOp.ADD, Flags.SEEN, Set.of(), -1);
        long m2 = flagged.changed().getFirst().modSeq();
        assertThat(m2).isGreaterThan(a.modSeq());
        t.store.expunge(inbox, new long[] {a.uid()});
        long m3 = t.store.mailbox(inbox).highestModSeq();
        assertThat(m3).isGreaterThan(m2);
        assertThat(t.store.expungedSince(inbox, m2)).hasValueSatisfying(u -> assertThat(u).containsExactly(a.uid()));
        assertThat(t.store.expungedSince(inbox, m3)).hasValueSatisfying(u -> assertThat(u).isEmpty());
    }

    @Test
    void fiftyThreadsAppendingGetUniqueGapFreeUidsAndShareCommits() throws Exception {
        int threads = 50;
        int each = 4;
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Long>>> futures = new ArrayList<>();
        long commitsBefore = t.db.commits();
        for (int i = 0; i < threads; i++) {
            int n = i;
            futures.add(pool.submit(() -> {
                start.await();
                List<Long> mine = new ArrayList<>();
                for (int j = 0; j < each; j++) {
                    mine.add(t.store.append(inbox, t.message("thread " + n + " message " + j), 0, Set.of()).uid());
                }
                return mine;
            }));
        }
        start.countDown();
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> f : futures) {
            List<Long> mine = f.get();
            assertThat(mine).isSorted();
            all.addAll(mine);
        }
        pool.shutdown();
        Collections.sort(all);
        assertThat(all).containsExactlyElementsOf(LongStream.rangeClosed(1, threads * each).boxed().toList());
        // Group commit: 200 concurrent appends needed fewer commits (fsyncs) than appends.
        assertThat(t.db.commits() - commitsBefore).isLessThan(threads * each);
    }

    @Test
    void copySharesTheMessageAndItsBlob() throws Exception {
        long archive = t.store.mailbox(alice, "Archive").orElseThrow().id();
        Added a = t.store.append(inbox, t.message("shared content"), Flags.FLAGGED, Set.of("$Important"));
        MailStore.CopyResult r = t.store.copy(inbox, new long[] {a.uid()}, archive);
        assertThat(r.sourceUids()).containsExactly(a.uid());
        assertThat(r.targetUids()).containsExactly(1L);
        StoredMessage original = t.store.messages(inbox).getFirst();
        StoredMessage copy = t.store.messages(archive).getFirst();
        assertThat(copy.messageId()).isEqualTo(original.messageId());
        assertThat(copy.blob()).isEqualTo(original.blob());
        assertThat(copy.flags()).isEqualTo(Flags.FLAGGED);
        assertThat(copy.keywords()).containsExactly("$Important");
        try (var files = Files.walk(t.blobs.root())) {
            assertThat(files.filter(p -> p.getFileName().toString().length() == 64).count()).isEqualTo(1);
        }
        // Expunging the original keeps the message: the copy still holds it.
        t.store.expunge(inbox, new long[] {a.uid()});
        assertThat(t.store.messages(archive)).hasSize(1);
        assertThat(t.blobs.exists(copy.blob())).isTrue();
    }

    @Test
    void moveCopiesAndExpungesInOneStep() throws Exception {
        long trash = t.store.mailbox(alice, "Trash").orElseThrow().id();
        t.store.append(inbox, t.message("one"), 0, Set.of());
        t.store.append(inbox, t.message("two"), 0, Set.of());
        MailStore.CopyResult r = t.store.move(inbox, new long[] {2, 1, 99}, trash);
        assertThat(r.sourceUids()).containsExactly(1L, 2L);
        assertThat(r.targetUids()).containsExactly(1L, 2L);
        assertThat(t.store.messages(inbox)).isEmpty();
        assertThat(t.store.messages(trash)).hasSize(2);
    }

    @Test
    void flagChangesKeepModSeqWhenNothingChangesAndHonourUnchangedSince() throws Exception {
        Added a = t.store.append(inbox, t.message("a"), 0, Set.of());
        Added b = t.store.append(inbox, t.message("b"), 0, Set.of());
        var r1 = t.store.setFlags(inbox, new long[] {a.uid(), b.uid()}, FlagOp.ADD, Flags.SEEN, Set.of("Work"), -1);
        assertThat(r1.changed()).hasSize(2);
        var again = t.store.setFlags(inbox, new long[] {a.uid()}, FlagOp.ADD, Flags.SEEN, Set.of("work"), -1);
        assertThat(again.changed()).as("same flags, keyword differing only in case").isEmpty();
        var r2 = t.store.setFlags(inbox, new long[] {a.uid()}, FlagOp.REMOVE, Flags.SEEN, Set.of(), -1);
        long changedModSeq = r2.changed().getFirst().modSeq();
        // b was last changed at r1's MODSEQ; a at r2's. UNCHANGEDSINCE r1 lets b change but not a.
        long r1ModSeq = r1.changed().getFirst().modSeq();
        var r3 = t.store.setFlags(inbox, new long[] {a.uid(), b.uid()}, FlagOp.SET, Flags.ANSWERED, Set.of(), r1ModSeq);
        assertThat(r3.modifiedSince()).containsExactly(a.uid());
        assertThat(r3.changed()).extracting(MailboxChange.FlagsChanged::uid).containsExactly(b.uid());
        assertThat(changedModSeq).isGreaterThan(r1ModSeq);
        List<StoredMessage> rows = t.store.messages(inbox);
        assertThat(rows.get(0).flags()).isZero();
        assertThat(rows.get(0).keywords()).containsExactly("Work");
        assertThat(rows.get(1).flags()).isEqualTo(Flags.ANSWERED);
        assertThat(rows.get(1).keywords()).isEmpty();
    }

    @Test
    void watchersHearEveryChangeInCommitOrder() throws Exception {
        List<MailboxChange> heard = Collections.synchronizedList(new ArrayList<>());
        try (var w = t.store.changes().watch(inbox, heard::add)) {
            Added a = t.store.append(inbox, t.message("a"), 0, Set.of());
            t.store.setFlags(inbox, new long[] {a.uid()}, FlagOp.ADD, Flags.DELETED, Set.of(), -1);
            t.store.expunge(inbox, new long[] {a.uid()});
        }
        assertThat(heard).hasSize(3);
        assertThat(heard.get(0)).isInstanceOf(MailboxChange.Appended.class);
        assertThat(heard.get(1)).isInstanceOf(MailboxChange.FlagsChanged.class);
        assertThat(heard.get(2)).isInstanceOf(MailboxChange.Expunged.class);
        assertThat(heard).extracting(MailboxChange::modSeq).isSorted().doesNotHaveDuplicates();
        assertThat(t.store.changes().watchers(inbox)).isZero();
    }

    @Test
    void mailboxesAreCreatedRenamedAndDeleted() throws Exception {
        Mailbox work = t.store.createMailbox(alice, "Work", null);
        t.store.createMailbox(alice, "Work/2026", null);
        assertThatThrownBy(() -> t.store.createMailbox(alice, "Work", null))
                .isInstanceOf(StoreException.class).extracting("kind").isEqualTo(StoreException.Kind.EXISTS);
        t.store.append(work.id(), t.message("w"), 0, Set.of());
        t.store.renameMailbox(alice, "Work", "Projects");
        assertThat(t.store.mailbox(alice, "Projects/2026")).isPresent();
        Mailbox projects = t.store.mailbox(alice, "Projects").orElseThrow();
        assertThat(projects.id()).isEqualTo(work.id());
        assertThat(projects.uidValidity()).isEqualTo(work.uidValidity());
        t.store.deleteMailbox(alice, "Projects");
        assertThat(t.store.mailbox(alice, "Projects")).isEmpty();
        assertThat(t.store.mailbox(alice, "Projects/2026")).isPresent();
        Mailbox again = t.store.createMailbox(alice, "Projects", null);
        assertThat(again.uidValidity()).isNotEqualTo(work.uidValidity());
        assertThatThrownBy(() -> t.store.deleteMailbox(alice, "inbox")).isInstanceOf(StoreException.class);
    }

    @Test
    void renamingInboxMovesItsMessagesAndLeavesItEmpty() throws Exception {
        t.store.append(inbox, t.message("a"), 0, Set.of());
        t.store.append(inbox, t.message("b"), 0, Set.of());
        t.store.renameMailbox(alice, "INBOX", "Old mail");
        Mailbox old = t.store.mailbox(alice, "Old mail").orElseThrow();
        assertThat(t.store.messages(old.id())).extracting(StoredMessage::uid).containsExactly(1L, 2L);
        assertThat(t.store.messages(inbox)).isEmpty();
        assertThat(t.store.append(inbox, t.message("c"), 0, Set.of()).uid()).isEqualTo(3);
    }

    @Test
    void deliveryToSeveralAccountsStoresTheBlobOnceAndAMessagePerAccount() throws Exception {
        long bob = t.directory.addAccount("bob@example.org", "x").id();
        MessageData m = t.message("to both");
        List<Added> added = t.store.deliver(m, List.of(inbox, t.inbox(bob)));
        assertThat(added).hasSize(2);
        assertThat(added.get(0).messageId()).isNotEqualTo(added.get(1).messageId());
        assertThat(t.store.messages(t.inbox(bob)).getFirst().blob()).isEqualTo(m.blob());
        assertThatThrownBy(() -> t.store.copy(inbox, new long[] {1}, t.inbox(bob)))
                .isInstanceOf(StoreException.class).hasMessageContaining("within one account");
    }

    @Test
    void unreferencedBlobsAreCollectedAfterTheGracePeriod() throws Exception {
        Added a = t.store.append(inbox, t.message("to be deleted"), 0, Set.of());
        String blob = t.store.messages(inbox).getFirst().blob();
        t.store.expunge(inbox, new long[] {a.uid()});
        assertThat(t.store.collectGarbage(java.time.Duration.ofHours(1))).isZero();
        assertThat(t.blobs.exists(blob)).isTrue();
        assertThat(t.store.collectGarbage(java.time.Duration.ofMillis(-1))).isEqualTo(1);
        assertThat(t.blobs.exists(blob)).isFalse();
    }

    @Test
    void aMissingBlobFailsTheAppendTemporarily() {
        MessageData ghost = new MessageData("ab".repeat(32), 10, 0, null, null, null, null, null);
        assertThatThrownBy(() -> t.store.append(inbox, ghost, 0, Set.of()))
                .isInstanceOf(StoreException.class).matches(e -> ((StoreException) e).temporary());
        assertThat(t.store.mailbox(inbox).uidNext()).as("no UID was used").isEqualTo(1);
    }

    @Test
    void countsAndSnapshotsDescribeTheMailbox() throws Exception {
        t.store.append(inbox, t.message("aa"), Flags.SEEN, Set.of());
        t.store.append(inbox, t.message("bbb"), Flags.DELETED, Set.of());
        t.store.append(inbox, t.message("c"), 0, Set.of());
        MailStore.Counts c = t.store.counts(inbox);
        assertThat(c).isEqualTo(new MailStore.Counts(3, 2, 1, 6));
        MailStore.Snapshot s = t.store.snapshot(inbox);
        assertThat(s.messages()).hasSize(3);
        assertThat(s.mailbox().uidNext()).isEqualTo(4);
        assertThat(s.mailbox().highestModSeq()).isEqualTo(s.messages().getLast().modSeq());
    }
}
