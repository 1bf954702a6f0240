package org.postern.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testing.ImapClient;
import org.postern.testing.TestServer;

/**
 * What IMAP4rev2 (RFC 9051) changed from RFC 3501, for a session after ENABLE IMAP4rev2; and the
 * pieces of it that are extensions of their own: UTF8=ACCEPT (RFC 6855), LITERAL+/LITERAL- (RFC 7888).
 */
class Imap4rev2Test {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, false, "alice@example.org", "bob@example.org", "carol@example.org");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void noRecentEsearchAnswersUtf8NamesAndAListOnSelect() throws Exception {
        ImapFixture.deliver(server, "alice@example.org", "one", "two");
        try (ImapClient c = ImapFixture.login(server, "alice@example.org")) {
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

    @Test
    void utf8AcceptNamesAndMessagesOnceEnabled() throws Exception {
        String subject = "Subject: Réunion à Zürich\r\n\r\nBonjour\r\n";
        int size = subject.getBytes(StandardCharsets.UTF_8).length;
        try (ImapClient c = ImapFixture.login(server, "bob@example.org")) {
            assertThat(c.command("a0 CAPABILITY").untagged.getFirst()).contains(" UTF8=ACCEPT");
            // Before ENABLE, the UTF8 APPEND form is not for this session.
            c.command("a1 APPEND INBOX UTF8 (~{" + size + "+}\r\n" + subject + ")").expectBad();
            c.command("a2 ENABLE UTF8=ACCEPT").expectUntagged("ENABLED UTF8=ACCEPT").expectOk();
            c.command("a3 CREATE \"Réunions/Zürich\"").expectOk();
            c.command("a4 LIST \"\" \"Réunions/*\"").expectUntaggedMatching("LIST \\(.*\\) \"/\" \"Réunions/Zürich\"");
            c.command("a5 APPEND \"Réunions/Zürich\" UTF8 (~{" + size + "+}\r\n" + subject + ")").expectOk();
            c.command("a6 SELECT \"Réunions/Zürich\"").expectUntagged("1 EXISTS").expectOk();
            // The header goes out as UTF-8, not as encoded words.
            c.command("a7 FETCH 1 ENVELOPE").expectUntaggedMatching("1 FETCH \\(ENVELOPE \\(NIL \"Réunion à Zürich\" .*\\)\\)");
        }
        try (ImapClient c = ImapFixture.login(server, "bob@example.org")) {
            // A session that did not enable it sees modified UTF-7 (RFC 3501 §5.1.3).
            c.command("b1 LIST \"\" \"R&AOk-unions/*\"").expectUntaggedMatching("LIST \\(.*\\) \"/\" \"R&AOk-unions/Z&APw-rich\"");
        }
    }

    /**
     * RFC 7888 §5: LITERAL- and LITERAL+ are never advertised together. Before login LITERAL-
     * (non-synchronizing literals up to 4096 octets), after login LITERAL+.
     */
    @Test
    void literalMinusBeforeLoginAndLiteralPlusAfter() throws Exception {
        try (ImapClient c = ImapClient.tls(server.imapsPort())) {
            assertThat(words(c.readLine())).contains("LITERAL-").doesNotContain("LITERAL+");
            assertThat(words(c.command("a1 CAPABILITY").expectOk().untagged.getFirst()))
                    .contains("IMAP4rev2", "LITERAL-").doesNotContain("LITERAL+");
            // Up to 4096 octets, a non-synchronizing literal is taken as it comes.
            c.command("a2 ID (\"x-pad\" {4096+}\r\n" + "x".repeat(4096) + ")").expectOk();
            // One octet more: BAD [TOOBIG]; its bytes are read and thrown away, never taken for commands.
            var refused = c.command("a3 ID (\"x-pad\" {4097+}\r\n" + "a4 LOGOUT\r\n".repeat(372) + "a4 LO)").expectBad();
            assertThat(refused.tagged).startsWith("a3 BAD [TOOBIG]");
            assertThat(refused.untagged).isEmpty();
            c.command("a5 NOOP").expectOk();

            var login = c.command("a6 LOGIN carol@example.org \"" + TestServer.PASSWORD + "\"").expectOk();
            assertThat(words(login.tagged)).contains("LITERAL+").doesNotContain("LITERAL-");
            assertThat(words(c.command("a7 CAPABILITY").expectOk().untagged.getFirst()))
                    .contains("IMAP4rev1", "IMAP4rev2", "LITERAL+", "BINARY", "CONDSTORE", "QRESYNC", "ESEARCH", "SEARCHRES", "UTF8=ACCEPT")
                    .doesNotContain("LITERAL-");
            // After login, a non-synchronizing literal of any size up to the limits, without a continuation.
            String message = "Subject: x\r\n\r\n" + "x".repeat(100_000);
            c.command("a8 APPEND INBOX {" + message.length() + "+}\r\n" + message).expectOk();
        }
    }

    /** Before login, a non-synchronizing literal larger than the reader will throw away closes the connection. */
    @Test
    void aHugeNonSynchronizingLiteralBeforeLoginClosesTheConnection() throws Exception {
        try (ImapClient c = ImapClient.tls(server.imapsPort())) {
            c.readLine();
            c.send("a1 ID (\"x-pad\" {50000000+}");
            assertThat(c.readLine()).startsWith("a1 BAD [TOOBIG]");
            assertThat(c.readLine()).startsWith("* BYE");
            assertThat(c.readLine()).isNull();
        }
    }

    private static List<String> words(String line) {
        return List.of(line.replace("[", " ").replace("]", " ").split(" "));
    }
}
