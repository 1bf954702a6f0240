package org.postern.net;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/** Keys, certificates and PEM files in the formats found in the wild, made with Bouncy Castle. */
final class TestCerts {
    private TestCerts() {
    }

    static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair ec() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static X509Certificate cert(KeyPair keys, String host) {
        return SelfSigned.certificate(keys, host, Instant.now(), Duration.ofDays(30));
    }

    static String certPem(X509Certificate... certs) {
        StringBuilder sb = new StringBuilder();
        for (X509Certificate c : certs) {
            sb.append(SelfSigned.toPem(c));
        }
        return sb.toString();
    }

    /** "-----BEGIN PRIVATE KEY-----", as certbot and {@code openssl genpkey} write. */
    static String pkcs8(PrivateKey key) {
        try {
            return SelfSigned.toPem(new JcaPKCS8Generator(key, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "-----BEGIN RSA PRIVATE KEY-----" (PKCS#1) or "EC PRIVATE KEY", BC's traditional OpenSSL form. */
    static String traditional(PrivateKey key) {
        return SelfSigned.toPem(key);
    }

    /**
     * SEC1 as {@code openssl ecparam -genkey -name prime256v1} writes it: the curve inside the key
     * and, optionally, an "EC PARAMETERS" block in front.
     */
    static String sec1(KeyPair keys, boolean withParametersBlock) {
        ASN1ObjectIdentifier curve = SECObjectIdentifiers.secp256r1;
        ECPrivateKey priv = (ECPrivateKey) keys.getPrivate();
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(((ECPublicKey) keys.getPublic()).getEncoded());
        try {
            org.bouncycastle.asn1.sec.ECPrivateKey sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(
                    256, priv.getS(), spki.getPublicKeyData(), new X962Parameters(curve));
            StringWriter out = new StringWriter();
            try (PemWriter w = new PemWriter(out)) {
                if (withParametersBlock) {
                    w.writeObject(new PemObject("EC PARAMETERS", curve.getEncoded()));
                }
                w.writeObject(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
            }
            return out.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "Proc-Type: 4,ENCRYPTED" traditional form. */
    static String encryptedTraditional(PrivateKey key) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(key, new JcePEMEncryptorBuilder("AES-256-CBC").setProvider(new BouncyCastleProvider()).build("secret".toCharArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** "-----BEGIN ENCRYPTED PRIVATE KEY-----". */
    static String encryptedPkcs8(PrivateKey key) {
        try {
            return SelfSigned.toPem(new JcaPKCS8Generator(key,
                    new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC).setProvider(new BouncyCastleProvider())
                            .setPassword("secret".toCharArray()).build()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The private value itself, whatever the encoding (SEC1 and PKCS#8 encode an EC key differently). */
    static Object secret(PrivateKey key) {
        return switch (key) {
            case java.security.interfaces.RSAPrivateKey rsa -> rsa.getPrivateExponent();
            case ECPrivateKey ec -> ec.getS();
            default -> throw new IllegalArgumentException(key.getAlgorithm());
        };
    }

    static Path write(Path file, String content) {
        try {
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
