package org.postern.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.postern.store.Flags;
import org.postern.store.MailStore;
import org.postern.store.Mailbox;
import org.postern.store.MailboxChange;
import org.postern.store.StoredMessage;

class SelectedMailboxTest {
    private static final long MB = 7;

    /** Records what the client would be told, as IMAP lines. */
    static final class Heard implements SelectedMailbox.Updates {
        final List<String> lines = new ArrayList<>();

        @Override
        public void exists(int count) {
            lines.add(count + " EXISTS");
        }

        @Override
        public void expunged(long[] uids, int[] seqs) {
            for (int s : seqs) {
                lines.add(s + " EXPUNGE");
            }
        }

        @Override
        public void flags(int seq, long uid, int flags, Set<String> keywords, long modSeq) {
            lines.add(seq + " FETCH " + Flags.toString(flags) + " " + keywords + " " + modSeq);
        }

        @Override
        public void newKeywords(Set<String> all) {
            lines.add("FLAGS " + all);
        }
    }

    private static StoredMessage msg(long uid, long modSeq) {
        return new StoredMessage(uid, uid * 10, 0, Set.of(), modSeq, 0, "b", 1, 0);
    }

    private static SelectedMailbox view(long... uids) {
        List<StoredMessage> rows = new ArrayList<>();
        for (long u : uids) {
            rows.add(msg(u, u));
        }
        long next = uids.length == 0 ? 1 : uids[uids.length - 1] + 1;
        Mailbox m = new Mailbox(MB, 1, "INBOX", null, 42, next, next);
        return new SelectedMailbox(new MailStore.Snapshot(m, rows), false);
    }

    @Test
    void appendsAndFlagChangesAreAppliedAtOnceAndExpungesOnlyWhenAllowed() {
        SelectedMailbox v = view(1, 2, 3);
        Heard heard = new Heard();
        v.apply(List.of(
                new MailboxChange.Appended(MB, 4, 10, 40, 0, Set.of()),
                new MailboxChange.FlagsChanged(MB, 2, 11, Flags.SEEN, Set.of()),
                new MailboxChange.Expunged(MB, new long[] {1, 3}, 12)), false, heard);
        assertThat(heard.lines).containsExactly("2 FETCH \\seen [] 11", "4 EXISTS");
        assertThat(v.exists()).as("expunged messages stay until allowed").isEqualTo(4);
        assertThat(v.hasDeferredExpunges()).isTrue();

        Heard later = new Heard();
        v.apply(List.of(), true, later);
        assertThat(later.lines).containsExactly("3 EXPUNGE", "1 EXPUNGE");
        assertThat(v.uids()).containsExactly(2, 4);
        assertThat(v.seq(4)).isEqualTo(2);
        assertThat(v.highestModSeq()).isEqualTo(12);
    }

    @Test
    void flagChangesAreToldAfterTheExpungesOfTheSameAnswerAndNotForExpungedMessages() {
        SelectedMailbox v = view(1, 2, 3);
        Heard heard = new Heard();
        v.apply(List.of(
                new MailboxChange.FlagsChanged(MB, 1, 11, Flags.DELETED, Set.of()),
                new MailboxChange.FlagsChanged(MB, 2, 12, Flags.SEEN, Set.of()),
                new MailboxChange.Expunged(MB, new long[] {1}, 13)), true, heard);
        // the message that stays is told of after the EXPUNGE, by its new sequence number
        assertThat(heard.lines).containsExactly("1 EXPUNGE", "1 FETCH \\seen [] 12");
        assertThat(v.highestModSeq()).isEqualTo(13);

        // While expunges wait (during FETCH, STORE, SEARCH) the message is still there: told.
        Heard during = new Heard();
        v.apply(List.of(
                new MailboxChange.FlagsChanged(MB, 2, 14, Flags.DELETED, Set.of()),
                new MailboxChange.Expunged(MB, new long[] {2}, 15)), false, during);
        assertThat(during.lines).containsExactly("1 FETCH \\deleted [] 14");
        // At the next boundary, a change to the message whose expunge waited is not told.
        Heard after = new Heard();
        v.apply(List.of(new MailboxChange.FlagsChanged(MB, 2, 16, Flags.SEEN, Set.of()),
                new MailboxChange.FlagsChanged(MB, 3, 17, Flags.SEEN, Set.of())), true, after);
        assertThat(after.lines).containsExactly("1 EXPUNGE", "1 FETCH \\seen [] 17");
        assertThat(v.uids()).containsExactly(3);
    }

