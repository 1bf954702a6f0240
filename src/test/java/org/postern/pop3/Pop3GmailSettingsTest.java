package org.postern.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.store.Directory;
import org.postern.store.PopSettings.AfterDownload;
import org.postern.testing.ImapClient;
import org.postern.testing.Pop3Client;
import org.postern.testing.TestServer;

/**
 * Each of Gmail's POP settings with a 500-message INBOX: what the POP session gets, what the next
 * session gets, and what IMAP sees afterwards.
 */
class Pop3GmailSettingsTest {
    static final int N = 500;
    static final String PW = TestServer.PASSWORD;
    static final Pattern SUBJECT = Pattern.compile("(?m)^Subject: bulk (\\d+)$");

    @TempDir
    static Path dir;
    static TestServer server;
    static String keep;
    static String read;
    static String archive;
    static String trash;
    static String fromNow;
    static String recent;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, false);
        keep = Pop3Fixtures.account(server, "keep");
        read = Pop3Fixtures.account(server, "read");
        archive = Pop3Fixtures.account(server, "archive");
        trash = Pop3Fixtures.account(server, "trash");
        fromNow = Pop3Fixtures.account(server, "new");
        recent = Pop3Fixtures.account(server, "recent");
        // One delivery per message to all six accounts (one file, six INBOX rows).
        Pop3Fixtures.deliverMany(server, "bulk", 1, N, keep, read, archive, trash, fromNow, recent);
        after(read, AfterDownload.READ);
        after(archive, AfterDownload.ARCHIVE);
        after(trash, AfterDownload.TRASH);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static void after(String account, AfterDownload a) {
        server.services().directory().update(account, new Directory.Settings(null, null, null, null, a));
    }

    static Pop3Client session(String user) throws Exception {
        Pop3Client c = Pop3Client.tlsGreeted(server.pop3sPort());
        c.login(user, PW);
        return c;
    }

    static int count(Pop3Client c) throws Exception {
        String stat = c.ok("STAT");
        return Integer.parseInt(stat.split(" ")[1]);
    }

    /** RETR of messages from..to; returns the bulk numbers found in their subjects. */
    static Set<Integer> retrieve(Pop3Client c, int from, int to) throws Exception {
        Set<Integer> numbers = new HashSet<>();
        for (int i = from; i <= to; i++) {
            Matcher m = SUBJECT.matcher(new String(c.retr(i), StandardCharsets.UTF_8));
            assertThat(m.find()).as("message %d has a bulk subject", i).isTrue();
            numbers.add(Integer.parseInt(m.group(1)));
        }
        return numbers;
    }

    /** What an IMAP client sees of a mailbox: "MESSAGES n UNSEEN m". */
    static String imapStatus(String account, String mailbox) throws Exception {
        try (ImapClient c = ImapClient.tls(server.imapsPort())) {
            c.readLine();
            c.login(account, PW);
            String line = c.command("s1 STATUS " + mailbox + " (MESSAGES UNSEEN)").expectOk().untagged.getFirst();
            return line.substring(line.indexOf('(') + 1, line.indexOf(')'));
        }
    }

    @Test
    void allMailKeepInInbox() throws Exception {
        try (Pop3Client c = session(keep)) {
            assertThat(count(c)).isEqualTo(N);
            Set<Integer> got = retrieve(c, 1, N);
            assertThat(got).hasSize(N).contains(1, N);
            c.ok("QUIT");
        }
        try (Pop3Client c = session(keep)) {
            assertThat(count(c)).as("downloaded mail is not offered again").isZero();
            c.ok("QUIT");
        }
        assertThat(imapStatus(keep, "INBOX")).isEqualTo("MESSAGES 500 UNSEEN 500");
        Pop3Fixtures.deliver(server, Pop3Fixtures.message("bulk", N + 1), keep);
        try (Pop3Client c = session(keep)) {
            assertThat(count(c)).isEqualTo(1);
            assertThat(retrieve(c, 1, 1)).containsExactly(N + 1);
        }
    }

    @Test
    void markAsReadAfterDownload() throws Exception {
        try (Pop3Client c = session(read)) {
            assertThat(count(c)).isEqualTo(N);
            retrieve(c, 1, 200);
            c.ok("DELE 201"); // deleted unread: accessed all the same
            c.ok("QUIT");
        }
        assertThat(imapStatus(read, "INBOX")).isEqualTo("MESSAGES 500 UNSEEN 299");
        try (Pop3Client c = session(read)) {
            assertThat(count(c)).isEqualTo(299);
        }
    }

    @Test
    void archiveAfterDownload() throws Exception {
        Set<Integer> got;
        try (Pop3Client c = session(archive)) {
            assertThat(count(c)).isEqualTo(N);
            got = retrieve(c, 1, N);
            c.ok("QUIT");
        }
        assertThat(got).hasSize(N);
        assertThat(imapStatus(archive, "INBOX")).isEqualTo("MESSAGES 0 UNSEEN 0");
        assertThat(imapStatus(archive, "Archive")).isEqualTo("MESSAGES 500 UNSEEN 500");
        try (Pop3Client c = session(archive)) {
            assertThat(count(c)).isZero();
        }
        try (Pop3Client c = session("recent:" + archive)) {
            assertThat(count(c)).as("archived mail has left INBOX, so recent mode has none either").isZero();
        }
    }

    @Test
    void deleteAfterDownloadMovesToTrash() throws Exception {
        try (Pop3Client c = session(trash)) {
            assertThat(count(c)).isEqualTo(N);
            retrieve(c, 1, 100);
            for (int i = 101; i <= 200; i++) {
                c.ok("DELE " + i);
            }
            c.ok("QUIT");
        }
        assertThat(imapStatus(trash, "INBOX")).isEqualTo("MESSAGES 300 UNSEEN 300");
        assertThat(imapStatus(trash, "Trash")).isEqualTo("MESSAGES 200 UNSEEN 200");
        try (Pop3Client c = session(trash)) {
            assertThat(count(c)).isEqualTo(300);
        }
    }

    @Test
    void onlyMailThatArrivesFromNowOn() throws Exception {
        Thread.sleep(5); // the switch comes strictly after the 500 deliveries
        server.services().directory().update(fromNow, new Directory.Settings(null, true, null,
                server.services().clock().millis(), null));
        Thread.sleep(5);
        try (Pop3Client c = session(fromNow)) {
            assertThat(count(c)).isZero();
        }
        Pop3Fixtures.deliverMany(server, "bulk", N + 1, N + 5, fromNow);
        try (Pop3Client c = session(fromNow)) {
            assertThat(count(c)).isEqualTo(5);
            assertThat(retrieve(c, 1, 5)).containsExactlyInAnyOrder(N + 1, N + 2, N + 3, N + 4, N + 5);
            c.ok("QUIT");
        }
        // Back to "all mail": the 500 older ones appear; the 5 downloaded ones do not come again.
        server.services().directory().update(fromNow, new Directory.Settings(null, true, null, 0L, null));
        try (Pop3Client c = session(fromNow)) {
            assertThat(count(c)).isEqualTo(N);
        }
        assertThat(imapStatus(fromNow, "INBOX")).isEqualTo("MESSAGES 505 UNSEEN 505");
    }

    @Test
    void recentModeOffersTheLast30DaysEveryTime() throws Exception {
        long old = server.services().clock().millis() - Duration.ofDays(40).toMillis();
        for (int i = 1; i <= 20; i++) {
            Pop3Fixtures.appendReceived(server, recent, Pop3Fixtures.message("old", i), old);
        }
        try (Pop3Client c = session(recent)) { // normal mode: all 520, oldest (by arrival in INBOX) first
            assertThat(count(c)).isEqualTo(N + 20);
            retrieve(c, 1, 50);
            c.ok("QUIT");
        }
        try (Pop3Client c = session(recent)) {
            assertThat(count(c)).isEqualTo(N + 20 - 50);
            c.ok("QUIT");
        }
        for (int round = 0; round < 2; round++) {
            try (Pop3Client c = session("recent:" + recent)) {
                assertThat(c.ok("STAT")).startsWith("+OK " + N + " ");
                assertThat(retrieve(c, 1, N)).hasSize(N); // downloaded or not, the last 30 days
                c.ok("QUIT");
            }
        }
        try (Pop3Client c = session(recent)) { // everything recent mode fetched now counts as downloaded
            assertThat(count(c)).isEqualTo(20);
        }
        assertThat(imapStatus(recent, "INBOX")).isEqualTo("MESSAGES 520 UNSEEN 520");
    }
}
