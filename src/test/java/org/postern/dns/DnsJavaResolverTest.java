package org.postern.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The dnsjava resolver against {@link TestDnsServer} on loopback: each record type, the failures, the cache. */
@Timeout(30)
class DnsJavaResolverTest {
    Zone zone = new Zone();
    TestDnsServer server;
    DnsJavaResolver dns;

    @BeforeEach
    void start() throws Exception {
        server = new TestDnsServer(zone);
        dns = DnsJavaResolver.of(List.of(DnsJavaResolver.parseServer(server.address())), Duration.ofSeconds(2), 1);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void eachRecordTypeComesBackAsItsValue() throws Exception {
        String longText = "v=DKIM1; k=rsa; p=" + "A".repeat(400); // more than one 255-byte character-string
        zone.mx("b.test", 10, "mx.b.test").mx("b.test", 20, "MX2.b.test")
                .a("mx.b.test", "192.0.2.1", "2001:db8::1").txt("b.test", "v=spf1 mx -all", longText)
                .ptr("192.0.2.1", "mx.b.test").mx("null.test", 0, ".");
        assertThat(dns.mx("b.test")).containsExactlyInAnyOrder(new Mx(10, "mx.b.test"), new Mx(20, "mx2.b.test"));
        assertThat(dns.mx("null.test")).containsExactly(new Mx(0, "")); // RFC 7505
        assertThat(dns.a("mx.b.test")).containsExactly(InetAddress.ofLiteral("192.0.2.1"));
        assertThat(dns.aaaa("MX.B.TEST.")).containsExactly(InetAddress.ofLiteral("2001:db8::1"));
        assertThat(dns.addresses("mx.b.test")).containsExactly(InetAddress.ofLiteral("192.0.2.1"), InetAddress.ofLiteral("2001:db8::1"));
        assertThat(dns.txt("b.test")).containsExactlyInAnyOrder("v=spf1 mx -all", longText);
        assertThat(dns.ptr(InetAddress.ofLiteral("192.0.2.1"))).containsExactly("mx.b.test");
        assertThat(dns.a("b.test")).isEmpty(); // NODATA
    }

    @Test
    void aMissingNameAndAFailingServerAreTwoDifferentExceptions() {
        zone.fail("broken.test");
        assertThatThrownBy(() -> dns.mx("nowhere.test")).isInstanceOf(DnsException.NoSuchDomain.class);
        assertThatThrownBy(() -> dns.txt("broken.test")).isInstanceOf(DnsException.class)
                .isNotInstanceOf(DnsException.NoSuchDomain.class).hasMessageContaining("SERVFAIL");
        assertThatThrownBy(() -> dns.a("bad..name")).isInstanceOf(DnsException.NoSuchDomain.class);
    }

    @Test
    void aSilentServerTimesOutAndTtlZeroIsNotCached() throws Exception {
        DnsJavaResolver unanswered = DnsJavaResolver.of(List.of(new InetSocketAddress("127.0.0.1", 9)), Duration.ofMillis(200), 0);
        assertThatThrownBy(() -> unanswered.a("x.test")).isInstanceOf(DnsException.class).hasMessageContaining("no answer");
        // the test server gives TTL 0, so nothing is kept: every question goes out
        zone.a("mx.b.test", "192.0.2.1");
        int before = zone.questions.get();
        dns.a("mx.b.test");
        dns.a("mx.b.test");
        assertThat(zone.questions.get() - before).isEqualTo(2);
    }

    @Test
    void resolverAddressesFromTheConfiguration() throws Exception {
        assertThat(DnsJavaResolver.parseServer("192.0.2.53")).isEqualTo(new InetSocketAddress(InetAddress.ofLiteral("192.0.2.53"), 53));
        assertThat(DnsJavaResolver.parseServer("192.0.2.53:5353").getPort()).isEqualTo(5353);
        assertThat(DnsJavaResolver.parseServer("2001:db8::53")).isEqualTo(new InetSocketAddress(InetAddress.ofLiteral("2001:db8::53"), 53));
        assertThat(DnsJavaResolver.parseServer("[2001:db8::53]:54")).isEqualTo(new InetSocketAddress(InetAddress.ofLiteral("2001:db8::53"), 54));
        assertThat(DnsJavaResolver.parseServer("[2001:db8::53]").getPort()).isEqualTo(53);
        assertThatThrownBy(() -> DnsJavaResolver.parseServer("[2001:db8::53")).isInstanceOf(UnknownHostException.class)
                .hasMessageContaining("without its ]");
        assertThatThrownBy(() -> DnsJavaResolver.parseServer("[2001:db8::53]x")).isInstanceOf(UnknownHostException.class)
                .hasMessageContaining(":PORT");
        assertThatThrownBy(() -> DnsJavaResolver.parseServer("192.0.2.53:dns")).isInstanceOf(UnknownHostException.class)
                .hasMessageContaining("from 1 to 65535, not 'dns'");
        assertThatThrownBy(() -> DnsJavaResolver.parseServer("192.0.2.53:70000")).isInstanceOf(UnknownHostException.class)
                .hasMessageContaining("from 1 to 65535");
        assertThatThrownBy(() -> DnsJavaResolver.parseServer("dns.example.net")).isInstanceOf(UnknownHostException.class)
                .hasMessageContaining("not an IP address");
    }
}