    @Test
    void changesAlreadyInTheSnapshotOrMadeByThisSessionAreNotRepeated() {
        SelectedMailbox v = view(1, 2);
        v.updated(2, Flags.FLAGGED, Set.of(), 5);
        Heard heard = new Heard();
        v.apply(List.of(
                new MailboxChange.Appended(MB, 2, 2, 20, 0, Set.of()),        // in the snapshot
                new MailboxChange.FlagsChanged(MB, 1, 1, Flags.SEEN, Set.of()), // older than the row
                new MailboxChange.FlagsChanged(MB, 2, 5, Flags.FLAGGED, Set.of()), // this session's own STORE
                new MailboxChange.Expunged(MB, new long[] {9}, 6),             // never seen
                new MailboxChange.Appended(99, 3, 7, 30, 0, Set.of())),        // another mailbox
                true, heard);
        assertThat(heard.lines).isEmpty();
        assertThat(v.exists()).isEqualTo(2);
    }

    @Test
    void anEarlierAppendIsAnnouncedBeforeAFlagChangeOfTheNewMessage() {
        SelectedMailbox v = view(1);
        Heard heard = new Heard();
        v.apply(List.of(
                new MailboxChange.Appended(MB, 2, 3, 20, 0, Set.of()),
                new MailboxChange.FlagsChanged(MB, 2, 4, Flags.SEEN, Set.of("$Label1"))), true, heard);
        assertThat(heard.lines).containsExactly("FLAGS [$Label1]", "2 EXISTS", "2 FETCH \\seen [$Label1] 4");
    }

    @Test
    void aKeywordArrivingWithANewMessageIsAnnounced() {
        SelectedMailbox v = view(1);
        Heard heard = new Heard();
        v.apply(List.of(new MailboxChange.Appended(MB, 2, 3, 20, 0, Set.of("appendflag"))), true, heard);
        assertThat(heard.lines).containsExactly("FLAGS [appendflag]", "2 EXISTS");
        assertThat(v.keywordsInUse()).containsExactly("appendflag");
    }

    @Test
    void ownExpungesReturnSequenceNumbersInSendingOrder() {
        SelectedMailbox v = view(1, 2, 3, 4, 5);
        assertThat(v.remove(new long[] {2, 4, 5})).containsExactly(5, 4, 2);
        assertThat(v.uids()).containsExactly(1, 3);
    }

    @Test
    void recentMessagesAreCountedAsTheyComeAndGo() {
        SelectedMailbox v = view(1, 2, 3);
        v.markRecent(uid -> uid >= 2); // what SELECT claimed
        assertThat(v.recentCount()).isEqualTo(2);
        assertThat(v.recent(1)).isFalse();
        assertThat(v.recentUids()).containsExactly(2, 3);
        Heard heard = new Heard();
        // Of two arrivals, this session was the first told of UID 5 only.
        v.apply(List.of(new MailboxChange.Appended(MB, 4, 10, 40, 0, Set.of()), new MailboxChange.Appended(MB, 5, 11, 50, 0, Set.of())),
                true, 5, heard);
        assertThat(heard.lines).containsExactly("5 EXISTS");
        assertThat(v.recentUids()).containsExactly(2, 3, 5);
        v.remove(new long[] {3, 4});
        assertThat(v.recentCount()).isEqualTo(2);
        assertThat(v.recentUids()).containsExactly(2, 5);
        assertThat(v.recent(v.seq(5))).isTrue();
    }
}
