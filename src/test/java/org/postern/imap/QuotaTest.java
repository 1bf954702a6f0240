package org.postern.imap;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postern.store.Directory;
import org.postern.testing.ImapClient;
import org.postern.testing.TestServer;

/** QUOTA (RFC 9208) with the account's storage limit. */
@Timeout(60)
class QuotaTest {
    @TempDir
    static Path dir;
    static TestServer server;
    static final String MESSAGE = "Subject: quota test\r\n\r\n" + "x".repeat(1000) + "\r\n"; // 1025 bytes

    @BeforeAll
    static void start() throws Exception {
        // no default limit: only an account given its own has a quota root
        server = TestServer.start(dir, java.util.Map.of("limits.quota", "0"), "full@example.org", "free@example.org");
        server.services().directory().update("full@example.org", new Directory.Settings(null, null, 3000L));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void reportsUsageAndRefusesWhatWouldGoOverTheLimit() throws Exception {
        try (ImapClient c = ImapClient.tls(server.imapsPort())) {
            c.readLine();
            c.login("full@example.org", TestServer.PASSWORD);
            c.command("a0 CAPABILITY").expectUntaggedMatching("CAPABILITY .* QUOTA QUOTA=RES-STORAGE.*");
            c.command("a1 GETQUOTAROOT INBOX").expectUntagged("QUOTAROOT \"INBOX\" \"\"").expectUntagged("QUOTA \"\" (STORAGE 0 2)")
                    .expectOk();
            c.command("a2 APPEND INBOX {1025+}\r\n" + MESSAGE).expectOk();
            c.command("a3 GETQUOTA \"\"").expectUntagged("QUOTA \"\" (STORAGE 2 2)").expectOk();
            c.command("a4 APPEND INBOX {1025+}\r\n" + MESSAGE).expectOk();
            c.command("a5 APPEND Archive {1025+}\r\n" + MESSAGE).expectNo("[OVERQUOTA]");
            c.command("a6 SELECT INBOX").expectUntagged("2 EXISTS");
            c.command("a7 COPY 1 Archive").expectOk(); // a copy adds no storage
            c.command("a8 GETQUOTA \"\"").expectUntagged("QUOTA \"\" (STORAGE 3 2)");
            c.command("a8a STORE 1:2 +FLAGS.SILENT (\\Deleted)").expectOk();
            // RFC 9208 §4.2.2: message 1 has a copy in Archive, so expunging frees only message 2
            c.command("a8b STATUS INBOX (DELETED-STORAGE DELETED)").expectUntagged("STATUS \"INBOX\" (DELETED-STORAGE 1025 DELETED 2)");
            server.services().directory().update("full@example.org", new Directory.Settings(null, null, 2000L));
            c.command("a9 COPY 1 Archive").expectNo("[OVERQUOTA]");
            c.command("b1 MOVE 1 Trash").expectOk(); // moving to Trash is how clients delete
            c.command("b2 SETQUOTA \"\" (STORAGE 100000)").expectNo("[NOPERM]");
            c.command("b3 GETQUOTA \"other\"").expectNo("[NONEXISTENT]");
            c.command("b4 GETQUOTAROOT Nowhere").expectNo("[NONEXISTENT]");
            c.command("b5 GETQUOTAROOT").expectBad();
        }
    }

    @Test
    void withoutALimitMailboxesHaveNoQuotaRoot() throws Exception {
        try (ImapClient c = ImapClient.tls(server.imapsPort())) {
            c.readLine();
            c.login("free@example.org", TestServer.PASSWORD);
            c.command("a1 GETQUOTAROOT INBOX").expectUntagged("QUOTAROOT \"INBOX\"").expectNoUntaggedMatching("QUOTA .*").expectOk();
            c.command("a2 GETQUOTA \"\"").expectNo("[NONEXISTENT]");
            c.command("a3 APPEND INBOX {1025+}\r\n" + MESSAGE).expectOk();
        }
    }
}
