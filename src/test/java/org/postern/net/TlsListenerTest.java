package org.postern.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TlsListenerTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;
    private Path chain;
    private Path key;
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @BeforeEach
    void certificate() throws IOException {
        chain = dir.resolve("fullchain.pem");
        key = dir.resolve("privkey.pem");
        SelfSigned.create("localhost", chain, key);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
    }

    private Listener implicitTls(TlsContext tls, ConnectionSettings settings, ConnectionHandler handler) throws IOException {
        Listener l = Listener.start(ListenerConfig.of("imaps", new InetSocketAddress(LOOPBACK, 0))
                .withImplicitTls(true).withConnection(settings), tls, handler);
        cleanup.add(l);
        return l;
    }

    private Listener implicitTls(TlsContext tls) throws IOException {
        return implicitTls(tls, ConnectionSettings.DEFAULTS, new EchoHandler());
    }

    private LineClient connect(ClientTls client, Listener l, String serverName) throws IOException {
        LineClient c = LineClient.tls(client, l.address(), serverName);
        cleanup.add(c);
        return c;
    }

    @Test
    void implicitTlsEchoesAndPrefersTls13() throws Exception {
        EchoHandler handler = new EchoHandler();
        Listener l = implicitTls(TlsContext.load(chain, key), ConnectionSettings.DEFAULTS, handler);
        LineClient c = connect(ClientTls.trustingPem(chain), l, "localhost");
        assertThat(c.readLine()).isEqualTo("hello");
        c.send("A1 CAPABILITY");
        assertThat(c.readLine()).isEqualTo("echo A1 CAPABILITY");
        c.send("INFO");
        assertThat(c.readLine()).startsWith("TLSv1.3 TLS_AES_");
        assertThat(c.ssl().getSession().getProtocol()).isEqualTo("TLSv1.3");
        assertThat(handler.threads).hasSize(1).allMatch(t -> t.startsWith("imaps-127.0.0.1:") && t.endsWith(" virtual"));
    }

    @Test
    void tls12IsAcceptedWithAnEcdheAeadSuite() throws Exception {
        Listener l = implicitTls(TlsContext.load(chain, key));
        LineClient c = connect(ClientTls.trustingPem(chain).withProtocols("TLSv1.2"), l, "localhost");
        assertThat(c.readLine()).isEqualTo("hello");
        assertThat(c.ssl().getSession().getProtocol()).isEqualTo("TLSv1.2");
        assertThat(c.ssl().getSession().getCipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        c.send("INFO");
        assertThat(c.readLine()).isEqualTo("TLSv1.2 TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
    }

    @Test
    void tls13IsAcceptedAndChaChaToo() throws Exception {
        Listener l = implicitTls(TlsContext.load(chain, key));
        LineClient c = connect(ClientTls.trustingPem(chain).withProtocols("TLSv1.3")
                .withCipherSuites("TLS_CHACHA20_POLY1305_SHA256"), l, "localhost");
        assertThat(c.readLine()).isEqualTo("hello");
        assertThat(c.ssl().getSession().getProtocol()).isEqualTo("TLSv1.3");
        assertThat(c.ssl().getSession().getCipherSuite()).isEqualTo("TLS_CHACHA20_POLY1305_SHA256");
    }

    @Test
    void tls11HelloIsRefusedWithAProtocolVersionAlert() throws Exception {
        Listener l = implicitTls(TlsContext.load(chain, key));
        try (LineClient old = LineClient.connect(l.address())) {
            old.sendRaw(RawClientHello.build(RawClientHello.TLS_1_1,
                    RawClientHello.ECDHE_ECDSA_AES_128_CBC_SHA, RawClientHello.ECDHE_ECDSA_AES_128_GCM_SHA256));
            RawClientHello.Reply reply = RawClientHello.readReply(old.socket().getInputStream());
            assertThat(reply.isAlert()).as("alert record").isTrue();
            assertThat(reply.alertDescription()).as("protocol_version").isEqualTo(70);
            assertThat(old.closedByServer()).isTrue();
        }
        // the same hand-made hello, as TLS 1.2, gets a ServerHello: the refusal above is the version's
        try (LineClient current = LineClient.connect(l.address())) {
            current.sendRaw(RawClientHello.build(RawClientHello.TLS_1_2,
                    RawClientHello.ECDHE_ECDSA_AES_128_CBC_SHA, RawClientHello.ECDHE_ECDSA_AES_128_GCM_SHA256));
            RawClientHello.Reply reply = RawClientHello.readReply(current.socket().getInputStream());
            assertThat(reply.isServerHello()).isTrue();
            assertThat(reply.body()[4] & 0xff).as("server_version minor").isEqualTo(3);
        }
    }

    @Test
    void cbcSuitesAreRefused() throws Exception {
        Listener l = implicitTls(TlsContext.load(chain, key));
        for (String weak : new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"}) {
            ClientTls client = ClientTls.trustingPem(chain).withProtocols("TLSv1.2").withCipherSuites(weak);
            assertThatThrownBy(() -> client.connect(l.address(), "localhost", LineClient.TIMEOUT))
                    .as(weak).isInstanceOf(SSLHandshakeException.class);
        }
        LineClient ok = connect(ClientTls.trustingPem(chain), l, "localhost");
        assertThat(ok.readLine()).isEqualTo("hello");
    }

    @Test
    void onlyTheIntermediateGroupsAreAgreed() throws Exception {
        Listener l = implicitTls(TlsContext.load(chain, key));
        for (String group : new String[] {"ffdhe2048", "x448", "secp521r1"}) {
            assertThatThrownBy(() -> plainClient(l, group)).as(group).isInstanceOf(SSLException.class);
        }
        for (String group : new String[] {"x25519", "secp256r1", "secp384r1"}) {
            try (SSLSocket s = plainClient(l, group)) {
                assertThat(s.getSession().getProtocol()).as(group).isEqualTo("TLSv1.3");
            }
        }
    }

    /** A JDK client with its defaults but for the one group it offers (not restricted by Postern's policy). */
    private static SSLSocket plainClient(Listener l, String group) throws Exception {
        SSLContext ctx = org.postern.testing.ImapClient.trustAll();
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(l.address().getAddress(), l.address().getPort());
        try {
            s.setSoTimeout(5_000);
            SSLParameters p = s.getSSLParameters();
            p.setNamedGroups(new String[] {group});
            s.setSSLParameters(p);
            s.startHandshake();
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    @Test
    void everythingTheServerContextMakesIsRestricted() throws Exception {
        SSLContext ctx = TlsContext.load(chain, key).sslContext();
        List<String> policy = TlsPolicy.CIPHER_SUITES;
        SSLParameters defaults = ctx.getDefaultSSLParameters();
        assertThat(defaults.getProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(defaults.getCipherSuites()).isSubsetOf(policy).contains("TLS_AES_128_GCM_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
        assertThat(defaults.getUseCipherSuitesOrder()).isTrue();
        assertThat(defaults.getNamedGroups()).containsExactly("x25519", "secp256r1", "secp384r1");
        SSLEngine engine = ctx.createSSLEngine();
        assertThat(engine.getSSLParameters().getNamedGroups()).containsExactly("x25519", "secp256r1", "secp384r1");
        assertThat(engine.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(engine.getEnabledCipherSuites()).isSubsetOf(policy);
        try (SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket()) {
            assertThat(server.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
            assertThat(server.getEnabledCipherSuites()).isSubsetOf(policy);
        }
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket()) {
            assertThat(s.getEnabledCipherSuites()).isSubsetOf(policy).doesNotContain("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA");
        }
        assertThat(ctx.getSocketFactory().getDefaultCipherSuites()).isSubsetOf(policy);
        assertThatThrownBy(() -> ctx.init(null, null, null)).isInstanceOf(java.security.KeyManagementException.class);
    }

    @Test
    void clientChecksTheServerName() throws Exception {
        Listener l = implicitTls(TlsContext.load(chain, key));
        ClientTls client = ClientTls.trustingPem(chain);
        assertThatThrownBy(() -> client.connect(l.address(), "mail.other.example", LineClient.TIMEOUT))
                .isInstanceOf(SSLHandshakeException.class);
        LineClient byIp = connect(client, l, "127.0.0.1"); // the certificate lists 127.0.0.1
        assertThat(byIp.readLine()).isEqualTo("hello");
        ClientTls stranger = ClientTls.trusting(List.of(TestCerts.cert(TestCerts.ec(), "localhost")));
        assertThatThrownBy(() -> stranger.connect(l.address(), "localhost", LineClient.TIMEOUT))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void silentClientIsDroppedAfterTheHandshakeTimeout() throws Exception {
        EchoHandler handler = new EchoHandler();
        Listener l = implicitTls(TlsContext.load(chain, key),
                ConnectionSettings.DEFAULTS.withHandshakeTimeout(Duration.ofMillis(300)), handler);
        try (LineClient silent = LineClient.connect(l.address())) {
            long start = System.nanoTime();
            assertThat(silent.closedByServer()).isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(200L, 3000L);
        }
        try (LineClient slow = LineClient.connect(l.address())) { // dribbles a valid hello, too slowly
            byte[] hello = RawClientHello.build(RawClientHello.TLS_1_2, RawClientHello.ECDHE_ECDSA_AES_128_GCM_SHA256);
            long start = System.nanoTime();
            boolean dropped = false;
            for (int i = 0; i < hello.length && !dropped; i++) {
                try {
                    slow.sendRaw(new byte[] {hello[i]});
                    Thread.sleep(100); // each byte well within the read timeout
                } catch (IOException e) {
                    dropped = true;
                }
            }
            assertThat(dropped || slow.closedByServer()).isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3000L);
        }
        assertThat(handler.handled.get()).isZero();
        assertThat(l.liveConnections()).isZero();
    }

    @Test
    void garbageInsteadOfAHelloFailsOnlyThatConnection() throws Exception {
        Listener l = implicitTls(TlsContext.load(chain, key));
        try (LineClient plain = LineClient.connect(l.address())) {
            plain.send("A1 LOGIN alice secret");
            assertThat(plain.closedByServer()).isTrue();
        }
        LineClient ok = connect(ClientTls.trustingPem(chain), l, "localhost");
        assertThat(ok.readLine()).isEqualTo("hello");
    }

    @Test
    void clientInitiatedRenegotiationIsRefused() throws Exception {
        Listener l = implicitTls(TlsContext.load(chain, key));
        LineClient c = connect(ClientTls.trustingPem(chain).withProtocols("TLSv1.2"), l, "localhost");
        assertThat(c.readLine()).isEqualTo("hello");
        boolean refused;
        try {
            c.ssl().startHandshake(); // TLS 1.2 renegotiation
            c.send("after renegotiation");
            refused = !"echo after renegotiation".equals(c.readLine());
        } catch (SSLException e) {
            refused = true;
        }
        assertThat(refused).isTrue();
    }

    static List<Object[]> keyFormats() {
        KeyPair rsa = TestCerts.rsa(2048);
        KeyPair ec = TestCerts.ec();
        return List.of(
                new Object[] {"RSA PKCS#1", rsa, (Function<KeyPair, String>) k -> TestCerts.traditional(k.getPrivate())},
                new Object[] {"RSA PKCS#8", rsa, (Function<KeyPair, String>) k -> TestCerts.pkcs8(k.getPrivate())},
                new Object[] {"EC SEC1", ec, (Function<KeyPair, String>) k -> TestCerts.sec1(k, true)},
                new Object[] {"EC PKCS#8", ec, (Function<KeyPair, String>) k -> TestCerts.pkcs8(k.getPrivate())});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyFormats")
    void servesEveryKeyFormatOverTls12And13(String label, KeyPair keys, Function<KeyPair, String> format) throws Exception {
        X509Certificate cert = TestCerts.cert(keys, "localhost");
        TestCerts.write(chain, TestCerts.certPem(cert));
        TestCerts.write(key, format.apply(keys));
        Listener l = implicitTls(TlsContext.load(chain, key));
        for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
            LineClient c = connect(ClientTls.trusting(List.of(cert)).withProtocols(protocol), l, "localhost");
            assertThat(c.readLine()).isEqualTo("hello");
            assertThat(c.ssl().getSession().getPeerCertificates()[0]).isEqualTo(cert);
            assertThat(c.ssl().getSession().getProtocol()).isEqualTo(protocol);
            if (protocol.equals("TLSv1.2")) {
                assertThat(c.ssl().getSession().getCipherSuite())
                        .startsWith(keys.getPrivate().getAlgorithm().equals("RSA") ? "TLS_ECDHE_RSA_" : "TLS_ECDHE_ECDSA_")
                        .containsAnyOf("_GCM_", "_CHACHA20_");
            }
        }
    }
}
