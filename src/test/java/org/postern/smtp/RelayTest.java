package org.postern.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postern.testing.SmtpClient;
import org.postern.testing.TestServer;

/**
 * The MX is no open relay: every known way of making a server pass mail on to another host is
 * refused at RCPT, and nothing reaches a mailbox or the outbound queue. The local domain has a
 * catch-all, the case where a sloppy server would take a trick address "for a local user".
 */
class RelayTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, false, "alice@postern.test", "catchall@postern.test");
        server.services().directory().setCatchAll("postern.test", "catchall@postern.test");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            // plain remote domains, in any case
            "victim@remote.example                         | 550 5.7.1 | a remote domain",
            "VICTIM@REMOTE.EXAMPLE                         | 550 5.7.1 | a remote domain in capitals",
            "victim@sub.postern.test                       | 550 5.7.1 | a subdomain of a local domain is not local",
            "victim@postern.test.remote.example            | 550 5.7.1 | a local domain as a prefix",
            "victim@remote-postern.test                    | 550 5.7.1 | a local domain as a suffix",
            // source routes: the route is ignored, the final mailbox decides (RFC 5321 §4.1.1.3)
            "@postern.test:victim@remote.example           | 550 5.7.1 | source route through us to a remote mailbox",
            "@postern.test,@relay.example:victim@remote.example | 550 5.7.1 | two-hop source route",
            // the percent hack and bang paths, which some servers rewrite into a remote address
            "victim%remote.example@postern.test            | 550 5.7.1 | percent hack",
            "victim%remote.example%postern.test@postern.test | 550 5.7.1 | double percent hack",
            "remote.example!victim@postern.test            | 550 5.7.1 | bang path",
            "remote.example!victim                         | 501 5.1.3 | unqualified bang path",
            // quoted local parts that carry another address
            "\"victim@remote.example\"@postern.test          | 550 5.7.1 | quoted @",
            "\"victim%remote.example\"@postern.test          | 550 5.7.1 | quoted percent hack",
            "\"remote.example!victim\"@postern.test          | 550 5.7.1 | quoted bang path",
            // unqualified addresses and broken syntax
            "victim                                        | 501 5.1.3 | unqualified",
            "victim@remote.example@postern.test            | 501 5.1.3 | two at signs",
            "victim@postern.test@remote.example            | 501 5.1.3 | two at signs, local first",
            // address literals, our own included
            "victim@[127.0.0.1]                            | 550 5.7.1 | IPv4 literal",
            "victim@[IPv6:::1]                             | 550 5.7.1 | IPv6 literal",
            "victim@[192.0.2.1]                            | 550 5.7.1 | foreign IPv4 literal",
            // trailing dots and empty labels
            "victim@remote.example.                        | 501 5.1.3 | trailing dot, remote",
            "alice@postern.test.                           | 501 5.1.3 | trailing dot, local",
            "alice@postern..test                           | 501 5.1.3 | empty label",
            "alice@.postern.test                           | 501 5.1.3 | leading dot",
    })
    void relayTricksAreRefusedAndNothingIsStoredOrQueued(String address, String expected, String why) throws Exception {
        int catchAll = Mailboxes.inbox(server, "catchall@postern.test").size();
        int queued = server.services().queue().entries().size();
        try (SmtpClient c = SmtpClient.plain(server.smtpPort())) {
            c.ehlo();
            c.send("MAIL FROM:<spammer@remote.example>").expect(250);
            SmtpClient.Reply r = c.send("RCPT TO:<" + address + ">");
            assertThat(r.code() + " " + r.text()).as(why).startsWith(expected);
            c.send("DATA").expect(554);
        }
        assertThat(Mailboxes.inbox(server, "catchall@postern.test")).hasSize(catchAll);
        assertThat(server.services().queue().entries()).hasSize(queued);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "ALICE@POSTERN.TEST",
            "Alice@Postern.Test",
            "alice+tag@postern.test",
            "@remote.example:alice@postern.test",
            "\"alice\"@postern.test",
    })
    void localAddressesInAnyFormDeliverLocally(String address) throws Exception {
        int before = Mailboxes.inbox(server, "alice@postern.test").size();
        try (SmtpClient c = SmtpClient.plain(server.smtpPort())) {
            c.ehlo();
            c.send("MAIL FROM:<someone@remote.example>").expect(250);
            c.send("RCPT TO:<" + address + ">").expect(250);
            c.data("Subject: local\r\n\r\nx\r\n").expect(250);
        }
        assertThat(Mailboxes.inbox(server, "alice@postern.test")).hasSize(before + 1);
    }

    @Test
    void unknownUsersOfADomainWithoutCatchAllGet511() throws Exception {
        server.services().directory().addAccount("bob@other.test", "x");
        try (SmtpClient c = SmtpClient.plain(server.smtpPort())) {
            c.ehlo();
            c.send("MAIL FROM:<someone@remote.example>").expect(250);
            assertThat(c.send("RCPT TO:<nobody@other.test>").expect(550).text())
                    .startsWith("5.1.1 <nobody@other.test>: no such user.");
            // <Postmaster> (RFC 5321 §4.1.1.3) is postmaster@HOSTNAME, not a local domain here
            c.send("RCPT TO:<postmaster>").expect(550).contains("<postmaster@localhost>");
        }
    }

    @Test
    void anAuthenticatedLookingSessionOnTheMxStillCannotRelay() throws Exception {
        try (SmtpClient c = SmtpClient.plain(server.smtpPort())) {
            c.ehlo();
            c.send("AUTH PLAIN AGFsaWNlQHBvc3Rlcm4udGVzdABUZXN0LVBhc3N3b3JkLTE=").expect(502);
            c.send("MAIL FROM:<alice@postern.test>").expect(250);
            c.send("RCPT TO:<victim@remote.example>").expect(550).contains("5.7.1");
        }
    }
}
