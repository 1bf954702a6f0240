package org.postern.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.store.Flags;
import org.postern.store.OutboundQueue;
import org.postern.store.SpecialUse;
import org.postern.testing.ImapClient;
import org.postern.testing.SmtpClient;
import org.postern.testing.TestServer;

/** Submission on 587 (STARTTLS) and 465 (TLS) over real sockets. */
class SubmissionTest {
    static final String PW = TestServer.PASSWORD;
    static final String BAD_CREDENTIALS = "5.7.8 Username and Password not accepted. For more information, go to "
            + "https://localhost/help/login";

    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, false, "alice@postern.test", "bob@postern.test", "carol@postern.test",
                "dave@postern.test", "erin@postern.test");
        server.services().directory().addAlias("sales@postern.test", "alice@postern.test");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static SmtpClient loggedIn(String user) throws Exception {
        SmtpClient c = SmtpClient.plain(server.submissionPort());
        c.ehlo();
        c.startTls();
        c.ehlo();
        c.authPlain(user, PW).expect(235).contains("2.7.0");
        return c;
    }

    static String message(String from, String to, String subject) {
        return "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\n\r\nHello.\r\n";
    }

    @Test
    void dsnAndRequiretlsGoWithTheQueuedMessage() throws Exception {
        try (SmtpClient c = SmtpClient.plain(server.submissionPort())) {
            c.ehlo();
            c.startTls();
            assertThat(c.send("EHLO client.example").expect(250).lines()).contains("DSN", "REQUIRETLS");
            c.authPlain("alice@postern.test", PW).expect(235);
            c.send("MAIL FROM:<alice@postern.test> REQUIRETLS RET=HDRS ENVID=A+2BB").expect(250);
            c.send("RCPT TO:<x@remote.example> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;X@remote.example").expect(250);
            c.data(message("alice@postern.test", "x@remote.example", "private")).expect(250);
        }
        org.postern.store.OutboundQueue.Entry e = server.services().queue().entries().getLast();
        assertThat(e.envelope().recipients()).containsExactly("x@remote.example");
        assertThat(e.envelope().options()).isEqualTo(new org.postern.store.OutboundQueue.Options(
                org.postern.store.OutboundQueue.Ret.HDRS, "A+B", true));
        assertThat(e.envelope().dsn("x@remote.example").notifyWord()).isEqualTo("SUCCESS,FAILURE");
        assertThat(e.envelope().dsn("x@remote.example").orcpt()).isEqualTo("rfc822;X@remote.example");
        server.services().queue().delete(e.id());
    }

    @Test
    void beforeStarttlsOnlyTheHarmlessCommandsAreServed() throws Exception {
        try (SmtpClient c = SmtpClient.plain(server.submissionPort())) {
            SmtpClient.Reply ehlo = c.send("EHLO client.example").expect(250);
            assertThat(ehlo.lines()).contains("STARTTLS").noneMatch(l -> l.startsWith("AUTH"));
            c.authPlain("alice@postern.test", PW).expect(530).contains("5.7.0 Must issue a STARTTLS command first.");
            c.send("MAIL FROM:<alice@postern.test>").expect(530).contains("5.7.0 Must issue a STARTTLS command first.");
            c.send("RCPT TO:<bob@postern.test>").expect(530);
            c.send("DATA").expect(530);
            c.write("BDAT 12 LAST\r\nNOOP\r\nNOOP\r\n"); // the chunk is data, never commands
            c.read().expect(530);
            c.send("VRFY bob").expect(530);
            c.send("NOOP").expect(250);
            c.send("RSET").expect(250);
            c.startTls();
            c.send("MAIL FROM:<alice@postern.test>").expect(503).contains("EHLO"); // RFC 3207 §4.2: start afresh
            SmtpClient.Reply after = c.send("EHLO client.example").expect(250);
            assertThat(after.lines()).contains("AUTH PLAIN LOGIN OAUTHBEARER XOAUTH2").doesNotContain("STARTTLS");
            c.send("STARTTLS").expect(503).contains("5.5.1 TLS is already active");
            c.send("MAIL FROM:<alice@postern.test>").expect(530).contains("5.7.0 Authentication Required.");
        }
    }

    @Test
    void wrongCredentialsGetGmailsWords() throws Exception {
        try (SmtpClient c = SmtpClient.plain(server.submissionPort())) {
            c.ehlo();
            c.startTls();
            c.ehlo();
            assertThat(c.authPlain("alice@postern.test", "wrong-password").expect(535).text()).isEqualTo(BAD_CREDENTIALS);
            assertThat(c.authPlain("nobody@postern.test", PW).expect(535).text()).isEqualTo(BAD_CREDENTIALS);
            c.send("AUTH CRAM-MD5").expect(504).contains("5.5.4");
            c.send("AUTH PLAIN !!!notbase64").expect(501).contains("5.5.2");
            c.send("AUTH LOGIN").expect(334).contains("VXNlcm5hbWU6");
            c.send("*").expect(501).contains("5.7.0");
            c.authPlain("alice@postern.test", PW).expect(235);
            c.authPlain("alice@postern.test", PW).expect(503).contains("Already authenticated");
        }
    }

    @Test
    void authLoginWithAndWithoutInitialResponse() throws Exception {
        String user = b64("bob@postern.test");
        try (SmtpClient c = SmtpClient.tls(server.submissionsPort())) {
            SmtpClient.Reply ehlo = c.send("EHLO client.example").expect(250);
            assertThat(ehlo.lines()).contains("AUTH PLAIN LOGIN OAUTHBEARER XOAUTH2").doesNotContain("STARTTLS");
            c.send("AUTH LOGIN").expect(334).contains("VXNlcm5hbWU6");
            c.send(user).expect(334).contains("UGFzc3dvcmQ6");
            c.send(b64(PW)).expect(235);
        }
        try (SmtpClient c = SmtpClient.tls(server.submissionsPort())) {
            c.ehlo();
            c.send("AUTH LOGIN " + user).expect(334).contains("UGFzc3dvcmQ6");
            c.send(b64("nope")).expect(535);
            c.send("AUTH PLAIN").expect(334);
            c.send(b64("\0bob@postern.test\0" + PW)).expect(235);
        }
    }

    @Test
    void theEnvelopeSenderMustBeTheAccountsOwn() throws Exception {
        try (SmtpClient c = loggedIn("alice@postern.test")) {
            c.send("MAIL FROM:<bob@postern.test>").expect(553).contains("5.7.1 <bob@postern.test>: Sender address rejected");
            c.send("MAIL FROM:<someone@gmail.example>").expect(553).contains("5.7.1");
            c.send("MAIL FROM:<>").expect(553).contains("5.7.1");
            c.send("MAIL FROM:<alice@postern.test> AUTH=<>").expect(250);
            c.send("RSET").expect(250);
            c.send("MAIL FROM:<Alice+Lists@POSTERN.test>").expect(250);
            c.send("RSET").expect(250);
            c.send("MAIL FROM:<sales@postern.test>").expect(250);
        }
    }

    @Test
    void theFromHeaderMustBeTheAccountsOwnAndNothingIsStoredOtherwise() throws Exception {
        int before = Mailboxes.inbox(server, "bob@postern.test").size();
        try (SmtpClient c = loggedIn("alice@postern.test")) {
            c.mail("alice@postern.test", List.of("bob@postern.test"), message("Boss <bob@postern.test>", "bob@postern.test", "forged"))
                    .expect(553).contains("5.7.1 The From header");
            c.mail("alice@postern.test", List.of("bob@postern.test"),
                    message("Alice <alice@postern.test>, Eve <eve@evil.example>", "bob@postern.test", "two")).expect(553);
            c.mail("alice@postern.test", List.of("bob@postern.test"), "Subject: no from\r\n\r\nx\r\n")
                    .expect(550).contains("5.6.0");
            // folded, and an alias: accepted; the session went on after the refusals
            c.mail("alice@postern.test", List.of("bob@postern.test"),
                    "From: \"Sales team\"\r\n <sales@postern.test>\r\nSubject: ok\r\n\r\nx\r\n").expect(250);
        }
        List<String> inbox = Mailboxes.inbox(server, "bob@postern.test");
        assertThat(inbox).hasSize(before + 1);
        assertThat(inbox.getLast()).contains("Subject: ok");
        assertThat(Mailboxes.spoolFiles(server)).isEmpty();
    }

    @Test
    void dateAndMessageIdAreAddedWhenMissingAndKeptOtherwise() throws Exception {
        try (SmtpClient c = loggedIn("carol@postern.test")) {
            c.mail("carol@postern.test", List.of("carol@postern.test"), message("carol@postern.test", "me", "bare")).expect(250);
            c.mail("carol@postern.test", List.of("carol@postern.test"),
                    "From: carol@postern.test\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\nMessage-ID: <mine@client>\r\n\r\nx\r\n")
                    .expect(250);
        }
        List<String> inbox = Mailboxes.inbox(server, "carol@postern.test");
        String added = inbox.get(inbox.size() - 2);
        assertThat(added).containsPattern("\r\nSubject: bare\r\nDate: [A-Z][a-z]{2}, \\d{1,2} [A-Z][a-z]{2} \\d{4} \\d\\d:\\d\\d:\\d\\d \\+0000\r\n"
                + "Message-ID: <[0-9a-f-]+@localhost>\r\n\r\nHello.\r\n$");
        assertThat(added).contains("with ESMTPSA id");
        String kept = inbox.getLast();
        assertThat(kept).containsOnlyOnce("Date:").containsOnlyOnce("Message-ID:").contains("Message-ID: <mine@client>");
    }

    @Test
    void aLocalMessageReachesTheInboxAndTheSendersSentOverImap() throws Exception {
        try (SmtpClient c = loggedIn("dave@postern.test")) {
            c.mail("dave@postern.test", List.of("erin@postern.test"), message("Dave <dave@postern.test>", "erin@postern.test",
                    "lunch")).expect(250);
        }
        try (ImapClient erin = ImapClient.tls(server.imapsPort())) {
            erin.readLine();
            erin.login("erin@postern.test", PW);
            erin.command("a SELECT INBOX").expectOk().expectUntagged("1 EXISTS");
            erin.command("b FETCH 1 (FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])").expectOk()
                    .expectUntaggedMatching("1 FETCH \\(FLAGS \\(\\) BODY\\[HEADER.FIELDS \\(SUBJECT\\)] \\{\\d+}\r\nSubject: lunch\r\n\r\n\\)");
        }
        try (ImapClient dave = ImapClient.tls(server.imapsPort())) {
            dave.readLine();
            dave.login("dave@postern.test", PW);
            dave.command("a SELECT Sent").expectOk().expectUntagged("1 EXISTS");
            dave.command("b FETCH 1 (FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])").expectOk()
                    .expectUntaggedMatching("1 FETCH \\(FLAGS \\(\\\\Seen\\) BODY\\[HEADER.FIELDS \\(SUBJECT\\)] \\{\\d+}\r\nSubject: lunch\r\n\r\n\\)");
        }
    }

    @Test
    void remoteRecipientsAreQueuedDurablyWithTheirEnvelope() throws Exception {
        int before = server.services().queue().entries().size();
        try (SmtpClient c = loggedIn("alice@postern.test")) {
            c.send("MAIL FROM:<alice@postern.test> BODY=8BITMIME").expect(250);
            c.send("RCPT TO:<friend@remote.example>").expect(250);
            c.send("RCPT TO:<@relay.example:other@elsewhere.example>").expect(250);
            c.send("RCPT TO:<bob@postern.test>").expect(250);
            c.send("RCPT TO:<nobody@postern.test>").expect(550).contains("5.1.1");
            c.data(message("alice@postern.test", "friend@remote.example", "to the world")).expect(250);
        }
        List<OutboundQueue.Entry> entries = server.services().queue().entries();
        assertThat(entries).hasSize(before + 1);
        OutboundQueue.Entry e = entries.getLast();
        assertThat(e.envelope().mailFrom()).isEqualTo("alice@postern.test");
        assertThat(e.envelope().recipients()).containsExactly("friend@remote.example", "other@elsewhere.example");
        assertThat(e.envelope().body()).isEqualTo(OutboundQueue.Body.EIGHT_BIT_MIME);
        assertThat(e.envelope().accountId()).isEqualTo(server.services().directory().account("alice@postern.test").orElseThrow().id());
        assertThat(e.recipients()).allMatch(r -> r.state() == OutboundQueue.State.PENDING && r.attempts() == 0);
        assertThat(server.services().store().blobs().exists(e.blob().sha256())).isTrue();
        String queued = java.nio.file.Files.readString(server.services().store().blobs().path(e.blob().sha256()));
        assertThat(queued).contains("Subject: to the world").contains("Message-ID:");
        assertThat(Mailboxes.inbox(server, "bob@postern.test").getLast()).contains("Subject: to the world");
        assertThat(Mailboxes.rows(server, "alice@postern.test", SpecialUse.SENT).getLast().flags()).isEqualTo(Flags.SEEN);
    }

    @Test
    void starttlsAfterAuthIsRefused() throws Exception {
        try (TestServer plain = TestServer.start(dir.resolve("loopback"), true, "alice@postern.test");
             SmtpClient c = SmtpClient.plain(plain.submissionPort())) {
            SmtpClient.Reply ehlo = c.send("EHLO client.example").expect(250);
            assertThat(ehlo.lines()).contains("STARTTLS", "AUTH PLAIN LOGIN OAUTHBEARER XOAUTH2");
            c.authPlain("alice@postern.test", PW).expect(235);
            c.send("STARTTLS").expect(503).contains("5.5.1");
            c.send("MAIL FROM:<alice@postern.test>").expect(250);
        }
    }

    @Test
    void authIsNotOfferedOnTheMx() throws Exception {
        try (SmtpClient c = SmtpClient.plain(server.smtpPort())) {
            c.ehlo();
            c.startTls();
            SmtpClient.Reply ehlo = c.send("EHLO client.example").expect(250);
            assertThat(ehlo.lines()).noneMatch(l -> l.startsWith("AUTH"));
            c.authPlain("alice@postern.test", PW).expect(502).contains("5.5.1");
        }
    }

    @Test
    void aStoreThatCannotTakeTheMessageGets451AndNothingIsKept() throws Exception {
        org.postern.store.OutboundQueue broken = new org.postern.store.OutboundQueue() {
            @Override
            public long enqueue(org.postern.store.BlobStore.Blob blob, Envelope envelope, long nextAttempt) {
                throw org.postern.store.StoreException.temporary("the disk is full (test)", null);
            }

            @Override
            public List<Entry> entries() {
                return List.of();
            }

            @Override
            public java.util.Optional<Entry> entry(long id) {
                return java.util.Optional.empty();
            }

            @Override
            public List<Entry> due(long now, int limit) {
                return List.of();
            }

            @Override
            public void record(long id, List<Update> updates, List<Notice> notices, boolean delayNotified, long now) {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean retryNow(long id, long now) {
                return false;
            }

            @Override
            public boolean delete(long id) {
                return false;
            }
        };
        int sent = Mailboxes.sent(server, "erin@postern.test").size();
        try (org.postern.net.Listener l = CustomListener.start(server, org.postern.smtp.SmtpSettings.Role.SUBMISSION,
                s -> s, lc -> lc.withImplicitTls(true), broken);
             SmtpClient c = SmtpClient.tls(l.port())) {
            c.ehlo();
            c.authPlain("erin@postern.test", PW).expect(235);
            c.send("AUTH PLAIN x").expect(503);
            c.mail("erin@postern.test", List.of("friend@remote.example"), message("erin@postern.test", "friend", "lost?"))
                    .expect(451).contains("4.3.0");
            c.send("NOOP").expect(250);
        }
        assertThat(Mailboxes.sent(server, "erin@postern.test")).hasSize(sent);
        assertThat(Mailboxes.spoolFiles(server)).isEmpty();
    }

    @Test
    void authNeedsEhloFirstAndDuplicateRecipientsCountOnce() throws Exception {
        try (SmtpClient c = SmtpClient.tls(server.submissionsPort())) {
            c.authPlain("carol@postern.test", PW).expect(503).contains("EHLO");
            c.ehlo();
            c.authPlain("carol@postern.test", PW).expect(235);
            int before = server.services().queue().entries().size();
            c.send("MAIL FROM:<carol@postern.test>").expect(250);
            c.send("RCPT TO:<x@remote.example>").expect(250);
            c.send("RCPT TO:<X@remote.example>").expect(250);
            c.data(message("carol@postern.test", "x@remote.example", "once")).expect(250);
            assertThat(server.services().queue().entries()).hasSize(before + 1);
            assertThat(server.services().queue().entries().getLast().envelope().recipients()).containsExactly("x@remote.example");
        }
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
