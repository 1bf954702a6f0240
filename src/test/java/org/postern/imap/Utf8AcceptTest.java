package org.postern.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testing.ImapClient;
import org.postern.testing.TestServer;

/** UTF8=ACCEPT (RFC 6855): UTF-8 mailbox names and messages for the sessions that enable it. */
class Utf8AcceptTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, false, "alice@example.org");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static ImapClient login() throws Exception {
        ImapClient c = ImapClient.tls(server.imapsPort());
        c.readLine();
        c.login("alice@example.org", TestServer.PASSWORD);
        return c;
    }

    @Test
    void namesAndMessagesInUtf8OnceEnabled() throws Exception {
        String subject = "Subject: Réunion à Zürich\r\n\r\nBonjour\r\n";
        int size = subject.getBytes(StandardCharsets.UTF_8).length;
        try (ImapClient c = login()) {
            assertThat(c.command("a0 CAPABILITY").untagged.getFirst()).contains(" UTF8=ACCEPT");
            // Before ENABLE, the UTF8 APPEND form and raw UTF-8 names are not for this session.
            c.command("a1 APPEND INBOX UTF8 (~{" + size + "+}\r\n" + subject + ")").expectBad();
            c.command("a2 ENABLE UTF8=ACCEPT").expectUntagged("ENABLED UTF8=ACCEPT").expectOk();
            c.command("a3 CREATE \"Réunions/Zürich\"").expectOk();
            c.command("a4 LIST \"\" \"Réunions/*\"").expectUntaggedMatching("LIST \\(.*\\) \"/\" \"Réunions/Zürich\"");
            c.command("a5 APPEND \"Réunions/Zürich\" UTF8 (~{" + size + "+}\r\n" + subject + ")").expectOk();
            c.command("a6 SELECT \"Réunions/Zürich\"").expectUntagged("1 EXISTS").expectOk();
            // The header goes out as UTF-8, not as encoded words.
            c.command("a7 FETCH 1 ENVELOPE").expectUntaggedMatching("1 FETCH \\(ENVELOPE \\(NIL \"Réunion à Zürich\" .*\\)\\)");
        }
        try (ImapClient c = login()) {
            // A session that did not enable it sees modified UTF-7 (RFC 3501 §5.1.3).
            c.command("b1 LIST \"\" \"R&AOk-unions/*\"").expectUntaggedMatching("LIST \\(.*\\) \"/\" \"R&AOk-unions/Z&APw-rich\"");
        }
    }
}
