package org.postern.smtp.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postern.dns.TestDnsServer;
import org.postern.dns.Zone;
import org.postern.server.ListenerName;
import org.postern.smtp.dkim.DkimKeys;
import org.postern.testing.SmtpClient;
import org.postern.testing.TestServer;

/**
 * Two Postern instances exchange mail as two domains on the internet would: a.test on
 * 127.0.0.2 and b.test on 127.0.0.3, both MX on the same port, DNS (MX, A, SPF, DKIM, DMARC)
 * answered over UDP by a resolver run in the test. A message submitted on A is signed, queued,
 * delivered by A's engine to B's MX and passes SPF, DKIM and DMARC there; a recipient B refuses
 * comes back to the sender on A as a delivery status notification.
 */
@Timeout(120)
class TwoServersTest {
    @TempDir
    static Path dir;
    static TestDnsServer dns;
    static TestServer a;
    static TestServer b;

    @BeforeAll
    static void start() throws Exception {
        int port = freePortOnBoth("127.0.0.2", "127.0.0.3");
        Zone zone = new Zone()
                .mx("a.test", 10, "mx.a.test").a("mx.a.test", "127.0.0.2")
                .txt("a.test", "v=spf1 ip4:127.0.0.2 -all").txt("_dmarc.a.test", "v=DMARC1; p=reject")
                .mx("b.test", 10, "mx.b.test").a("mx.b.test", "127.0.0.3")
                .txt("b.test", "v=spf1 ip4:127.0.0.3 -all").txt("_dmarc.b.test", "v=DMARC1; p=reject");
        dns = new TestDnsServer(zone);
        a = TestServer.start(dir.resolve("a"), "mx.a.test", "127.0.0.2", settings(dns, port, "127.0.0.2"), Clock.systemUTC(),
                "alice@a.test");
        b = TestServer.start(dir.resolve("b"), "mx.b.test", "127.0.0.3", settings(dns, port, "127.0.0.3"), Clock.systemUTC(),
                "bob@b.test");
        // the keys init made for each server's domain, published as 'postern dkim show' prints them
        for (TestServer t : List.of(a, b)) {
            String domain = t == a ? "a.test" : "b.test";
            assertThat(t.services().dkimKeys().exists(domain)).isTrue();
            for (DkimKeys.Key k : t.services().dkimKeys().keys(domain)) {
                zone.txt(k.selector() + "._domainkey." + domain, k.dnsRecord());
            }
        }
    }

    static Map<String, String> settings(TestDnsServer dns, int port, String address) {
        return Map.of("dns.resolvers", dns.address(), "dns.timeout", "2s", "outbound.enabled", "yes",
                "outbound.port", String.valueOf(port), "outbound.source-address", address, "test.smtp-port", String.valueOf(port),
                "auth.plaintext-on-loopback", "yes");
    }

    static int freePortOnBoth(String first, String second) throws IOException {
        for (int i = 0; i < 20; i++) {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.ofLiteral(first))) {
                port = s.getLocalPort();
            }
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.ofLiteral(second))) {
                return port;
            } catch (IOException e) {
                // taken there: another
            }
        }
        throw new IOException("no port free on both " + first + " and " + second);
    }

    @AfterAll
    static void stop() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        dns.close();
    }

    static <T> T await(Supplier<T> value, java.util.function.Predicate<T> done) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        T v = value.get();
        while (!done.test(v) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            v = value.get();
        }
        return v;
    }

    static List<String> inboxNow(TestServer t, String email) {
        try {
            return t.inbox(email);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    void submit(String from, List<String> to, String message) throws IOException {
        try (SmtpClient c = SmtpClient.plain(a.address(ListenerName.SUBMISSION))) {
            c.ehlo();
            c.authPlain(from, TestServer.PASSWORD).expect(235);
            c.mail(from, to, message).expect(250);
        }
    }

    @Test
    void mailSubmittedOnAArrivesInBsInboxWithSpfDkimAndDmarcPassing() throws Exception {
        submit("alice@a.test", List.of("bob@b.test"), "From: Alice <alice@a.test>\r\nTo: bob@b.test\r\n"
                + "Subject: across\r\n\r\nHello from A.\r\n.dot line\r\n");
        List<String> got = await(() -> inboxNow(b, "bob@b.test"), l -> l.stream().anyMatch(m -> m.contains("Subject: across")));
        String m = got.stream().filter(x -> x.contains("Subject: across")).findFirst().orElseThrow();
        assertThat(m).startsWith("Authentication-Results: mx.b.test;\r\n\tspf=pass")
                .contains("smtp.mailfrom=alice@a.test;\r\n\tdkim=pass")
                .contains("header.d=a.test header.s=postern-ed25519 header.a=ed25519-sha256")
                .contains("header.d=a.test header.s=postern-rsa header.a=rsa-sha256")
                .contains("dmarc=pass (p=reject) header.from=a.test")
                .contains("Received: from mx.a.test ([127.0.0.2])").contains("with ESMTPS")
                .contains("\r\n\r\nHello from A.\r\n.dot line\r\n");
        assertThat(m.split("dkim=pass", -1)).hasSize(3); // both signatures verified
        assertThat(await(() -> a.services().queue().entries(), List::isEmpty)).isEmpty();
    }

    @Test
    void aRecipientBRefusesComesBackToTheSenderOnAAsADsn() throws Exception {
        submit("alice@a.test", List.of("nobody@b.test"), "From: alice@a.test\r\nTo: nobody@b.test\r\n"
                + "Subject: to nobody\r\n\r\nAnyone?\r\n");
        List<String> got = await(() -> inboxNow(a, "alice@a.test"), l -> l.stream().anyMatch(m -> m.contains("nobody@b.test")));
        String dsn = got.stream().filter(x -> x.contains("nobody@b.test")).findFirst().orElseThrow();
        assertThat(dsn).contains("From: Mail Delivery Subsystem <mailer-daemon@mx.a.test>")
                .contains("Content-Type: multipart/report; report-type=delivery-status;")
                .contains("Final-Recipient: rfc822; nobody@b.test\r\nAction: failed\r\nStatus: 5.1.1\r\n"
                        + "Remote-MTA: dns; mx.b.test\r\nDiagnostic-Code: smtp; 550 5.1.1")
                .contains("Subject: to nobody");
        assertThat(await(() -> a.services().queue().entries(), List::isEmpty)).isEmpty();
    }
}
