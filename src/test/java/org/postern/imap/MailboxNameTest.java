package org.postern.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testing.ImapClient;
import org.postern.testing.TestServer;

/**
 * A mailbox name that is well-formed (an astring, RFC 9051 §9) but not valid modified UTF-7
 * (RFC 3501 §5.1.3) names no mailbox: every command that takes one answers NO with a response
 * code of RFC 5530, and does what a failed command of its kind does; syntax errors stay BAD.
 */
class MailboxNameTest {
    /** '&' starts an encoded run that never ends. */
    static final String BROKEN = "\"&Jjo\"";
    /** '.' encoded, where printable ASCII must stand for itself (James's Create.test line 69). */
    static final String NOT_CANONICAL = "\"one&AC4-two\"";

    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, false, "alice@example.org", "bob@example.org");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void commandsOnAnExistingMailboxAnswerNonExistent() throws Exception {
        try (ImapClient c = ImapFixture.login(server, "alice@example.org")) {
            c.command("a1 EXAMINE " + BROKEN).expectNo("[NONEXISTENT]").expectNo("not a valid mailbox name");
            c.command("a2 STATUS " + BROKEN + " (MESSAGES)").expectNo("[NONEXISTENT]");
            c.command("a3 DELETE " + NOT_CANONICAL).expectNo("[NONEXISTENT]").expectNo("canonical modified UTF-7");
            c.command("a4 RENAME " + BROKEN + " Elsewhere").expectNo("[NONEXISTENT]");
            c.command("a5 GETQUOTAROOT " + BROKEN).expectNo("[NONEXISTENT]");
            // not TRYCREATE: CREATE would refuse the name too (RFC 9051 §6.3.12)
            c.command("a6 APPEND " + BROKEN + " {3+}\r\nHi!").expectNo("[NONEXISTENT]");
            c.command("a7 LIST \"\" Elsewhere").expectNoUntaggedMatching("LIST .*").expectOk();
        }
    }

    @Test
    void aFailedSelectLeavesNoMailboxSelected() throws Exception {
        ImapFixture.deliver(server, "bob@example.org", "one");
        try (ImapClient c = ImapFixture.login(server, "bob@example.org")) {
            c.command("a1 SELECT INBOX").expectUntagged("1 EXISTS").expectOk();
            c.command("a2 COPY 1 " + BROKEN).expectNo("[NONEXISTENT]");
            c.command("a3 MOVE 1 " + BROKEN).expectNo("[NONEXISTENT]");
            c.command("a4 SEARCH ALL").expectUntagged("SEARCH 1").expectOk();
            // RFC 9051 §6.3.2: a SELECT that fails leaves no mailbox selected
            c.command("a5 SELECT " + BROKEN).expectNo("[NONEXISTENT]");
            c.command("a6 SEARCH ALL").expectBad();
        }
    }

    @Test
    void namesThatCannotBeCreatedAnswerCannot() throws Exception {
        try (ImapClient c = ImapFixture.login(server, "alice@example.org")) {
            c.command("a1 CREATE " + NOT_CANONICAL).expectNo("[CANNOT]").expectNo("\"one&AC4-two\" is not a valid mailbox name");
            c.command("a2 CREATE &AAE-").expectNo("[CANNOT]").expectNo("U+0001");
            c.command("a3 CREATE Keep").expectOk();
            c.command("a4 RENAME Keep " + BROKEN).expectNo("[CANNOT]");
            c.command("a5 SUBSCRIBE " + BROKEN).expectNo("[CANNOT]");
            c.command("a6 UNSUBSCRIBE " + BROKEN).expectNo("[CANNOT]");
            c.command("a7 LIST \"\" one*").expectNoUntaggedMatching("LIST .*").expectOk();
            c.command("a8 LIST \"\" Keep").expectUntagged("LIST (\\HasNoChildren) \"/\" \"Keep\"").expectOk();
        }
    }

    @Test
    void aListPatternThatIsNotModifiedUtf7MatchesNothing() throws Exception {
        try (ImapClient c = ImapFixture.login(server, "alice@example.org")) {
            c.command("a1 CREATE \"&-Jjo\"").expectOk(); // the mailbox named "&Jjo"
            c.command("a2 LIST \"\" " + BROKEN).expectNoUntaggedMatching("LIST .*").expectOk();
            c.command("a3 LIST \"\" \"&-Jjo\"").expectUntagged("LIST (\\HasNoChildren) \"/\" \"&-Jjo\"").expectOk();
            c.command("a4 LIST \"\" (" + BROKEN + " INBOX)").expectUntaggedMatching("LIST \\(.*\\) \"/\" \"INBOX\"")
                    .expectNoUntaggedMatching("LIST .*Jjo.*").expectOk();
            c.command("a5 LIST " + BROKEN + " \"\"").expectUntagged("LIST (\\Noselect) \"/\" \"\"").expectOk();
            c.command("a6 LSUB \"\" " + BROKEN).expectNoUntaggedMatching("LSUB .*").expectOk();
        }
    }

    @Test
    void syntaxErrorsStayBad() throws Exception {
        try (ImapClient c = ImapFixture.login(server, "alice@example.org")) {
            assertThat(c.command("a1 SELECT " + BROKEN + " (FOO)").expectBad().tagged).contains("unknown SELECT parameter");
            c.command("a2 CREATE a%b").expectBad(); // '%' is no ATOM-CHAR (RFC 9051 §9)
            c.command("a3 CREATE \"a%b\"").expectNo("[CANNOT]"); // well-formed; refused by rule
            c.command("a4 SELECT").expectBad();
        }
    }
}
