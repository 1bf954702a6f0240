package org.postern.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TlsReloadTest {
    @TempDir
    Path dir;
    private Path chain;
    private Path key;
    private PemKeyMaterial a;
    private Listener listener;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void setUp() throws IOException {
        chain = dir.resolve("fullchain.pem");
        key = dir.resolve("privkey.pem");
        a = SelfSigned.create("localhost", chain, key);
        logs.start();
        Logger logger = (Logger) LoggerFactory.getLogger(TlsContext.class);
        logger.setLevel(Level.INFO); // the test configuration logs only warnings
        logger.addAppender(logs);
    }

    @AfterEach
    void tearDown() {
        Logger logger = (Logger) LoggerFactory.getLogger(TlsContext.class);
        logger.detachAppender(logs);
        logger.setLevel(null);
        if (listener != null) {
            listener.close();
        }
    }

    private void serve(TlsContext tls) throws IOException {
        listener = Listener.start(ListenerConfig.of("imaps", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withImplicitTls(true), tls, new EchoHandler());
    }

    /** The certificate a fresh client (no session to resume) is shown. */
    private Certificate presented(X509Certificate expected) throws IOException {
        try (SSLSocket s = ClientTls.trusting(List.of(expected)).connect(listener.address(), "localhost", LineClient.TIMEOUT)) {
            return s.getSession().getPeerCertificates()[0];
        }
    }

    @Test
    void renewedCertificateIsServedToTheNextConnection() throws Exception {
        TlsContext tls = TlsContext.load(chain, key, Duration.ZERO);
        serve(tls);
        assertThat(presented(a.leaf())).isEqualTo(a.leaf());

        PemKeyMaterial b = SelfSigned.create("localhost", chain, key);
        assertThat(presented(b.leaf())).isEqualTo(b.leaf()).isNotEqualTo(a.leaf());
        assertThat(tls.material().leaf()).isEqualTo(b.leaf());
        assertThat(messages(Level.INFO)).anyMatch(m -> m.startsWith("TLS certificate reloaded") && m.contains(b.fingerprintSha256()));
    }

    @Test
    void failedReloadKeepsTheOldCertificateAndWarnsOnce() throws Exception {
        TlsContext tls = TlsContext.load(chain, key, Duration.ZERO);
        serve(tls);
        KeyPair other = TestCerts.ec();
        X509Certificate b = TestCerts.cert(other, "localhost");
        TestCerts.write(chain, TestCerts.certPem(b)); // new chain, old key: as certbot midway

        assertThat(presented(a.leaf())).isEqualTo(a.leaf());
        assertThat(presented(a.leaf())).isEqualTo(a.leaf());
        assertThat(tls.reloadIfChanged()).isFalse();
        assertThat(messages(Level.WARN)).singleElement().satisfies(m -> assertThat(m)
                .startsWith("TLS certificate reload failed, still serving the previous certificate (SHA-256 "
                        + a.fingerprintSha256() + "): " + key + ": the private key does not match"));

        TestCerts.write(key, TestCerts.pkcs8(other.getPrivate())); // the key arrives
        assertThat(presented(b)).isEqualTo(b);
    }

    @Test
    void filesAreLookedAtAtMostOncePerInterval() throws Exception {
        TlsContext tls = TlsContext.load(chain, key, Duration.ofHours(1));
        serve(tls);
        PemKeyMaterial b = SelfSigned.create("localhost", chain, key);
        assertThat(presented(a.leaf())).as("not looked at yet").isEqualTo(a.leaf());
        assertThat(tls.reloadIfChanged()).isTrue();
        assertThat(tls.reloadIfChanged()).as("nothing new").isFalse();
        assertThat(presented(b.leaf())).isEqualTo(b.leaf());
    }

    @Test
    void followsCertbotSymlinks() throws Exception {
        Path archive = Files.createDirectories(dir.resolve("archive/mail.example.test"));
        Path live = Files.createDirectories(dir.resolve("live/mail.example.test"));
        SelfSigned.create("localhost", archive.resolve("fullchain1.pem"), archive.resolve("privkey1.pem"));
        Path liveChain = Files.createSymbolicLink(live.resolve("fullchain.pem"), Path.of("../../archive/mail.example.test/fullchain1.pem"));
        Path liveKey = Files.createSymbolicLink(live.resolve("privkey.pem"), Path.of("../../archive/mail.example.test/privkey1.pem"));
        TlsContext tls = TlsContext.load(liveChain, liveKey, Duration.ZERO);
        serve(tls);
        X509Certificate first = tls.material().leaf();
        assertThat(presented(first)).isEqualTo(first);

        // renewal: new numbered files, then the links are pointed at them
        PemKeyMaterial second = SelfSigned.create("localhost", archive.resolve("fullchain2.pem"), archive.resolve("privkey2.pem"));
        relink(liveChain, "../../archive/mail.example.test/fullchain2.pem");
        relink(liveKey, "../../archive/mail.example.test/privkey2.pem");
        assertThat(presented(second.leaf())).isEqualTo(second.leaf());
    }

    private static void relink(Path link, String target) throws IOException {
        Path tmp = link.resolveSibling(link.getFileName() + ".new");
        Files.createSymbolicLink(tmp, Path.of(target));
        Files.move(tmp, link, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private List<String> messages(Level level) {
        return logs.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }
}
