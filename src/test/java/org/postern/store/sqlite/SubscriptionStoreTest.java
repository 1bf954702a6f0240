package org.postern.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Subscriptions kept as names of their own (schema/012-subscriptions.sql). */
class SubscriptionStoreTest {
    @TempDir
    Path dir;

    @Test
    void aNewAccountsDefaultMailboxesStartSubscribedAndCreateSubscribesNothing() {
        try (TestStore t = new TestStore(dir)) {
            long alice = t.directory.addAccount("alice@example.org", "x").id();
            assertThat(t.store.subscriptions(alice)).containsExactly("Archive", "Drafts", "INBOX", "Junk", "Sent", "Trash");
            t.store.createMailbox(alice, "Projects", null);
            assertThat(t.store.subscriptions(alice)).doesNotContain("Projects");
        }
    }

    @Test
    void aSubscriptionIsANameThatOutlivesItsMailbox() {
        try (TestStore t = new TestStore(dir)) {
            long alice = t.directory.addAccount("alice@example.org", "x").id();
            t.store.createMailbox(alice, "Lists", null);
            t.store.setSubscribed(alice, "Lists", true);
            t.store.setSubscribed(alice, "Lists", true); // twice is once
            t.store.setSubscribed(alice, "Nowhere/Yet", true);
            t.store.deleteMailbox(alice, "Lists");
            assertThat(t.store.subscriptions(alice)).contains("Lists", "Nowhere/Yet");
            t.store.setSubscribed(alice, "inbox", false); // INBOX in any case
            t.store.setSubscribed(alice, "Never", false); // not subscribed: nothing changes
            assertThat(t.store.subscriptions(alice)).doesNotContain("INBOX", "Never");
        }
    }

    @Test
    void renameCarriesTheSubscriptionsOfTheNameAndItsChildren() {
        try (TestStore t = new TestStore(dir)) {
            long alice = t.directory.addAccount("alice@example.org", "x").id();
            t.store.createMailbox(alice, "a", null);
            t.store.createMailbox(alice, "a/b", null);
            t.store.createMailbox(alice, "ab", null);
            t.store.setSubscribed(alice, "a", true);
            t.store.setSubscribed(alice, "a/b", true);
            t.store.setSubscribed(alice, "a/ghost", true);
            t.store.setSubscribed(alice, "ab", true);
            t.store.renameMailbox(alice, "a", "z");
            assertThat(t.store.subscriptions(alice)).contains("z", "z/b", "z/ghost", "ab").doesNotContain("a", "a/b", "a/ghost");
            t.store.renameMailbox(alice, "INBOX", "Old");
            assertThat(t.store.subscriptions(alice)).contains("INBOX").doesNotContain("Old");
        }
    }

    @Test
    void theMigrationKeepsEverySubscribedMailboxSubscribed(@TempDir Path old) throws Exception {
        try (Connection c = TestStore.schemaBefore(old.resolve("postern.db"), "schema/012-subscriptions.sql");
             Statement s = c.createStatement()) {
            s.execute("INSERT INTO mailboxes (account_id, name, uidvalidity, subscribed, created) VALUES (1, 'INBOX', 1, 1, 0)");
            s.execute("INSERT INTO mailboxes (account_id, name, uidvalidity, subscribed, created) VALUES (1, 'Kept', 2, 1, 0)");
            s.execute("INSERT INTO mailboxes (account_id, name, uidvalidity, subscribed, created) VALUES (1, 'Dropped', 3, 0, 0)");
        }
        try (TestStore migrated = new TestStore(old)) {
            long id = migrated.directory.account("old@example.org").orElseThrow().id();
            assertThat(migrated.store.subscriptions(id)).containsExactly("INBOX", "Kept");
            assertThat(migrated.store.mailboxes(id)).hasSize(3);
            assertThat(migrated.db.read(Migrations::version)).isEqualTo(Migrations.latest());
        }
    }
}
