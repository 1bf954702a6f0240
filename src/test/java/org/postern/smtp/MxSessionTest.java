package org.postern.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.store.SpecialUse;
import org.postern.testing.SmtpClient;
import org.postern.testing.TestServer;

/** The MX on port 25 over real sockets: greeting, EHLO, a delivery, the command errors. */
class MxSessionTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, false, "alice@postern.test", "bob@postern.test");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    SmtpClient connect() throws Exception {
        return SmtpClient.plain(server.smtpPort());
    }

    @Test
    void ehloAdvertisesOnlyWhatWorks() throws Exception {
        try (SmtpClient c = connect()) {
            SmtpClient.Reply r = c.send("EHLO client.example").expect(250);
            assertThat(r.lines()).first().asString().startsWith("localhost at your service, [127.0.0.1]");
            assertThat(r.lines()).containsExactly(r.lines().getFirst(), "SIZE 36700160", "8BITMIME", "STARTTLS",
                    "ENHANCEDSTATUSCODES", "PIPELINING", "CHUNKING", "BINARYMIME", "SMTPUTF8", "DSN");
            assertThat(r.text()).doesNotContain("AUTH").doesNotContain("REQUIRETLS"); // RFC 8689: not without TLS
            c.send("QUIT").expect(221);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void aMessageIsDeliveredToTheInboxWithAuthenticationResultsAndAReceivedField() throws Exception {
        int before = Mailboxes.inbox(server, "bob@postern.test").size();
        try (SmtpClient c = connect()) {
            c.ehlo();
            c.mail("someone@remote.example", List.of("Bob@Postern.Test"),
                    "From: someone@remote.example\r\nSubject: hello\r\n\r\nHi Bob\r\n.leading dot\r\n")
                    .expect(250).contains("2.0.0");
        }
        List<String> inbox = Mailboxes.inbox(server, "bob@postern.test");
        assertThat(inbox).hasSize(before + 1);
        String m = inbox.getLast();
        assertThat(m).startsWith("Authentication-Results: localhost;\r\n\tspf=none (remote.example has no SPF record) "
                + "smtp.mailfrom=someone@remote.example;\r\n\tdkim=none (no signature);\r\n\tdmarc=none (remote.example publishes "
                + "no DMARC policy) header.from=remote.example\r\nReceived: from client.example ([127.0.0.1])\r\n\tby localhost "
                + "(Postern) with ESMTP id ");
        assertThat(m).endsWith("From: someone@remote.example\r\nSubject: hello\r\n\r\nHi Bob\r\n.leading dot\r\n");
        assertThat(m).doesNotContain("Message-ID").doesNotContain("\r\nDate:");
    }

    @Test
    void heloWorksTooAndSubaddressesDeliver() throws Exception {
        try (SmtpClient c = connect()) {
            c.send("HELO client.example").expect(250).contains("localhost");
            c.mail("", List.of("alice+news@postern.test"), "Subject: bounce\r\n\r\nx\r\n").expect(250);
        }
        assertThat(Mailboxes.inbox(server, "alice@postern.test").getLast()).contains("with SMTP id").contains("Subject: bounce");
    }

    @Test
    void commandsOutOfOrderGet503() throws Exception {
        try (SmtpClient c = connect()) {
            c.send("MAIL FROM:<a@remote.example>").expect(503).contains("5.5.1 Send EHLO");
            c.send("EHLO").expect(501).contains("5.5.4");
            c.send("HELO").expect(501).contains("5.5.4");
            c.send("QUIT now").expect(501);
            c.ehlo();
            c.send("RCPT TO:<bob@postern.test>").expect(503).contains("5.5.1 Need MAIL");
            c.send("DATA").expect(503).contains("5.5.1");
            c.send("MAIL FROM:<a@remote.example>").expect(250).contains("2.1.0");
            c.send("MAIL FROM:<a@remote.example>").expect(503).contains("5.5.1 Sender already specified");
            c.send("DATA").expect(503).contains("5.5.1 Need RCPT");
            c.send("RCPT TO:<nobody@postern.test>").expect(550).contains("5.1.1").contains("no such user");
            c.send("DATA").expect(554).contains("5.5.1 No valid recipients");
            c.send("RSET").expect(250).contains("2.0.0");
            c.send("RCPT TO:<bob@postern.test>").expect(503);
            c.send("NOOP").expect(250);
            c.send("NOOP whatever").expect(250);
            c.send("VRFY bob").expect(252).contains("2.1.5");
            c.send("EXPN staff").expect(502);
            c.send("HELP").expect(214);
            c.send("FOO bar").expect(500).contains("5.5.1");
            c.send("RSET now").expect(501).contains("5.5.4");
            c.send("QUIT").expect(221);
        }
    }

    @Test
    void parametersAreChecked() throws Exception {
        try (SmtpClient c = connect()) {
            c.ehlo();
            c.send("MAIL FROM:<a@remote.example> SIZE=99999999999").expect(552).contains("5.3.4");
            c.send("MAIL FROM:<a@remote.example> SIZE=abc").expect(501).contains("5.5.4");
            c.send("MAIL FROM:<a@remote.example> XFOO=1").expect(555).contains("5.5.4");
            c.send("MAIL FROM:<a@remote.example> AUTH=<>").expect(555);
            c.send("MAIL FROM:<a@remote.example> BODY=9BIT").expect(501);
            c.send("MAIL FROM:<a@remote.example> SIZE=10 SIZE=10").expect(501);
            c.send("MAIL FROM:a@remote.example").expect(501).contains("5.1.7");
            c.send("MAIL FROM:<a@remote.example> BODY=8BITMIME SIZE=100 SMTPUTF8").expect(250);
            c.send("RCPT TO:<bob@postern.test> XFOO=BAR").expect(555);
            c.send("RCPT TO:<bob@postern.test>").expect(250);
            c.data("Subject: 8bit \u00e9\r\n\r\nbody\r\n").expect(250);
        }
    }

    @Test
    void dsnParametersAreCheckedWithAClearText() throws Exception { // RFC 3461 §4
        try (SmtpClient c = connect()) {
            c.ehlo();
            c.send("MAIL FROM:<a@remote.example> RET=BODY").expect(501).contains("5.5.4").contains("RET is FULL or HDRS");
            c.send("MAIL FROM:<a@remote.example> RET").expect(501).contains("5.5.4");
            c.send("MAIL FROM:<a@remote.example> ENVID=abc+2").expect(501).contains("5.5.4").contains("xtext");
            c.send("MAIL FROM:<a@remote.example> ENVID=abc+0A").expect(501).contains("printable ASCII");
            c.send("MAIL FROM:<a@remote.example> ENVID=" + "x".repeat(101)).expect(501).contains("100 characters");
            c.send("MAIL FROM:<a@remote.example> RET=HDRS RET=FULL").expect(501).contains("twice");
            c.send("MAIL FROM:<a@remote.example> REQUIRETLS").expect(530).contains("5.7.10").contains("TLS");
            c.send("MAIL FROM:<a@remote.example> ret=full ENVID=" + "x".repeat(100)).expect(250);
            c.send("RCPT TO:<bob@postern.test> NOTIFY=NEVER,SUCCESS").expect(501).contains("5.5.4").contains("NEVER cannot");
            c.send("RCPT TO:<bob@postern.test> NOTIFY=SUCCESS,SUCCESS").expect(501).contains("twice");
            c.send("RCPT TO:<bob@postern.test> NOTIFY=SOMETIMES").expect(501).contains("SUCCESS, FAILURE and DELAY");
            c.send("RCPT TO:<bob@postern.test> NOTIFY=").expect(501);
            c.send("RCPT TO:<bob@postern.test> ORCPT=bob@postern.test").expect(501).contains("addr-type;address");
            c.send("RCPT TO:<bob@postern.test> ORCPT=rfc822;").expect(501).contains("empty");
            c.send("RCPT TO:<bob@postern.test> ORCPT=rfc822;a+ZZ").expect(501).contains("xtext");
            c.send("RCPT TO:<bob@postern.test> ORCPT=rfc822;" + "b".repeat(500)).expect(501).contains("500 characters");
            c.send("RCPT TO:<bob@postern.test> notify=success,failure,delay ORCPT=rfc822;b+2Bob@postern.test").expect(250);
            c.send("RCPT TO:<alice@postern.test> NOTIFY=never").expect(250);
            c.send("RSET").expect(250);
        }
    }

    @Test
    void requiretlsIsOfferedAndAcceptedOnlyOverTls() throws Exception { // RFC 8689
        try (SmtpClient c = connect()) {
            c.ehlo();
            c.send("MAIL FROM:<a@remote.example> REQUIRETLS").expect(530).contains("5.7.10");
            c.startTls();
            SmtpClient.Reply r = c.send("EHLO client.example").expect(250);
            assertThat(r.lines()).contains("DSN", "REQUIRETLS").doesNotContain("STARTTLS");
            c.send("MAIL FROM:<a@remote.example> REQUIRETLS=YES").expect(501).contains("REQUIRETLS takes no value");
            c.send("MAIL FROM:<a@remote.example> REQUIRETLS").expect(250);
            c.send("RCPT TO:<bob@postern.test>").expect(250);
            c.data("From: a@remote.example\r\nSubject: private\r\n\r\nx\r\n").expect(250);
        }
        assertThat(Mailboxes.inbox(server, "bob@postern.test").getLast()).contains("Subject: private").contains("with ESMTPS");
    }

    @Test
    void notifySuccessOnALocalDeliveryQueuesADeliveredNoticeWithEnvidAndOrcpt() throws Exception { // RFC 3461 §5.2.3
        int queued = server.services().queue().entries().size();
        try (SmtpClient c = connect()) {
            c.ehlo();
            c.send("MAIL FROM:<someone@remote.example> RET=FULL ENVID=QQ+2B314").expect(250);
            c.send("RCPT TO:<bob@postern.test> NOTIFY=SUCCESS ORCPT=rfc822;Robert+2Bx@postern.test").expect(250);
            c.send("RCPT TO:<alice@postern.test> NOTIFY=FAILURE").expect(250);
            c.data("From: someone@remote.example\r\nSubject: tell me\r\n\r\nsecret body\r\n").expect(250);
        }
        List<org.postern.store.OutboundQueue.Entry> entries = server.services().queue().entries();
        assertThat(entries).hasSize(queued + 1);
        org.postern.store.OutboundQueue.Entry notice = entries.getLast();
        assertThat(notice.envelope().mailFrom()).isEmpty();
        assertThat(notice.envelope().recipients()).containsExactly("someone@remote.example");
        assertThat(java.nio.file.Files.readString(server.services().store().blobs().path(notice.blob().sha256())))
                .contains("Subject: Delivery Status Notification (Success)")
                .contains("Original-Envelope-Id: QQ+314\r\nReporting-MTA: dns; localhost\r\n")
                .contains("Original-Recipient: rfc822; Robert+x@postern.test\r\nFinal-Recipient: rfc822; bob@postern.test\r\n"
                        + "Action: delivered\r\nStatus: 2.0.0\r\n")
                .contains("Content-Type: text/rfc822-headers\r\n\r\n").contains("Subject: tell me")
                .doesNotContain("secret body") // RET applies to failures only (RFC 3461 §4.3)
                .doesNotContain("alice@postern.test");
        server.services().queue().delete(notice.id());
    }

    @Test
    void notifyNeverSilencesTheNoticeOfAnAccountThatVanished() throws Exception {
        server.services().directory().addAccount("dave@postern.test", org.postern.auth.Passwords.hash(TestServer.PASSWORD));
        int queued = server.services().queue().entries().size();
        try (SmtpClient c = connect()) {
            c.ehlo();
            c.send("MAIL FROM:<someone@remote.example>").expect(250);
            c.send("RCPT TO:<bob@postern.test>").expect(250);
            c.send("RCPT TO:<dave@postern.test> NOTIFY=NEVER").expect(250);
            server.services().directory().removeAccount("dave@postern.test");
            c.data("From: someone@remote.example\r\nSubject: quiet\r\n\r\nx\r\n").expect(250);
        }
        assertThat(server.services().queue().entries()).hasSize(queued);
    }

    @Test
    void nonAsciiAddressesNeedSmtputf8() throws Exception {
        try (SmtpClient c = connect()) {
            c.ehlo();
            c.send("MAIL FROM:<j\u00f6rg@remote.example>").expect(553).contains("5.6.7");
            c.send("MAIL FROM:<a@remote.example>").expect(250);
            c.send("RCPT TO:<b\u00f6b@postern.test>").expect(553).contains("5.6.7");
            c.send("RSET").expect(250);
            c.send("MAIL FROM:<j\u00f6rg@r\u00e9mote.example> SMTPUTF8").expect(250);
            c.send("RCPT TO:<b\u00f6b@postern.test>").expect(550).contains("5.1.1");
            c.writeRaw(new byte[] {'R', 'C', 'P', 'T', ' ', 'T', 'O', ':', '<', (byte) 0xff, '@', 'x', '>', '\r', '\n'});
            c.read().expect(500).contains("5.5.2").contains("UTF-8");
            c.send("NOOP").expect(250);
        }
    }

    @Test
    void dmarcRejectIsRefusedAtTheEndOfDataAndQuarantineGoesToJunk() throws Exception {
        server.dns.zone.txt("reject.example", "v=spf1 ip4:192.0.2.1 -all").txt("_dmarc.reject.example", "v=DMARC1; p=reject")
                .txt("quarantine.example", "v=spf1 ip4:192.0.2.1 -all")
                .txt("_dmarc.quarantine.example", "v=DMARC1; p=quarantine");
        int inbox = Mailboxes.inbox(server, "bob@postern.test").size();
        int junk = Mailboxes.texts(server, "bob@postern.test", SpecialUse.JUNK).size();
        try (SmtpClient c = connect()) {
            c.ehlo();
            c.mail("ceo@reject.example", List.of("bob@postern.test"), "From: ceo@reject.example\r\nSubject: wire money\r\n\r\nx\r\n")
                    .expect(550).contains("5.7.1 Unauthenticated email from reject.example is not accepted due to the domain's "
                            + "DMARC policy");
            c.send("NOOP").expect(250); // RFC 5321 §4.1.1.4: the session goes on
            c.mail("news@quarantine.example", List.of("bob@postern.test"),
                    "From: news@quarantine.example\r\nSubject: offer\r\n\r\nx\r\n").expect(250);
        }
        assertThat(Mailboxes.inbox(server, "bob@postern.test")).hasSize(inbox);
        List<String> junked = Mailboxes.texts(server, "bob@postern.test", SpecialUse.JUNK);
        assertThat(junked).hasSize(junk + 1);
        assertThat(junked.getLast()).startsWith("Authentication-Results: localhost;\r\n\tspf=fail")
                .contains("dmarc=fail (p=quarantine dis=quarantine) header.from=quarantine.example\r\n");
    }

    @Test
    void aForgedAuthenticationResultsOfThisHostIsRemoved() throws Exception {
        try (SmtpClient c = connect()) {
            c.ehlo();
            c.mail("someone@remote.example", List.of("alice@postern.test"), "Authentication-Results: localhost; dmarc=pass "
                    + "header.from=bank.example\r\nAuthentication-Results: elsewhere.example; spf=pass\r\n"
                    + "From: someone@remote.example\r\nSubject: trust me\r\n\r\nx\r\n").expect(250);
        }
        String m = Mailboxes.inbox(server, "alice@postern.test").getLast();
        assertThat(m).contains("Subject: trust me").doesNotContain("bank.example").contains("Authentication-Results: elsewhere.example");
        assertThat(m.split("Authentication-Results: localhost", -1)).hasSize(2); // only the one Postern wrote
    }

    @Test
    void aRecipientWhoseAccountVanishesBeforeTheEndOfDataGetsTheSenderANotice() throws Exception {
        server.services().directory().addAccount("carol@postern.test", org.postern.auth.Passwords.hash(TestServer.PASSWORD));
        int queued = server.services().queue().entries().size();
        try (SmtpClient c = connect()) {
            c.ehlo();
            c.send("MAIL FROM:<someone@remote.example>").expect(250);
            c.send("RCPT TO:<bob@postern.test>").expect(250);
            c.send("RCPT TO:<carol@postern.test>").expect(250);
            server.services().directory().removeAccount("carol@postern.test");
            c.data("From: someone@remote.example\r\nSubject: for two\r\n\r\nx\r\n").expect(250);
        }
        assertThat(Mailboxes.inbox(server, "bob@postern.test").getLast()).contains("Subject: for two");
        List<org.postern.store.OutboundQueue.Entry> entries = server.services().queue().entries();
        assertThat(entries).hasSize(queued + 1);
        org.postern.store.OutboundQueue.Entry notice = entries.getLast();
        assertThat(notice.envelope().mailFrom()).isEmpty(); // RFC 3464 §2: from the null sender
        assertThat(notice.envelope().recipients()).containsExactly("someone@remote.example");
        assertThat(java.nio.file.Files.readString(server.services().store().blobs().path(notice.blob().sha256())))
                .contains("Final-Recipient: rfc822; carol@postern.test\r\nAction: failed\r\nStatus: 5.1.1\r\n")
                .contains("Subject: for two").doesNotContain("bob@postern.test");
        server.services().queue().delete(notice.id());
    }
}
