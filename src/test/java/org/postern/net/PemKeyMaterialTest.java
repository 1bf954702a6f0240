package org.postern.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PemKeyMaterialTest {
    private static final KeyPair RSA = TestCerts.rsa(2048);
    private static final KeyPair EC = TestCerts.ec();

    @TempDir
    Path dir;

    static Stream<Arguments> keyFormats() {
        return Stream.of(
                Arguments.of("RSA PKCS#1", RSA, (Function<KeyPair, String>) k -> TestCerts.traditional(k.getPrivate()),
                        "-----BEGIN RSA PRIVATE KEY-----"),
                Arguments.of("RSA PKCS#8", RSA, (Function<KeyPair, String>) k -> TestCerts.pkcs8(k.getPrivate()),
                        "-----BEGIN PRIVATE KEY-----"),
                Arguments.of("EC SEC1", EC, (Function<KeyPair, String>) k -> TestCerts.sec1(k, false),
                        "-----BEGIN EC PRIVATE KEY-----"),
                Arguments.of("EC SEC1 with EC PARAMETERS", EC, (Function<KeyPair, String>) k -> TestCerts.sec1(k, true),
                        "-----BEGIN EC PARAMETERS-----"),
                Arguments.of("EC PKCS#8", EC, (Function<KeyPair, String>) k -> TestCerts.pkcs8(k.getPrivate()),
                        "-----BEGIN PRIVATE KEY-----"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyFormats")
    void loadsEveryKeyFormat(String label, KeyPair keys, Function<KeyPair, String> format, String header) throws Exception {
        X509Certificate cert = TestCerts.cert(keys, "mail.example.test");
        Path chain = TestCerts.write(dir.resolve("fullchain.pem"), TestCerts.certPem(cert));
        String keyPem = format.apply(keys);
        assertThat(keyPem).startsWith(header);
        Path key = TestCerts.write(dir.resolve("privkey.pem"), keyPem);

        PemKeyMaterial m = PemKeyMaterial.load(chain, key);
        assertThat(m.leaf()).isEqualTo(cert);
        assertThat(m.key().getAlgorithm()).isEqualTo(keys.getPrivate().getAlgorithm());
        assertThat(TestCerts.secret(m.key())).isEqualTo(TestCerts.secret(keys.getPrivate()));
        assertThat(m.toString()).doesNotContain("priv").contains("CN=mail.example.test");
    }

    @Test
    void keepsChainOrderAndAcceptsACombinedFile() throws Exception {
        KeyPair intermediateKeys = TestCerts.ec();
        X509Certificate leaf = TestCerts.cert(EC, "mail.example.test");
        X509Certificate intermediate = TestCerts.cert(intermediateKeys, "ca.example.test");
        Path combined = TestCerts.write(dir.resolve("combined.pem"),
                TestCerts.certPem(leaf, intermediate) + TestCerts.pkcs8(EC.getPrivate()));
        PemKeyMaterial m = PemKeyMaterial.load(combined, combined);
        assertThat(m.chain()).containsExactly(leaf, intermediate);
    }

    @Test
    void keyForAnotherCertificateIsRefused() {
        Path chain = TestCerts.write(dir.resolve("fullchain.pem"), TestCerts.certPem(TestCerts.cert(EC, "a.test")));
        Path key = TestCerts.write(dir.resolve("privkey.pem"), TestCerts.pkcs8(TestCerts.ec().getPrivate()));
        assertOneLineError(() -> PemKeyMaterial.load(chain, key),
                key + ": the private key does not match the certificate in " + chain);
    }

    @Test
    void rsaKeyWithAnEcCertificateIsRefused() {
        Path chain = TestCerts.write(dir.resolve("fullchain.pem"), TestCerts.certPem(TestCerts.cert(EC, "a.test")));
        Path key = TestCerts.write(dir.resolve("privkey.pem"), TestCerts.traditional(RSA.getPrivate()));
        assertOneLineError(() -> PemKeyMaterial.load(chain, key), "does not match");
    }

    @Test
    void leafThatIsNotFirstIsExplained() {
        X509Certificate other = TestCerts.cert(TestCerts.ec(), "ca.test");
        Path chain = TestCerts.write(dir.resolve("fullchain.pem"), TestCerts.certPem(other, TestCerts.cert(EC, "a.test")));
        Path key = TestCerts.write(dir.resolve("privkey.pem"), TestCerts.pkcs8(EC.getPrivate()));
        assertOneLineError(() -> PemKeyMaterial.load(chain, key), chain + ": the certificate for privkey.pem is number 2");
    }

    @Test
    void missingFilesAreNamed() {
        Path chain = dir.resolve("fullchain.pem");
        Path key = TestCerts.write(dir.resolve("privkey.pem"), TestCerts.pkcs8(EC.getPrivate()));
        assertOneLineError(() -> PemKeyMaterial.load(chain, key), chain + ": no such file");
        TestCerts.write(chain, TestCerts.certPem(TestCerts.cert(EC, "a.test")));
        Path missingKey = dir.resolve("nokey.pem");
        assertOneLineError(() -> PemKeyMaterial.load(chain, missingKey), missingKey + ": no such file");
        assertOneLineError(() -> PemKeyMaterial.load(dir, key), dir + ": is a directory");
    }

    @Test
    void fileWithoutCertificateOrKeyIsExplained() {
        Path key = TestCerts.write(dir.resolve("privkey.pem"), TestCerts.pkcs8(EC.getPrivate()));
        assertOneLineError(() -> PemKeyMaterial.load(key, key), key + ": no certificate found");
        Path empty = TestCerts.write(dir.resolve("empty.pem"), "");
        assertOneLineError(() -> PemKeyMaterial.load(empty, key), empty + ": no certificate found");
        Path chain = TestCerts.write(dir.resolve("fullchain.pem"), TestCerts.certPem(TestCerts.cert(EC, "a.test")));
        assertOneLineError(() -> PemKeyMaterial.load(chain, chain), chain + ": no private key found");
    }

    @Test
    void corruptPemIsExplained() {
        Path bad = TestCerts.write(dir.resolve("fullchain.pem"),
                "-----BEGIN CERTIFICATE-----\nnot*base64!\n-----END CERTIFICATE-----\n");
        Path key = TestCerts.write(dir.resolve("privkey.pem"), TestCerts.pkcs8(EC.getPrivate()));
        assertOneLineError(() -> PemKeyMaterial.load(bad, key), bad + ": ");
        Path chain = TestCerts.write(dir.resolve("ok.pem"), TestCerts.certPem(TestCerts.cert(EC, "a.test")));
        Path badKey = TestCerts.write(dir.resolve("badkey.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertOneLineError(() -> PemKeyMaterial.load(chain, badKey), badKey + ": not a valid PEM private key");
    }

    @Test
    void encryptedKeysAreRefusedWithAWayOut() {
        Path chain = TestCerts.write(dir.resolve("fullchain.pem"), TestCerts.certPem(TestCerts.cert(RSA, "a.test")));
        Path traditional = TestCerts.write(dir.resolve("enc1.pem"), TestCerts.encryptedTraditional(RSA.getPrivate()));
        assertThat(traditional).content().contains("Proc-Type: 4,ENCRYPTED");
        assertOneLineError(() -> PemKeyMaterial.load(chain, traditional),
                traditional + ": encrypted private keys are not supported");
        Path pkcs8 = TestCerts.write(dir.resolve("enc2.pem"), TestCerts.encryptedPkcs8(RSA.getPrivate()));
        assertThat(pkcs8).content().startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertOneLineError(() -> PemKeyMaterial.load(chain, pkcs8), "openssl pkey -in enc2.pem");
    }

    @Test
    void weakRsaKeyIsRefused() {
        KeyPair weak = TestCerts.rsa(1024);
        Path chain = TestCerts.write(dir.resolve("fullchain.pem"), TestCerts.certPem(TestCerts.cert(weak, "a.test")));
        Path key = TestCerts.write(dir.resolve("privkey.pem"), TestCerts.pkcs8(weak.getPrivate()));
        assertOneLineError(() -> PemKeyMaterial.load(chain, key), "RSA key of 1024 bits is too weak");
    }

    @Test
    @DisabledIfSystemProperty(named = "user.name", matches = "root", disabledReason = "root reads any file")
    void unreadableKeyIsExplained() throws Exception {
        Path chain = TestCerts.write(dir.resolve("fullchain.pem"), TestCerts.certPem(TestCerts.cert(EC, "a.test")));
        Path key = TestCerts.write(dir.resolve("privkey.pem"), TestCerts.pkcs8(EC.getPrivate()));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("---------"));
        assertOneLineError(() -> PemKeyMaterial.load(chain, key), key + ": permission denied");
    }

    @Test
    void permissionProblemsNameTheUser() {
        Path key = dir.resolve("privkey.pem");
        TlsConfigException e = PemKeyMaterial.readError(key, new java.nio.file.AccessDeniedException(key.toString()));
        assertThat(e).hasMessage(key + ": permission denied: the server runs as user '"
                + System.getProperty("user.name") + "', which cannot read it");
    }

    @Test
    void fingerprintIsColonSeparatedSha256() {
        PemKeyMaterial m = new PemKeyMaterial(java.util.List.of(TestCerts.cert(EC, "a.test")), EC.getPrivate());
        assertThat(m.fingerprintSha256()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
    }

    interface Load {
        void run() throws Exception;
    }

    private static void assertOneLineError(Load load, String expected) {
        assertThatThrownBy(load::run).isInstanceOf(TlsConfigException.class)
                .hasMessageContaining(expected)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
