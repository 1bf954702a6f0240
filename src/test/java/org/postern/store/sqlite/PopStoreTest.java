package org.postern.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.store.Flags;
import org.postern.store.MailStore.Added;
import org.postern.store.Mailbox;
import org.postern.store.MailboxChange;
import org.postern.store.PopSettings;
import org.postern.store.PopSettings.AfterDownload;
import org.postern.store.SpecialUse;
import org.postern.store.StoredMessage;

/** The POP side of the store: what QUIT commits (schema/002-pop.sql) and the migration to it. */
class PopStoreTest {
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

    private long[] append(int n) throws Exception {
        long[] uids = new long[n];
        for (int i = 0; i < n; i++) {
            uids[i] = t.store.append(inbox, t.message("message " + i), 0, Set.of()).uid();
        }
        return uids;
    }

    private long mailbox(String name) {
        return t.store.mailbox(alice, name).orElseThrow().id();
    }

    private long[] messageIds(long mailboxId) {
        return t.store.messages(mailboxId).stream().mapToLong(StoredMessage::messageId).toArray();
    }

    @Test
    void keepRemembersTheDownloadAndChangesNothingElse() throws Exception {
        long[] uids = append(3);
        long modSeq = t.store.mailbox(inbox).highestModSeq();
        assertThat(t.store.popDownloaded(inbox)).isEmpty();
        assertThat(t.store.popUpdate(inbox, new long[] {uids[0], uids[2], 999}, AfterDownload.KEEP))
                .containsExactly(uids[0], uids[2]);
        long[] ids = messageIds(inbox);
        assertThat(t.store.popDownloaded(inbox)).containsExactly(ids[0], ids[2]);
        assertThat(t.store.messages(inbox)).hasSize(3).allMatch(m -> m.flags() == 0);
        assertThat(t.store.mailbox(inbox).highestModSeq()).isEqualTo(modSeq);
        t.store.popUpdate(inbox, new long[] {uids[0]}, AfterDownload.KEEP); // again: no harm
        assertThat(t.store.popDownloaded(inbox)).containsExactly(ids[0], ids[2]);
    }

    @Test
    void readMarksSeenAndTellsWatchers() throws Exception {
        long[] uids = append(2);
        List<MailboxChange> seen = new ArrayList<>();
        try (var w = t.store.changes().watch(inbox, seen::add)) {
            t.store.popUpdate(inbox, new long[] {uids[1]}, AfterDownload.READ);
        }
        assertThat(t.store.messages(inbox)).extracting(StoredMessage::flags).containsExactly(0, Flags.SEEN);
        assertThat(seen).singleElement().isInstanceOf(MailboxChange.FlagsChanged.class);
    }

    @Test
    void archiveAndTrashMoveToTheSpecialUseMailboxes() throws Exception {
        long[] uids = append(4);
        long[] ids = messageIds(inbox);
        List<MailboxChange> seen = new ArrayList<>();
        try (var w = t.store.changes().watch(inbox, seen::add)) {
            t.store.popUpdate(inbox, new long[] {uids[0], uids[1]}, AfterDownload.ARCHIVE);
            t.store.popUpdate(inbox, new long[] {uids[2]}, AfterDownload.TRASH);
        }
        assertThat(messageIds(inbox)).containsExactly(ids[3]);
        assertThat(messageIds(mailbox("Archive"))).containsExactly(ids[0], ids[1]);
        assertThat(messageIds(mailbox("Trash"))).containsExactly(ids[2]);
        assertThat(seen).hasSize(2).allMatch(c -> c instanceof MailboxChange.Expunged);
        // A message moved back to INBOX is still known as downloaded: it keeps its message id.
        long archived = t.store.messages(mailbox("Archive")).getFirst().uid();
        t.store.move(mailbox("Archive"), new long[] {archived}, inbox);
        assertThat(t.store.popDownloaded(inbox)).containsExactly(ids[0]);
    }

    @Test
    void aMissingArchiveIsMadeAgainWithItsSpecialUse() throws Exception {
        long[] uids = append(1);
        t.store.deleteMailbox(alice, "Archive");
        t.store.popUpdate(inbox, uids, AfterDownload.ARCHIVE);
        Mailbox archive = t.store.mailbox(alice, "Archive").orElseThrow();
        assertThat(archive.specialUse()).isEqualTo(SpecialUse.ARCHIVE);
        assertThat(t.store.messages(archive.id())).hasSize(1);
    }

    @Test
    void theDownloadRecordGoesWithTheMessage() throws Exception {
        long[] uids = append(2);
        t.store.popUpdate(inbox, uids, AfterDownload.KEEP);
        long lastId = messageIds(inbox)[1];
        t.store.expunge(inbox, new long[] {uids[1]}); // the highest row id: SQLite hands it out again
        Added fresh = t.store.append(inbox, t.message("fresh"), 0, Set.of());
        long rows = t.db.read(c -> Sql.queryLong(c, "SELECT COUNT(*) FROM pop_downloaded", -1));
        assertThat(rows).isEqualTo(1);
        assertThat(fresh.messageId()).isEqualTo(lastId);
        assertThat(t.store.popDownloaded(inbox)).doesNotContain(fresh.messageId()).hasSize(1);
    }

    @Test
    void aVersionOneDatabaseMigratesWithGmailsDefaults(@TempDir Path old) throws Exception {
        Path file = old.resolve("postern.db");
        try (Connection c = Database.connect(file); Statement s = c.createStatement()) {
            for (String sql : Migrations.statements(Database.resource(Migrations.SCRIPTS.getFirst()))) {
                s.execute(sql);
            }
            s.execute("PRAGMA user_version=1");
            s.execute("INSERT INTO domains (name, created) VALUES ('example.org', 0)");
            s.execute("INSERT INTO accounts (email, domain_id, password_hash, pop_enabled, created, password_changed) "
                    + "VALUES ('old@example.org', 1, 'h', 0, 0, 0)");
        }
        try (TestStore migrated = new TestStore(old)) {
            long id = migrated.directory.account("old@example.org").orElseThrow().id();
            assertThat(migrated.directory.account(id).orElseThrow().popEnabled()).isFalse();
            assertThat(migrated.directory.popSettings(id)).isEqualTo(PopSettings.DEFAULT);
            assertThat(migrated.db.read(Migrations::version)).isEqualTo(Migrations.latest());
        }
    }
}
