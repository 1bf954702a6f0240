package org.postern.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testing.ImapClient;
import org.postern.testing.TestServer;

/** \Recent and RECENT (RFC 3501 §2.3.2, §7.3.2): each message is \Recent in exactly one session. */
class RecentTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, false, "alice@example.org", "bob@example.org", "carol@example.org", "dave@example.org");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static void deliver(String to, String subject) throws Exception {
        ImapFixture.deliver(server, to, subject);
    }

    static ImapClient login(String user) throws Exception {
        return ImapFixture.login(server, user);
    }

    @Test
    void theFirstSelectClaimsNewMailAndExamineOnlyLooks() throws Exception {
        deliver("alice@example.org", "one");
        deliver("alice@example.org", "two");
        try (ImapClient c = login("alice@example.org")) {
            c.command("a0 STATUS INBOX (MESSAGES RECENT)").expectUntagged("STATUS \"INBOX\" (MESSAGES 2 RECENT 2)");
            c.command("a1 EXAMINE INBOX").expectUntagged("2 RECENT").expectOk();
            c.command("a2 FETCH 1 FLAGS").expectUntagged("1 FETCH (FLAGS (\\Recent))");
            c.command("a3 SELECT INBOX").expectUntagged("2 RECENT").expectOk();
            c.command("a4 SEARCH RECENT").expectUntagged("SEARCH 1 2");
            c.command("a5 STORE 1 +FLAGS (\\Seen)").expectUntagged("1 FETCH (FLAGS (\\Seen \\Recent))");
            c.command("a6 SEARCH NEW").expectUntagged("SEARCH 2");
            c.command("a7 SEARCH OLD").expectUntagged("SEARCH");
            // Selecting the same mailbox again keeps what the session claimed; leaving it spends it.
            c.command("a8 SELECT INBOX").expectUntagged("2 RECENT").expectOk();
            c.command("a9 STATUS INBOX (RECENT)").expectUntagged("STATUS \"INBOX\" (RECENT 2)");
            c.command("a10 SELECT Sent").expectUntagged("0 RECENT").expectOk();
            c.command("a11 SELECT INBOX").expectUntagged("0 RECENT").expectOk();
        }
        // The claim is stored: another session, even after the first logged out, sees nothing new.
        try (ImapClient c = login("alice@example.org")) {
            c.command("b0 STATUS INBOX (RECENT)").expectUntagged("STATUS \"INBOX\" (RECENT 0)");
            c.command("b1 SELECT INBOX").expectUntagged("2 EXISTS").expectUntagged("0 RECENT").expectOk();
            c.command("b2 FETCH 1:* FLAGS").expectUntagged("1 FETCH (FLAGS (\\Seen))").expectUntagged("2 FETCH (FLAGS ())");
            c.command("b3 SEARCH OLD").expectUntagged("SEARCH 1 2");
        }
    }

    @Test
    void theFirstSessionToldOfAnArrivalClaimsIt() throws Exception {
        try (ImapClient first = login("bob@example.org"); ImapClient second = login("bob@example.org");
             ImapClient examiner = login("bob@example.org")) {
            first.command("a1 SELECT INBOX").expectUntagged("0 RECENT").expectOk();
            second.command("b1 SELECT INBOX").expectUntagged("0 RECENT").expectOk();
            examiner.command("c1 EXAMINE INBOX").expectUntagged("0 RECENT").expectOk();
            deliver("bob@example.org", "new");
            // EXAMINE does not claim: the examiner sees it as \Recent, and so does the next one told.
            examiner.command("c2 NOOP").expectUntagged("1 EXISTS").expectUntagged("1 RECENT").expectOk();
            second.command("b2 NOOP").expectUntagged("1 EXISTS").expectUntagged("1 RECENT").expectOk();
            first.command("a2 NOOP").expectUntagged("1 EXISTS").expectUntagged("0 RECENT").expectOk();
            first.command("a3 FETCH 1 FLAGS").expectUntagged("1 FETCH (FLAGS ())");
            second.command("b3 FETCH 1 FLAGS").expectUntagged("1 FETCH (FLAGS (\\Recent))");
            // An APPEND by the selecting session itself is claimed by it when it hears of it.
            var r = first.command("a4 APPEND INBOX {14+}\r\nSubject: x\r\n\r\n").expectOk();
            assertThat(r.untagged).containsSubsequence("* 2 EXISTS", "* 1 RECENT");
        }
    }

    @Test
    void expungingARecentMessageUpdatesTheCount() throws Exception {
        deliver("carol@example.org", "one");
        deliver("carol@example.org", "two");
        try (ImapClient c = login("carol@example.org")) {
            c.command("a1 SELECT INBOX").expectUntagged("2 RECENT").expectOk();
            var r = c.command("a2 UID STORE 2 +FLAGS.SILENT (\\Deleted)").expectOk();
            r = c.command("a3 EXPUNGE").expectOk();
            assertThat(r.untagged).containsExactly("* 2 EXPUNGE", "* 1 RECENT");
        }
    }
}
