package org.postern.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postern.delivery.LocalDelivery;
import org.postern.testing.ImapClient;
import org.postern.testing.TestServer;

/** SORT, ESORT and THREAD (RFC 5256, RFC 5267, RFC 5957) over a real session. */
@Timeout(60)
class SortThreadTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, false, "sort@example.org");
        deliver("From: Zed <b@example.net>\r\nTo: Amy <z@example.org>\r\nSubject: Lunch\r\nMessage-ID: <1@x>\r\n"
                + "Date: Wed, 25 Nov 2026 10:00:00 +0000\r\n\r\nhello world\r\n");
        deliver("From: Amy <c@example.net>\r\nTo: y@example.org\r\nSubject: Re: lunch\r\nMessage-ID: <2@x>\r\n"
                + "In-Reply-To: <1@x>\r\nDate: Wed, 25 Nov 2026 12:00:00 +0000\r\n\r\nyes\r\n");
        deliver("From: a@example.net\r\nTo: Bob <x@example.org>\r\nSubject: [list] Budget\r\nMessage-ID: <3@x>\r\n"
                + "Date: Wed, 25 Nov 2026 09:00:00 +0000\r\n\r\nnumbers, a longer body than the others\r\n");
        deliver("From: d@example.net\r\nSubject: Re: Lunch\r\nMessage-ID: <4@x>\r\nReferences: <1@x> <2@x>\r\n"
                + "Date: Wed, 25 Nov 2026 13:00:00 +0000\r\n\r\nok\r\n");
        deliver("From: e@example.net\r\nSubject: Fwd: Budget\r\nMessage-ID: <5@x>\r\n"
                + "Date: Wed, 25 Nov 2026 08:00:00 +0000\r\n\r\nfyi\r\n");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static void deliver(String message) throws Exception {
        server.services().delivery().deliver(new java.io.ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)),
                List.of("sort@example.org"), LocalDelivery.Folder.INBOX);
    }

    @Test
    void sortsByEveryKeyAndKeepsSequenceOrderOnTies() throws Exception {
        try (ImapClient c = ImapClient.tls(server.imapsPort())) {
            c.readLine();
            c.login("sort@example.org", TestServer.PASSWORD);
            c.command("a0 CAPABILITY").expectUntaggedMatching("CAPABILITY .* SORT SORT=DISPLAY ESORT THREAD=ORDEREDSUBJECT THREAD=REFERENCES.*");
            c.command("a1 SELECT INBOX").expectOk();
            c.command("a2 SORT (SUBJECT) UTF-8 ALL").expectUntagged("SORT 3 5 1 2 4").expectOk();
            c.command("a3 SORT (DATE) UTF-8 ALL").expectUntagged("SORT 5 3 1 2 4");
            c.command("a4 SORT (REVERSE DATE) UTF-8 ALL").expectUntagged("SORT 4 2 1 3 5");
            c.command("a5 SORT (FROM) UTF-8 ALL").expectUntagged("SORT 3 1 2 4 5");
            c.command("a6 SORT (DISPLAYFROM) UTF-8 ALL").expectUntagged("SORT 3 2 4 5 1");
            c.command("a7 SORT (TO SUBJECT) UTF-8 ALL").expectUntagged("SORT 5 4 3 2 1");
            c.command("a8 SORT (REVERSE SIZE) US-ASCII ALL").expectUntagged("SORT 3 2 1 4 5");
            c.command("a9 SORT (ARRIVAL) UTF-8 SUBJECT lunch").expectUntagged("SORT 1 2 4");
            c.command("b1 UID SORT (SUBJECT REVERSE DATE) UTF-8 NOT 1").expectUntagged("SORT 3 5 4 2").expectOk();
            c.command("b2 SORT (SUBJECT) UTF-8 SUBJECT nothing").expectUntagged("SORT").expectOk();
            c.command("b3 SORT (NAME) UTF-8 ALL").expectBad();
            c.command("b4 SORT (DATE) KOI9 ALL").expectNo("[BADCHARSET");
            c.command("b5 SORT RETURN (MIN MAX COUNT ALL) (DATE) UTF-8 ALL")
                    .expectUntagged("ESEARCH (TAG \"b5\") MIN 5 MAX 4 COUNT 5 ALL 5,3,1:2,4").expectOk();
            c.command("b6 UID SORT RETURN (COUNT) (DATE) UTF-8 SUBJECT nothing").expectUntagged("ESEARCH (TAG \"b6\") UID COUNT 0");
        }
    }

    @Test
    void threadsByReferencesAndBySubject() throws Exception {
        try (ImapClient c = ImapClient.tls(server.imapsPort())) {
            c.readLine();
            c.login("sort@example.org", TestServer.PASSWORD);
            c.command("a1 EXAMINE INBOX").expectOk();
            // 1 <- 2 <- 4 by references; 5 "Fwd: Budget" joins 3 "[list] Budget" by subject
            c.command("a2 THREAD REFERENCES UTF-8 ALL").expectUntagged("THREAD (3 5)(1 2 4)").expectOk();
            c.command("a3 THREAD ORDEREDSUBJECT UTF-8 ALL").expectUntagged("THREAD (5 3)(1 (2)(4))").expectOk();
            c.command("a4 UID THREAD REFERENCES UTF-8 NOT UID 2").expectUntagged("THREAD (3 5)(1 4)");
            c.command("a5 THREAD REFERENCES UTF-8 SUBJECT nothing").expectUntagged("THREAD");
            c.command("a6 THREAD NEWEST UTF-8 ALL").expectBad();
        }
    }
}
