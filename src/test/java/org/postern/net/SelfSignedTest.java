package org.postern.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfSignedTest {
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

    @TempDir
    Path dir;

    @Test
    void writesACertbotLayoutThatLoadsBack() throws Exception {
        Path chain = dir.resolve("tls/fullchain.pem");
        Path key = dir.resolve("tls/privkey.pem");
        PemKeyMaterial made = SelfSigned.create("Mail.Example.Test.", chain, key);

        assertThat(Files.readString(chain)).startsWith("-----BEGIN CERTIFICATE-----").hasLineCount(
                Files.readAllLines(chain).size()).contains("-----END CERTIFICATE-----");
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(chain))).isEqualTo("rw-r--r--");
        try (var files = Files.list(chain.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("fullchain.pem", "privkey.pem");
        }

        PemKeyMaterial loaded = PemKeyMaterial.load(chain, key);
        assertThat(loaded.leaf()).isEqualTo(made.leaf());
        assertThat(loaded.key().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void certificateIsAServerCertificateForTheHostname() throws Exception {
        X509Certificate c = SelfSigned.create("mail.example.test", dir.resolve("c.pem"), dir.resolve("k.pem")).leaf();
        c.verify(c.getPublicKey()); // self-signed
        assertThat(c.getVersion()).isEqualTo(3);
        assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=mail.example.test");
        assertThat(c.getIssuerX500Principal()).isEqualTo(c.getSubjectX500Principal());
        assertThat(c.getSubjectAlternativeNames()).containsExactly(List.of(2, "mail.example.test"));
        assertThat(c.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
        assertThat(c.getBasicConstraints()).isEqualTo(-1); // not a CA
        assertThat(c.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(c.getSerialNumber().signum()).isPositive();
        Duration validity = Duration.between(c.getNotBefore().toInstant(), c.getNotAfter().toInstant());
        assertThat(validity).isEqualTo(Duration.ofDays(730)); // under Apple's 825-day limit
        assertThat(c.getNotBefore().toInstant()).isBefore(Instant.now());
        c.checkValidity();
    }

    @Test
    void localhostAlsoCoversLoopbackAddresses() throws Exception {
        X509Certificate c = SelfSigned.create("localhost", dir.resolve("c.pem"), dir.resolve("k.pem")).leaf();
        assertThat(c.getSubjectAlternativeNames()).containsExactly(
                List.of(2, "localhost"), List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1"));
    }

    @Test
    void ipLiteralGetsAnIpName() throws Exception {
        X509Certificate c = SelfSigned.create("192.0.2.7", dir.resolve("c.pem"), dir.resolve("k.pem")).leaf();
        assertThat(c.getSubjectAlternativeNames()).containsExactly(List.of(7, "192.0.2.7"));
        X509Certificate v6 = SelfSigned.create("[::1]", dir.resolve("c.pem"), dir.resolve("k.pem")).leaf();
        assertThat(v6.getSubjectAlternativeNames()).contains(List.of(7, "0:0:0:0:0:0:0:1"), List.of(2, "localhost"));
    }

    @Test
    void internationalNamesBecomeALabels() throws Exception {
        X509Certificate c = SelfSigned.create("mail.bücher.example", dir.resolve("c.pem"), dir.resolve("k.pem")).leaf();
        assertThat(c.getSubjectAlternativeNames()).containsExactly(List.of(2, "mail.xn--bcher-kva.example"));
    }

    @Test
    void invalidHostnamesAreRefused() {
        for (String bad : new String[] {"", " ", "mail example", "-mail.example", "mail..example", "mail_x.example"}) {
            assertThatThrownBy(() -> SelfSigned.create(bad, dir.resolve("c.pem"), dir.resolve("k.pem")))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void runningAgainReplacesBothFiles() throws Exception {
        Path chain = dir.resolve("fullchain.pem");
        Path key = dir.resolve("privkey.pem");
        PemKeyMaterial first = SelfSigned.create("a.example", chain, key);
        PemKeyMaterial second = SelfSigned.create("a.example", chain, key);
        assertThat(second.fingerprintSha256()).isNotEqualTo(first.fingerprintSha256());
        assertThat(PemKeyMaterial.load(chain, key).fingerprintSha256()).isEqualTo(second.fingerprintSha256());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    }
}
