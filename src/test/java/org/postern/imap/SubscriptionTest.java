package org.postern.imap;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testing.ImapClient;
import org.postern.testing.TestServer;

/** SUBSCRIBE, UNSUBSCRIBE, LSUB and LIST (SUBSCRIBED) over the subscription list (RFC 9051 §6.3.7, RFC 5258). */
class SubscriptionTest {
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

    static ImapClient login(String user) throws Exception {
        ImapClient c = ImapClient.tls(server.imapsPort());
        c.readLine();
        c.login(user, TestServer.PASSWORD);
        return c;
    }

    @Test
    void aNewAccountsDefaultMailboxesAreSubscribedAndCreateSubscribesNothing() throws Exception {
        try (ImapClient c = login("alice@example.org")) {
            c.command("a1 CREATE Projects").expectOk();
            c.command("a2 LSUB \"\" *")
                    .expectUntagged("LSUB () \"/\" \"INBOX\"").expectUntagged("LSUB () \"/\" \"Sent\"")
                    .expectUntagged("LSUB () \"/\" \"Drafts\"").expectUntagged("LSUB () \"/\" \"Trash\"")
                    .expectUntagged("LSUB () \"/\" \"Junk\"").expectUntagged("LSUB () \"/\" \"Archive\"")
                    .expectNoUntaggedMatching("LSUB .*Projects").expectOk();
            c.command("a3 LIST \"\" Projects RETURN (SUBSCRIBED)").expectUntagged("LIST (\\HasNoChildren) \"/\" \"Projects\"").expectOk();
        }
    }

    @Test
    void deleteKeepsTheSubscriptionAsNonExistent() throws Exception {
        try (ImapClient c = login("bob@example.org")) {
            c.command("a1 CREATE Lists").expectOk();
            c.command("a2 SUBSCRIBE Lists").expectOk();
            c.command("a3 DELETE Lists").expectOk();
            c.command("a4 LIST (SUBSCRIBED) \"\" Lists").expectUntagged("LIST (\\NonExistent \\Subscribed) \"/\" \"Lists\"").expectOk();
            c.command("a5 LSUB \"\" Lists").expectUntagged("LSUB () \"/\" \"Lists\"").expectOk();
            c.command("a6 LIST \"\" Lists").expectNoUntaggedMatching("LIST .*Lists").expectOk();
            c.command("a7 CREATE Lists").expectOk(); // the same name again: still subscribed
            c.command("a8 LIST (SUBSCRIBED) \"\" Lists").expectUntagged("LIST (\\HasNoChildren \\Subscribed) \"/\" \"Lists\"").expectOk();
        }
    }

    @Test
    void aNameWithNoMailboxMayBeSubscribedAndUnsubscribingTwiceIsOk() throws Exception {
        try (ImapClient c = login("carol@example.org")) {
            c.command("a1 SUBSCRIBE Later/Child").expectOk();
            c.command("a2 LIST (SUBSCRIBED) \"\" *").expectUntagged("LIST (\\NonExistent \\Subscribed) \"/\" \"Later/Child\"").expectOk();
            c.command("a3 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" %")
                    .expectUntagged("LIST (\\NonExistent) \"/\" \"Later\" (\"CHILDINFO\" (\"SUBSCRIBED\"))").expectOk();
            c.command("a4 LSUB \"\" %").expectUntagged("LSUB (\\Noselect) \"/\" \"Later\"").expectOk();
            c.command("a5 UNSUBSCRIBE Later/Child").expectOk();
            c.command("a6 UNSUBSCRIBE Later/Child").expectOk(); // RFC 9051 §6.3.8: OK when not subscribed
            c.command("a7 LSUB \"\" *").expectNoUntaggedMatching(".*Later.*").expectOk();
            c.command("a8 SUBSCRIBE inbox").expectOk(); // INBOX in any case is INBOX
            c.command("a9 LSUB \"\" *").expectUntagged("LSUB () \"/\" \"INBOX\"").expectNoUntaggedMatching(".*\"inbox\".*").expectOk();
        }
    }

    @Test
    void renameCarriesSubscriptionsAndRenamingInboxLeavesItsOwn() throws Exception {
        try (ImapClient c = login("dave@example.org")) {
            c.command("a1 CREATE Work/Old").expectOk();
            c.command("a2 SUBSCRIBE Work").expectOk();
            c.command("a3 SUBSCRIBE Work/Old").expectOk();
            c.command("a4 RENAME Work Job").expectOk();
            c.command("a5 LSUB \"\" *").expectUntagged("LSUB () \"/\" \"Job\"").expectUntagged("LSUB () \"/\" \"Job/Old\"")
                    .expectNoUntaggedMatching(".*Work.*").expectOk();
            c.command("a6 RENAME INBOX Before").expectOk();
            c.command("a7 LIST \"\" (INBOX Before) RETURN (SUBSCRIBED)")
                    .expectUntagged("LIST (\\HasNoChildren \\Subscribed) \"/\" \"INBOX\"")
                    .expectUntagged("LIST (\\HasNoChildren) \"/\" \"Before\"").expectOk();
        }
    }
}
