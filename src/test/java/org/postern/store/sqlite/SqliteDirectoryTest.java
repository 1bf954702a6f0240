package org.postern.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.store.Directory;
import org.postern.store.Directory.Account;
import org.postern.store.PopSettings;
import org.postern.store.StoreException;

class SqliteDirectoryTest {
    @TempDir
    Path dir;
    TestStore t;
    Directory d;

    @BeforeEach
    void open() {
        t = new TestStore(dir);
        d = t.directory;
    }

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void addressesAreCaseInsensitiveAndTheDomainIsCreated() {
        Account a = d.addAccount("Alice@Example.ORG", "h");
        assertThat(a.email()).isEqualTo("Alice@example.org");
        assertThat(d.account("alice@EXAMPLE.org")).map(Account::id).contains(a.id());
        assertThat(d.domain("example.org")).isPresent();
        assertThatThrownBy(() -> d.addAccount("ALICE@example.org", "h"))
                .isInstanceOf(StoreException.class).hasMessageContaining("already in use");
    }

    @Test
    void invalidAddressesAreRefusedWithTheReason() {
        for (String bad : new String[] {"alice", "@example.org", "alice@", "a b@example.org", "alice@exa_mple.org",
                "alice@example..org", "alice+x@example.org", "<alice@example.org>"}) {
            assertThatThrownBy(() -> d.addAccount(bad, "h")).as(bad).isInstanceOf(StoreException.class);
        }
    }

    @Test
    void resolutionFollowsSubaddressesAliasesAndTheCatchAll() {
        Account alice = d.addAccount("alice@example.org", "h");
        Account bob = d.addAccount("bob@example.org", "h");
        d.addAlias("sales@example.org", "bob@example.org");
        assertThat(d.resolve("ALICE+newsletters@example.org")).map(Account::id).contains(alice.id());
        assertThat(d.resolve("Sales@Example.org")).map(Account::id).contains(bob.id());
        assertThat(d.resolve("sales+x@example.org")).map(Account::id).contains(bob.id());
        assertThat(d.resolve("nobody@example.org")).isEmpty();
        assertThat(d.resolve("alice@other.example")).isEmpty();
        d.setCatchAll("example.org", "alice@example.org");
        assertThat(d.resolve("nobody@example.org")).map(Account::id).contains(alice.id());
        assertThat(d.resolve("nobody@other.example")).isEmpty();
        assertThat(d.domain("example.org").orElseThrow().catchAllAccountId()).isEqualTo(alice.id());
        d.setCatchAll("example.org", null);
        assertThat(d.resolve("nobody@example.org")).isEmpty();
        assertThat(d.domain("example.org").orElseThrow().catchAllAccountId()).isNull();
        assertThatThrownBy(() -> d.addAlias("alice@example.org", "bob@example.org")).hasMessageContaining("already in use");
        assertThat(d.aliases("bob@example.org")).containsExactly("sales@example.org");
    }

    @Test
    void removingAnAccountRemovesItsMailAndAliases() throws Exception {
        Account bob = d.addAccount("bob@example.org", "h");
        d.addAlias("b@example.org", "bob@example.org");
        t.store.append(t.inbox(bob.id()), t.message("hello bob"), 0, Set.of());
        d.removeAccount("BOB@example.org");
        assertThat(d.account("bob@example.org")).isEmpty();
        assertThat(d.resolve("b@example.org")).isEmpty();
        assertThat(t.store.mailboxes(bob.id())).isEmpty();
        assertThat(t.store.collectGarbage(java.time.Duration.ofMillis(-1))).isEqualTo(1);
        assertThatThrownBy(() -> d.removeAccount("bob@example.org")).hasMessageContaining("no such account");
    }

    @Test
    void settingsAndPasswordChangesAreKept() {
        Account a = d.addAccount("carol@example.org", "h1");
        Account changed = d.update("carol@example.org", new Directory.Settings(false, null, 1024L));
        assertThat(changed.imapEnabled()).isFalse();
        assertThat(changed.popEnabled()).isTrue();
        assertThat(changed.quotaBytes()).isEqualTo(1024);
        d.setPassword("carol@example.org", "h2");
        Account after = d.account("carol@example.org").orElseThrow();
        assertThat(after.passwordHash()).isEqualTo("h2");
        assertThat(after.passwordChanged()).isGreaterThanOrEqualTo(a.passwordChanged());
    }

    @Test
    void popSettingsStartAsGmailsDefaultsAndChangeOnlyWhenGiven() {
        Account a = d.addAccount("dora@example.org", "h");
        assertThat(d.popSettings(a.id())).isEqualTo(PopSettings.DEFAULT);
        d.update("dora@example.org", new Directory.Settings(null, true, null, 1_700_000_000_000L, PopSettings.AfterDownload.ARCHIVE));
        assertThat(d.popSettings(a.id())).isEqualTo(new PopSettings(1_700_000_000_000L, PopSettings.AfterDownload.ARCHIVE));
        d.update("dora@example.org", new Directory.Settings(false, false, 5L));
        assertThat(d.popSettings(a.id())).isEqualTo(new PopSettings(1_700_000_000_000L, PopSettings.AfterDownload.ARCHIVE));
        d.update("dora@example.org", new Directory.Settings(null, null, null, 0L, null));
        assertThat(d.popSettings(a.id())).isEqualTo(new PopSettings(0, PopSettings.AfterDownload.ARCHIVE));
        assertThatThrownBy(() -> d.update("dora@example.org", new Directory.Settings(null, null, null, -1L, null)))
                .isInstanceOf(StoreException.class).hasMessageContaining("since");
        assertThatThrownBy(() -> d.popSettings(a.id() + 1000)).isInstanceOf(StoreException.class)
                .extracting(e -> ((StoreException) e).kind()).isEqualTo(StoreException.Kind.NOT_FOUND);
    }
}
