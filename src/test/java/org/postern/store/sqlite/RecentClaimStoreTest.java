package org.postern.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.store.MailStore;

/** The \Recent claim point of a mailbox (RFC 3501 §2.3.2), kept across restarts. */
class RecentClaimStoreTest {
    @TempDir
    Path dir;

    @Test
    void eachMessageIsClaimedOnceAndTheClaimSurvivesReopening() throws Exception {
        long inbox;
        try (TestStore t = new TestStore(dir)) {
            long alice = t.directory.addAccount("alice@example.org", "x").id();
            inbox = t.inbox(alice);
            t.store.append(inbox, t.message("Subject: 1\r\n\r\n"), 0, Set.of());
            t.store.append(inbox, t.message("Subject: 2\r\n\r\n"), 0, Set.of());
            assertThat(t.store.unclaimedRecent(inbox)).isEqualTo(new MailStore.Unclaimed(1, 2));

            assertThat(t.store.claimRecent(inbox, 3)).isEqualTo(1); // UIDs 1 and 2 are the caller's
            assertThat(t.store.claimRecent(inbox, 3)).isEqualTo(3); // nothing left for a second session
            assertThat(t.store.unclaimedRecent(inbox)).isEqualTo(new MailStore.Unclaimed(3, 0));
            t.store.append(inbox, t.message("Subject: 3\r\n\r\n"), 0, Set.of());
            assertThat(t.store.unclaimedRecent(inbox)).isEqualTo(new MailStore.Unclaimed(3, 1));
            assertThat(t.store.claimRecent(inbox, 2)).isEqualTo(3); // a lower bound never moves the point back
        }
        try (TestStore t = new TestStore(dir)) {
            assertThat(t.store.unclaimedRecent(inbox)).isEqualTo(new MailStore.Unclaimed(3, 1));
        }
    }

    @Test
    void renamingInboxKeepsWhatWasClaimed() throws Exception {
        try (TestStore t = new TestStore(dir)) {
            long alice = t.directory.addAccount("alice@example.org", "x").id();
            long inbox = t.inbox(alice);
            t.store.append(inbox, t.message("Subject: 1\r\n\r\n"), 0, Set.of());
            t.store.claimRecent(inbox, 2);
            t.store.append(inbox, t.message("Subject: 2\r\n\r\n"), 0, Set.of());
            t.store.renameMailbox(alice, "INBOX", "Old");
            long old = t.store.mailbox(alice, "Old").orElseThrow().id();
            assertThat(t.store.unclaimedRecent(old)).isEqualTo(new MailStore.Unclaimed(2, 1));
        }
    }
}
