package org.postern.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testing.ImapClient;
import org.postern.testing.TestServer;

/** OBJECTID (RFC 8474), SAVEDATE (RFC 8514) and WITHIN (RFC 5032) over a real session. */
@Timeout(60)
class ObjectIdSaveDateTest {
    @TempDir
    static Path dir;
    static TestServer server;
    static final String FIRST = "Subject: first\r\nMessage-ID: <first@x>\r\n\r\nhello\r\n";
    static final String REPLY = "Subject: Re: first\r\nMessage-ID: <reply@x>\r\nReferences: <first@x>\r\n\r\nhi\r\n";
    static final String OTHER = "Subject: other\r\nMessage-ID: <other@x>\r\n\r\nhey\r\n";

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, false, "ids@example.org", "dates@example.org");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String append(String message) {
        return "APPEND INBOX {" + message.length() + "+}\r\n" + message;
    }

    static String group(String regex, String text) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(text).isTrue();
        return m.group(1);
    }

    @Test
    void mailboxEmailAndThreadIdsAreStable() throws Exception {
        try (ImapClient c = ImapClient.tls(server.imapsPort())) {
            c.readLine();
            c.login("ids@example.org", TestServer.PASSWORD);
            c.command("a0 CAPABILITY").expectUntaggedMatching("CAPABILITY .* WITHIN SAVEDATE OBJECTID.*");
            String created = c.command("a1 CREATE Projects").expectOk().tagged;
            String projects = group("\\[MAILBOXID \\((F\\d+)\\)]", created);
            c.command("a2 STATUS Projects (MAILBOXID MESSAGES)").expectUntagged("STATUS \"Projects\" (MAILBOXID (" + projects + ") MESSAGES 0)");
            c.command("a3 RENAME Projects Work").expectOk();
            c.command("a4 SELECT Work").expectUntagged("OK [MAILBOXID (" + projects + ")] Ok");
            c.command("a5 LIST \"\" Work RETURN (STATUS (MAILBOXID))").expectUntagged("STATUS \"Work\" (MAILBOXID (" + projects + "))");
            String inbox = group("MAILBOXID \\((F\\d+)\\)", String.join("\n", c.command("a6 STATUS INBOX (MAILBOXID)").untagged));
            assertThat(inbox).isNotEqualTo(projects);

            c.command("b1 " + append(FIRST)).expectOk();
            c.command("b2 " + append(REPLY)).expectOk();
            c.command("b3 " + append(OTHER)).expectOk();
            c.command("b4 SELECT INBOX").expectUntagged("3 EXISTS");
            String ids = String.join("\n", c.command("b5 FETCH 1:3 (EMAILID THREADID)").expectOk().untagged);
            String e1 = group("1 FETCH \\(EMAILID \\(([A-Za-z0-9_-]+)\\) THREADID \\(T[0-9a-f]+\\)\\)", ids);
            String t1 = group("1 FETCH \\(EMAILID \\(\\S+\\) THREADID \\((T[0-9a-f]+)\\)\\)", ids);
            String t2 = group("2 FETCH \\(EMAILID \\(\\S+\\) THREADID \\((T[0-9a-f]+)\\)\\)", ids);
            String t3 = group("3 FETCH \\(EMAILID \\(\\S+\\) THREADID \\((T[0-9a-f]+)\\)\\)", ids);
            assertThat(t2).isEqualTo(t1);
            assertThat(t3).isNotEqualTo(t1);
            c.command("b6 SEARCH THREADID " + t1).expectUntagged("SEARCH 1 2");
            c.command("b7 SEARCH EMAILID " + e1).expectUntagged("SEARCH 1");
            c.command("b8 SEARCH EMAILID Mnothing").expectUntagged("SEARCH");
            c.command("b9 COPY 1 Work").expectOk();
            c.command("c1 SELECT Work").expectOk();
            c.command("c2 FETCH 1 EMAILID").expectUntagged("1 FETCH (EMAILID (" + e1 + "))"); // a copy keeps its EMAILID
            c.command("c3 UID FETCH 1 THREADID").expectUntagged("1 FETCH (UID 1 THREADID (" + t1 + "))");
            c.command("c4 SEARCH EMAILID bad!id").expectBad();
        }
    }

    @Test
    void saveDateIsWhenTheMessageEnteredTheMailbox() throws Exception {
        String today = LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("d-MMM-yyyy", Locale.ROOT));
        try (ImapClient c = ImapClient.tls(server.imapsPort())) {
            c.readLine();
            c.login("dates@example.org", TestServer.PASSWORD);
            c.command("a1 APPEND INBOX \"17-Jul-1996 02:44:25 -0700\" {" + FIRST.length() + "+}\r\n" + FIRST).expectOk();
            c.command("a2 " + append(OTHER)).expectOk();
            c.command("a3 SELECT INBOX").expectOk();
            var r = c.command("a4 FETCH 1 (INTERNALDATE SAVEDATE)").expectOk();
            assertThat(r.untagged.getFirst()).matches("\\* 1 FETCH \\(INTERNALDATE \"17-Jul-1996 09:44:25 \\+0000\" "
                    + "SAVEDATE \"\\d\\d-[A-Z][a-z]{2}-20\\d\\d \\d\\d:\\d\\d:\\d\\d \\+0000\"\\)");
            c.command("a5 SEARCH SAVEDON " + today).expectUntagged("SEARCH 1 2");
            c.command("a6 SEARCH SAVEDBEFORE 1-Jan-2000").expectUntagged("SEARCH");
            c.command("a7 SEARCH SAVEDSINCE " + today + " BEFORE 1-Jan-2000").expectUntagged("SEARCH 1");
            c.command("a8 SEARCH SAVEDATESUPPORTED").expectUntagged("SEARCH 1 2");
            c.command("a9 SEARCH OLDER 86400").expectUntagged("SEARCH 1");
            c.command("b1 SEARCH YOUNGER 86400").expectUntagged("SEARCH 2");
            c.command("b2 SEARCH OLDER 0").expectBad();
        }
    }
}
