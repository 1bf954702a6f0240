package org.postern.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.delivery.LocalDelivery;
import org.postern.store.Directory;
import org.postern.testing.ImapClient;
import org.postern.testing.TestServer;

/** IMAP sessions over real sockets, as a client sees them. */
class ImapSessionTest {
    @TempDir
    static Path dir;
    static TestServer server;
    static final String PW = TestServer.PASSWORD;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, false, "alice@example.org", "bob@example.org", "carol@example.org", "dave@example.org",
                "erin@example.org", "frank@example.org",
                "gina@example.org", "hank@example.org", "ivan@example.org",
                "judy@example.org", "kate@example.org", "liam@example.org",
                "mona@example.org");
        deliver("alice@example.org", "From: Bob <bob@example.net>\r\nTo: alice@example.org\r\nSubject: Lunch\r\n"
                + "Date: Wed, 25 Nov 2026 10:00:00 +0100\r\nMessage-ID: <lunch@example.net>\r\n\r\nShall we meet at noon?\r\n");
        deliver("alice@example.org", "From: Carol <carol@example.net>\r\nTo: alice@example.org\r\nSubject: =?UTF-8?Q?Caf=C3=A9?=\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\nCaf=C3=A9 au lait\r\n--b\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\nAAECAw==\r\n--b--\r\n");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static void deliver(String to, String message) throws Exception {
        server.services().delivery().deliver(new java.io.ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)),
                List.of(to), LocalDelivery.Folder.INBOX);
    }

    @Test
    void theStartTlsPortHidesLoginUntilTls() throws Exception {
        try (ImapClient c = ImapClient.plain(server.imapPort())) {
            assertThat(c.readLine()).startsWith("* OK [CAPABILITY IMAP4rev1").contains("STARTTLS").contains("LOGINDISABLED")
                    .doesNotContain("AUTH=");
            c.command("a1 LOGIN alice@example.org " + PW).expectNo("[PRIVACYREQUIRED]");
            c.command("a2 AUTHENTICATE PLAIN " + plain("alice@example.org", PW)).expectNo("[PRIVACYREQUIRED]");
            c.command("a3 STARTTLS").expectOk();
            c.startTls();
            c.command("a4 CAPABILITY").expectUntaggedMatching("CAPABILITY .*AUTH=PLAIN AUTH=LOGIN.*")
                    .expectNoUntaggedMatching(".*STARTTLS.*").expectOk();
            c.command("a5 LOGIN alice@example.org " + PW).expectOk();
        }
    }

    @Test
    void commandsPipelinedAfterStartTlsAreDiscarded() throws Exception {
        try (ImapClient c = ImapClient.plain(server.imapPort())) {
            c.readLine();
            c.send("a1 STARTTLS\r\na2 LOGIN alice@example.org " + PW);
            assertThat(c.readLine()).startsWith("a1 OK");
            c.startTls();
            c.command("a3 NOOP").expectOk(); // a2 never ran: the next answer is a3's
        }
    }

    @Test
    void wrongPasswordsAndUnknownUsersGetTheSameAnswer() throws Exception {
        try (ImapClient c = ImapClient.tls(server.imapsPort())) {
            c.readLine();
            String wrong = c.command("a1 LOGIN alice@example.org wrong-password").expectNo("[AUTHENTICATIONFAILED]").tagged;
            String unknown = c.command("a2 LOGIN nobody@example.org wrong-password").expectNo("[AUTHENTICATIONFAILED]").tagged;
            assertThat(wrong.substring(3)).isEqualTo(unknown.substring(3)).isEqualTo("NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)");
            c.command("a3 SELECT INBOX").expectBad();
        }
    }

    @Test
    void anAccountWithImapOffIsToldSoOnlyWithTheRightPassword() throws Exception {
        server.services().directory().update("dave@example.org", new Directory.Settings(false, null, null));
        try (ImapClient c = ImapClient.tls(server.imapsPort())) {
            c.readLine();
            c.command("a1 LOGIN dave@example.org " + PW)
                    .expectNo("[ALERT] Your account is not enabled for IMAP use. Please visit your settings page and enable your account for IMAP access. (Failure)");
            c.command("a2 LOGIN dave@example.org wrong").expectNo("[AUTHENTICATIONFAILED]");
        } finally {
            server.services().directory().update("dave@example.org", new Directory.Settings(true, null, null));
        }
    }

    @Test
    void authenticatePlainAndLoginWithAndWithoutInitialResponse() throws Exception {
        try (ImapClient c = ImapClient.tls(server.imapsPort())) {
            c.readLine();
            c.command("a1 AUTHENTICATE PLAIN " + plain("alice@example.org", PW)).expectOk();
        }
        try (ImapClient c = ImapClient.tls(server.imapsPort())) {
            c.readLine();
            c.send("a1 AUTHENTICATE PLAIN");
            assertThat(c.readLine()).isEqualTo("+ ");
            c.send(plain("alice@example.org", PW));
            assertThat(c.readLine()).startsWith("a1 OK");
        }
        try (ImapClient c = ImapClient.tls(server.imapsPort())) {
            c.readLine();
            c.send("a1 AUTHENTICATE LOGIN");
            assertThat(c.readLine()).isEqualTo("+ VXNlcm5hbWU6");
            c.send(b64("alice@example.org"));
            assertThat(c.readLine()).isEqualTo("+ UGFzc3dvcmQ6");
            c.send(b64(PW));
            assertThat(c.readLine()).startsWith("a1 OK");
        }
        try (ImapClient c = ImapClient.tls(server.imapsPort())) {
            c.readLine();
            c.send("a1 AUTHENTICATE PLAIN");
            c.readLine();
            c.send("*");
            assertThat(c.readLine()).startsWith("a1 BAD");
            c.command("a2 AUTHENTICATE PLAIN !!!notbase64").expectBad();
            c.command("a3 AUTHENTICATE CRAM-MD5").expectNo("Unsupported");
            // RFC 9051 §6.2.2: an unsupported mechanism is NO whatever follows it; a response
            // that is not base64 is BAD only for a mechanism the server has (RFC 4959 §7)
            c.command("a4 AUTHENTICATE KERBEROS_V4 extra").expectNo("Unsupported authentication mechanism KERBEROS_V4");
            assertThat(c.command("a5 AUTHENTICATE PLAIN extra").expectBad().tagged).contains("not base64");
            assertThat(c.command("a6 AUTHENTICATE LOGIN YQ").expectBad().tagged).contains("not base64");
        }
    }

    @Test
    void selectFetchSearchStoreAndExpunge() throws Exception {
        try (ImapClient c = ImapClient.tls(server.imapsPort())) {
            c.readLine();
            c.login("alice@example.org", PW);
            c.command("a1 SELECT INBOX").expectUntagged("2 EXISTS").expectUntagged("2 RECENT")
                    .expectUntaggedMatching("OK \\[UIDVALIDITY \\d+] .*").expectUntagged("OK [UIDNEXT 3] Predicted next UID.")
                    .expectUntaggedMatching("FLAGS \\(.*\\\\Seen.*\\)").expectOk();
            c.command("a2 FETCH 1:* (UID FLAGS RFC822.SIZE)").expectUntaggedMatching("1 FETCH \\(UID 1 FLAGS \\(\\\\Recent\\) RFC822.SIZE \\d+\\)").expectOk();
            c.command("a3 FETCH 1 ENVELOPE").expectUntaggedMatching("1 FETCH \\(ENVELOPE \\(\"Wed, 25 Nov 2026 10:00:00 \\+0100\" \"Lunch\" .*\\)\\)").expectOk();
            c.command("a4 FETCH 2 BODYSTRUCTURE").expectUntaggedMatching("2 FETCH \\(BODYSTRUCTURE \\(\\(\"TEXT\" \"PLAIN\" .*\"MIXED\".*").expectOk();
            c.command("a5 FETCH 1 BODY.PEEK[TEXT]").expectUntagged("1 FETCH (BODY[TEXT] {24}\r\nShall we meet at noon?\r\n)").expectOk();
            c.command("a6 FETCH 1 FLAGS").expectUntagged("1 FETCH (FLAGS (\\Recent))");
            c.command("a7 FETCH 1 BODY[TEXT]<6.7>").expectUntagged("1 FETCH (BODY[TEXT]<6> {7}\r\nwe meet FLAGS (\\Seen \\Recent))");
            c.command("a8 FETCH 2 BINARY.PEEK[2]").expectUntagged("2 FETCH (BINARY[2] ~{4}\r\n\u0000\u0001\u0002\u0003)");
            c.command("a9 SEARCH SEEN").expectUntagged("SEARCH 1").expectOk();
            var r1 = c.command("b1 SEARCH BODY \"café\""); // 8-bit quoted text is taken as UTF-8
            assertThat(r1.untagged).as(r1.tagged).contains("* SEARCH 2");
            var r = c.command("b2 SEARCH CHARSET UTF-8 BODY {5+}\r\ncafé");
            assertThat(r.untagged).as(r.tagged).contains("* SEARCH 2");
            c.command("b3 UID SEARCH FROM carol SUBJECT \"café\"").expectUntagged("SEARCH 2");
            c.command("b4 SEARCH OR FROM bob SUBJECT nothing").expectUntagged("SEARCH 1");
            c.command("b5 SEARCH HEADER Message-ID lunch@").expectUntagged("SEARCH 1");
            c.command("b6 SEARCH SENTON 25-Nov-2026").expectUntagged("SEARCH 1");
            c.command("b7 STORE 1:2 +FLAGS (\\Flagged $Important)").expectUntaggedMatching("2 FETCH \\(FLAGS \\(\\\\Flagged \\\\Recent \\$Important\\)\\)")
                    .expectUntaggedMatching("FLAGS \\(.*\\$Important.*\\)").expectOk();
            c.command("b8 UID STORE 2 -FLAGS.SILENT ($Important)").expectNoUntaggedMatching(".*FETCH.*").expectOk();
            c.command("b9 FETCH 5 FLAGS").expectBad();
        }
    }

    @Test
    void copyMoveAppendAndExpunge() throws Exception {
        try (ImapClient c = ImapClient.tls(server.imapsPort())) {
            c.readLine();
            c.login("erin@example.org", PW);
            c.command("a1 APPEND INBOX (\\Seen) {14}\r\nSubject: x\r\n\r\n").expectOk();
            c.send("a2 APPEND INBOX {14}");
            assertThat(c.readLine()).startsWith("+ ");
            c.send("Subject: y\r\n\r\n");
            assertThat(c.readUntilTagged("a2").tagged).matches("a2 OK \\[APPENDUID \\d+ 2] .*");
            c.command("a3 APPEND INBOX (\\Flagged) {14+}\r\nSubject: z\r\n\r\n (\\Seen) {14+}\r\nSubject: w\r\n\r\n")
                    .expectOk().tagged.contains("3:4");
            c.command("a4 APPEND Nowhere {14+}\r\nSubject: z\r\n\r\n").expectNo("[TRYCREATE]");
            c.command("a5 SELECT INBOX").expectUntagged("4 EXISTS");
            assertThat(c.command("a6 COPY 1:2 Archive").expectOk().tagged).matches("a6 OK \\[COPYUID \\d+ 1:2 1:2] .*");
            c.command("a7 MOVE 1 Trash").expectUntaggedMatching("OK \\[COPYUID \\d+ 1 1] .*").expectUntagged("1 EXPUNGE").expectOk();
            c.command("a8 STORE 1 +FLAGS.SILENT (\\Deleted)").expectOk();
            c.command("a9 EXPUNGE").expectUntagged("1 EXPUNGE").expectOk();
            c.command("b1 UID SEARCH ALL").expectUntagged("SEARCH 3 4");
            c.command("b2 STATUS Archive (MESSAGES UIDNEXT UNSEEN)").expectUntagged("STATUS \"Archive\" (MESSAGES 2 UIDNEXT 3 UNSEEN 1)");
            c.command("b3 COPY 1 Nowhere").expectNo("[TRYCREATE]");
            c.command("b4 CLOSE").expectOk();
            c.command("b5 FETCH 1 FLAGS").expectBad();
        }
    }

    @Test
    void mailboxesAreCreatedListedRenamedAndDeleted() throws Exception {
        try (ImapClient c = ImapClient.tls(server.imapsPort())) {
            c.readLine();
            c.login("carol@example.org", PW);
            c.command("a1 CREATE Projects/2026/").expectOk();
            c.command("a2 CREATE Projects").expectNo("[ALREADYEXISTS]");
            c.command("a3 CREATE \"Caf&AOk-\"").expectOk();
            c.command("a4 LIST \"\" *").expectUntagged("LIST (\\HasNoChildren) \"/\" \"INBOX\"")
                    .expectUntagged("LIST (\\HasChildren) \"/\" \"Projects\"")
                    .expectUntagged("LIST (\\HasNoChildren) \"/\" \"Projects/2026\"")
                    .expectUntagged("LIST (\\HasNoChildren \\Sent) \"/\" \"Sent\"")
                    .expectUntagged("LIST (\\HasNoChildren) \"/\" \"Caf&AOk-\"").expectOk();
            c.command("a5 LIST \"\" %").expectNoUntaggedMatching(".*2026.*");
            c.command("a6 LIST \"\" \"\"").expectUntagged("LIST (\\Noselect) \"/\" \"\"");
            c.command("a7 RENAME Projects Work").expectOk();
            c.command("a8 LIST Work *").expectUntagged("LIST (\\HasNoChildren) \"/\" \"Work/2026\"");
            c.command("a9 DELETE Work").expectOk();
            c.command("b1 LIST \"\" Work").expectUntagged("LIST (\\Noselect \\HasChildren) \"/\" \"Work\"");
            c.command("b2 DELETE INBOX").expectNo("[CANNOT]");
            c.command("b3 CREATE Reports (USE (\\Drafts))").expectOk();
            c.command("b4 LIST (SPECIAL-USE) \"\" *").expectUntagged("LIST (\\HasNoChildren \\Drafts) \"/\" \"Reports\"")
                    .expectNoUntaggedMatching(".*INBOX.*");
            c.command("b5 LIST \"\" Sent RETURN (STATUS (MESSAGES UIDNEXT))")
                    .expectUntagged("STATUS \"Sent\" (MESSAGES 0 UIDNEXT 1)");
            c.command("b6 UNSUBSCRIBE Sent").expectOk();
            c.command("b7 LSUB \"\" S*").expectNoUntaggedMatching("LSUB .* \"Sent\"");
            c.command("b8 NAMESPACE").expectUntagged("NAMESPACE ((\"\" \"/\")) NIL NIL");
            c.command("b9 STATUS Sent (DELETED-STORAGE)").expectUntagged("STATUS \"Sent\" (DELETED-STORAGE 0)").expectOk();
        }
    }

    @Test
    void aSecondSessionSeesChangesAtCommandBoundariesAndExpungesWaitDuringFetch() throws Exception {
        deliver("frank@example.org", "Subject: one\r\n\r\nx\r\n");
        deliver("frank@example.org", "Subject: two\r\n\r\nx\r\n");
        try (ImapClient a = ImapClient.tls(server.imapsPort()); ImapClient b = ImapClient.tls(server.imapsPort())) {
            a.readLine();
            b.readLine();
            a.login("frank@example.org", PW);
            b.login("frank@example.org", PW);
            a.command("a1 SELECT INBOX").expectOk();
            b.command("b1 SELECT INBOX").expectOk();
            a.command("a2 STORE 1 +FLAGS (\\Deleted \\Seen)").expectOk();
            b.command("b2 NOOP").expectUntaggedMatching("1 FETCH \\(UID \\d+ FLAGS \\(\\\\Seen \\\\Deleted\\)\\)");
            a.command("a3 EXPUNGE").expectUntagged("1 EXPUNGE");
            b.command("b3 FETCH 1:* FLAGS").expectNoUntaggedMatching(".*EXPUNGE").expectOk();
            b.command("b4 NOOP").expectUntagged("1 EXPUNGE");
            deliver("frank@example.org", "Subject: three\r\n\r\nx\r\n");
            b.command("b5 NOOP").expectUntaggedMatching("\\d+ EXISTS");
        }
    }

    @Test
    void idleHearsOfNewMailAtOnce() throws Exception {
        try (ImapClient c = ImapClient.tls(server.imapsPort())) {
            c.readLine();
            c.login("bob@example.org", PW);
            c.command("a1 SELECT INBOX").expectOk();
            c.send("a2 IDLE");
            assertThat(c.readLine()).startsWith("+ ");
            long start = System.nanoTime();
            deliver("bob@example.org", "Subject: while idle\r\n\r\nx\r\n");
            String line = c.readLine();
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(line).matches("\\* \\d+ EXISTS");
            assertThat(millis).as("IDLE notification delay").isLessThan(5_000);
            c.send("DONE");
            assertThat(c.readUntilTagged("a2").tagged).startsWith("a2 OK");
            c.command("a3 NOOP").expectOk();
        }
    }

    @Test
    void idleEndsWithDoneEveryTimeAndTheSessionGoesOn() throws Exception {
        // The thread that reads DONE may still be alive just after it handed the line over;
        // that once made IDLE close the connection now and then.
        try (ImapClient c = ImapClient.tls(server.imapsPort())) {
            c.readLine();
            c.login("bob@example.org", PW);
            c.command("a1 SELECT INBOX").expectOk();
            for (int i = 0; i < 200; i++) {
                c.send("i" + i + " IDLE");
                assertThat(c.readLine()).startsWith("+ ");
                c.send("DONE");
                assertThat(c.readUntilTagged("i" + i).tagged).startsWith("i" + i + " OK");
            }
            c.command("a2 NOOP").expectOk();
        }
    }

    @Test
    void aKeywordNewToTheMailboxIsAnnouncedBeforeItIsUsed() throws Exception {
        try (ImapClient c = ImapClient.tls(server.imapsPort())) {
            c.readLine();
            c.login("ivan@example.org", PW);
            c.command("a1 SELECT INBOX").expectOk();
            // RFC 9051 §7.3.5: the client hears of the flag (FLAGS, PERMANENTFLAGS) before a FETCH shows it.
            var r = c.command("a2 APPEND INBOX ($Project) {14+}\r\nSubject: x\r\n\r\n").expectOk();
            assertThat(r.untagged).containsSubsequence("* FLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft $Project)",
                    "* OK [PERMANENTFLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft $Project \\*)] Flags permitted.",
                    "* 1 EXISTS");
            c.command("a3 FETCH 1 FLAGS").expectUntagged("1 FETCH (FLAGS (\\Recent $Project))");
        }
    }

    @Test
    void searchBodyLooksIntoTheHeaderOfAnAttachedMessage() throws Exception {
        deliver("judy@example.org", "Subject: Fwd\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                + "--b\r\nContent-Type: text/plain\r\n\r\nSee below.\r\n--b\r\nContent-Type: message/rfc822\r\n\r\n"
                + "Subject: Quarterly =?UTF-8?Q?r=C3=A9sum=C3=A9?=\r\nFrom: Ann <ann@example.net>\r\n\r\nNumbers.\r\n--b--\r\n");
        deliver("judy@example.org", "Subject: Other\r\n\r\nNothing here.\r\n");
        try (ImapClient c = ImapClient.tls(server.imapsPort())) {
            c.readLine();
            c.login("judy@example.org", PW);
            c.command("a1 SELECT INBOX").expectOk();
            // The attached message's header is part of the outer message's body (RFC 5322 §2.1).
            c.command("a2 SEARCH BODY quarterly").expectUntagged("SEARCH 1");
            c.command("a3 SEARCH TEXT \"ann@example.net\"").expectUntagged("SEARCH 1");
            c.command("a4 SEARCH BODY \"résumé\"").expectUntagged("SEARCH 1");
            c.command("a5 SEARCH BODY numbers").expectUntagged("SEARCH 1");
            c.command("a6 SEARCH BODY fwd").expectUntagged("SEARCH"); // the outer header is not body
        }
    }

    @Test
    void renamingTheSelectedMailboxKeepsItSelected() throws Exception {
        try (ImapClient c = ImapClient.tls(server.imapsPort())) {
            c.readLine();
            c.login("kate@example.org", PW);
            c.command("a1 CREATE Drafts2").expectOk();
            c.command("a2 APPEND Drafts2 {14+}\r\nSubject: x\r\n\r\n").expectOk();
            c.command("a3 SELECT Drafts2").expectUntagged("1 EXISTS").expectOk();
            c.command("a4 RENAME Drafts2 Plans").expectOk();
            // Nothing told the client its mailbox was closed, so it is not (RFC 2180 §3.4).
            c.command("a5 FETCH 1 (FLAGS)").expectUntagged("1 FETCH (FLAGS (\\Recent))").expectOk();
            c.command("a6 STORE 1 +FLAGS (\\Seen)").expectOk();
            c.command("a7 STATUS Plans (MESSAGES UNSEEN)").expectUntagged("STATUS \"Plans\" (MESSAGES 1 UNSEEN 0)");
        }
    }

    @Test
    void searchFromMatchesTheAddressAsTheEnvelopeReadsIt() throws Exception {
        deliver("liam@example.org", "From: <ann (work)@ (main) example.net>\r\nTo: liam@example.org\r\nSubject: a\r\n\r\nx\r\n");
        deliver("liam@example.org", "From: =?UTF-8?Q?Zo=C3=AB?= <zoe@example.net>\r\nSubject: b\r\n\r\nx\r\n");
        try (ImapClient c = ImapClient.tls(server.imapsPort())) {
            c.readLine();
            c.login("liam@example.org", PW);
            c.command("a1 SELECT INBOX").expectOk();
            // RFC 9051 §6.4.4: FROM looks in the envelope's from field, comments and folding gone.
            c.command("a2 SEARCH FROM ann@example.net").expectUntagged("SEARCH 1");
            c.command("a3 SEARCH FROM \"zoë\"").expectUntagged("SEARCH 2");
            c.command("a4 SEARCH TO liam@example.org").expectUntagged("SEARCH 1");
            c.command("a5 SEARCH FROM bob@example.net").expectUntagged("SEARCH");
        }
    }

    @Test
    void fetchingAMessageAnotherSessionExpungedSaysSo() throws Exception {
        deliver("mona@example.org", "Subject: one\r\n\r\nx\r\n");
        deliver("mona@example.org", "Subject: two\r\n\r\ny\r\n");
        try (ImapClient a = ImapClient.tls(server.imapsPort()); ImapClient b = ImapClient.tls(server.imapsPort())) {
            a.readLine();
            b.readLine();
            a.login("mona@example.org", PW);
            b.login("mona@example.org", PW);
            a.command("a1 SELECT INBOX").expectOk();
            b.command("b1 SELECT INBOX").expectOk();
            b.command("b2 STORE 1 +FLAGS.SILENT (\\Deleted)").expectOk();
            b.command("b3 EXPUNGE").expectUntagged("1 EXPUNGE");
            // Session a still has message 1 and may not hear of the EXPUNGE during FETCH (RFC 9051
            // §7.5.1): it gets what is left and a NO [EXPUNGEISSUED] (RFC 5530) saying why.
            var r = a.command("a2 FETCH 1:2 BODY.PEEK[TEXT]").expectNo("[EXPUNGEISSUED]");
            assertThat(r.untagged).contains("* 2 FETCH (BODY[TEXT] {3}\r\ny\r\n)").noneMatch(l -> l.endsWith("EXPUNGE"))
                    .noneMatch(l -> l.startsWith("* 1 FETCH (BODY"));
            a.command("a3 NOOP").expectUntagged("1 EXPUNGE").expectOk();
            a.command("a4 FETCH 1 BODY.PEEK[TEXT]").expectUntagged("1 FETCH (BODY[TEXT] {3}\r\ny\r\n)").expectOk();
        }
    }

    @Test
    void badInputGetsClearAnswersAndTheSessionGoesOn() throws Exception {
        try (ImapClient c = ImapClient.tls(server.imapsPort())) {
            c.readLine();
            c.command("a1 FROBNICATE").expectBad();
            c.send("\u0001\u0002garbage");
            assertThat(c.readLine()).startsWith("* BAD");
            c.command("a2 FETCH 1 FLAGS").expectBad(); // not logged in
            c.command("a3 LOGIN").expectBad();
            c.login("alice@example.org", PW);
            c.command("a4 SELECT \"no such\"").expectNo("[NONEXISTENT]");
            c.command("a5 APPEND INBOX {99999999999}").expectNo("[TOOBIG]");
            c.command("a6 NOOP").expectOk();
            c.command("a7 LOGOUT").expectUntagged("BYE Postern logging out").expectOk();
        }
    }

    @Test
    void fetchEchoesHeaderFieldNamesAsSent() throws Exception {
        deliver("gina@example.org", "From: Bob <bob@example.net>\r\nTo: gina@example.org\r\nSubject: Hi\r\n\r\nHello\r\n");
        try (ImapClient c = ImapClient.tls(server.imapsPort())) {
            c.readLine();
            c.login("gina@example.org", PW);
            c.command("a1 EXAMINE INBOX").expectOk();
            // Clients find the answer to their request by the section text: echoed as sent.
            c.command("a2 FETCH 1 BODY.PEEK[HEADER.FIELDS (From sUbJeCt)]")
                    .expectUntagged("1 FETCH (BODY[HEADER.FIELDS (From sUbJeCt)] {44}\r\nFrom: Bob <bob@example.net>\r\nSubject: Hi\r\n\r\n)");
        }
    }

    @Test
    void fetchReportsFlagsOnlyWhenItSetSeen() throws Exception {
        deliver("hank@example.org", "Subject: Hi\r\n\r\nHello\r\n");
        try (ImapClient c = ImapClient.tls(server.imapsPort())) {
            c.readLine();
            c.login("hank@example.org", PW);
            c.command("a1 SELECT INBOX").expectOk();
            // RFC 9051 §6.4.5: when fetching a body sets \Seen, the new FLAGS come along; later, not.
            c.command("a2 FETCH 1 BODY[TEXT]").expectUntagged("1 FETCH (BODY[TEXT] {7}\r\nHello\r\n FLAGS (\\Seen \\Recent))");
            c.command("a3 FETCH 1 BODY[TEXT]").expectUntagged("1 FETCH (BODY[TEXT] {7}\r\nHello\r\n)");
        }
    }

    private static String plain(String user, String password) {
        return b64("\0" + user + "\0" + password);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
