package org.postern.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.delivery.LocalDelivery;
import org.postern.testing.ImapClient;
import org.postern.testing.TestServer;

/** A session after ENABLE IMAP4rev2: what RFC 9051 Appendix E changed from RFC 3501. */
class Imap4rev2Test {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, false, "alice@example.org");
        for (String subject : List.of("one", "two")) {
            server.services().delivery().deliver(new java.io.ByteArrayInputStream(("Subject: " + subject + "\r\n\r\nHi\r\n")
                    .getBytes(StandardCharsets.UTF_8)), List.of("alice@example.org"), LocalDelivery.Folder.INBOX);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void noRecentEsearchAnswersUtf8NamesAndAListOnSelect() throws Exception {
        try (ImapClient c = ImapClient.tls(server.imapsPort())) {
            c.readLine();
            c.login("alice@example.org", TestServer.PASSWORD);
            c.command("a1 ENABLE IMAP4rev2").expectUntagged("ENABLED IMAP4rev2").expectOk();
            c.command("a2 CREATE \"Bücher\"").expectOk();
            c.command("a3 LIST \"\" \"B*\"").expectUntaggedMatching("LIST \\(.*\\) \"/\" \"Bücher\"");
            var select = c.command("a4 SELECT INBOX").expectOk();
            assertThat(select.untagged).contains("* 2 EXISTS", "* LIST () \"/\" \"INBOX\"")
                    .noneMatch(l -> l.contains("RECENT") || l.contains("[UNSEEN"));
            c.command("a5 FETCH 1:2 FLAGS").expectUntagged("1 FETCH (FLAGS ())").expectUntagged("2 FETCH (FLAGS ())");
            c.command("a6 STORE 2 +FLAGS.SILENT (\\Seen)").expectOk();
            c.command("a7 SEARCH UNSEEN").expectUntagged("ESEARCH (TAG \"a7\") ALL 1");
            c.command("a8 UID SEARCH ALL").expectUntagged("ESEARCH (TAG \"a8\") UID ALL 1:2");
            c.command("a9 SEARCH KEYWORD nothing").expectUntagged("ESEARCH (TAG \"a9\")");
            c.command("b1 STATUS INBOX (RECENT)").expectBad();
            c.command("b2 STATUS INBOX (MESSAGES DELETED SIZE)").expectUntaggedMatching("STATUS \"INBOX\" \\(MESSAGES 2 DELETED 0 SIZE \\d+\\)");
        }
    }
}
