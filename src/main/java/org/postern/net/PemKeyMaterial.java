package org.postern.net;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * A certificate chain and its private key, as certbot leaves them: {@code fullchain.pem} (the
 * server's certificate first, then intermediates) and {@code privkey.pem}.
 *
 * <p>Keys may be PKCS#8 ({@code PRIVATE KEY}), PKCS#1 RSA ({@code RSA PRIVATE KEY}) or SEC1 EC
 * ({@code EC PRIVATE KEY}, with or without a leading {@code EC PARAMETERS} block). The key file
 * may also be the chain file (one combined PEM). Encrypted keys are refused: a server that starts
 * unattended has nobody to type the passphrase.
 *
 * @param chain the certificate chain, leaf first, never empty
 * @param key   the leaf certificate's private key
 */
public record PemKeyMaterial(List<X509Certificate> chain, PrivateKey key) {

    public PemKeyMaterial {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("empty certificate chain");
        }
    }

    /** The server's own certificate. */
    public X509Certificate leaf() {
        return chain.getFirst();
    }

    /** The leaf's SHA-256 fingerprint as clients show it: {@code AB:CD:...}. */
    public String fingerprintSha256() {
        return fingerprintSha256(leaf());
    }

    /** One line for logs: subject, expiry and fingerprint. */
    public String describe() {
        X509Certificate leaf = leaf();
        return leaf.getSubjectX500Principal().getName() + ", " + key.getAlgorithm()
                + ", expires " + leaf.getNotAfter().toInstant() + ", SHA-256 " + fingerprintSha256();
    }

    @Override
    public String toString() { // never the key
        return "PemKeyMaterial[" + describe() + ", chain of " + chain.size() + "]";
    }

    /**
     * Loads and checks a chain and key.
     *
     * @throws TlsConfigException with a one-line message naming the file and the problem
     */
    public static PemKeyMaterial load(Path chainFile, Path keyFile) throws TlsConfigException {
        List<X509Certificate> chain = readCertificates(chainFile);
        PrivateKey key = readPrivateKey(keyFile);
        checkKeyType(keyFile, key);
        checkMatch(chainFile, keyFile, chain, key);
        return new PemKeyMaterial(chain, key);
    }

    /** Reads every certificate in a PEM file, in order; fails when there is none. */
    public static List<X509Certificate> readCertificates(Path file) throws TlsConfigException {
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        List<X509Certificate> certs = new ArrayList<>();
        try (PEMParser parser = new PEMParser(reader(file))) {
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof X509CertificateHolder holder) {
                    certs.add(converter.getCertificate(holder));
                }
            }
        } catch (CertificateException e) {
            throw TlsConfigException.of(file, "unreadable certificate: " + oneLine(e), e);
        } catch (IOException e) {
            throw TlsConfigException.of(file, "not a valid PEM file: " + oneLine(e), e);
        }
        if (certs.isEmpty()) {
            throw TlsConfigException.of(file, "no certificate found (expected a PEM block "
                    + "'-----BEGIN CERTIFICATE-----', such as certbot's fullchain.pem)");
        }
        return certs;
    }

    static String fingerprintSha256(X509Certificate cert) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e); // SHA-256 is always present
        }
    }

    private static PrivateKey readPrivateKey(Path file) throws TlsConfigException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        PrivateKey found = null;
        try (PEMParser parser = new PEMParser(reader(file))) {
            Object o;
            while ((o = parser.readObject()) != null) {
                PrivateKey key = switch (o) {
                    case PrivateKeyInfo info -> converter.getPrivateKey(info); // PKCS#8
                    case PEMKeyPair pair -> converter.getKeyPair(pair).getPrivate(); // PKCS#1, SEC1
                    case PEMEncryptedKeyPair _ -> throw encrypted(file);
                    case PKCS8EncryptedPrivateKeyInfo _ -> throw encrypted(file);
                    case ASN1ObjectIdentifier _ -> null; // the EC PARAMETERS block before a SEC1 key
                    default -> null; // certificates, in a combined file
                };
                if (key != null && found != null) {
                    throw TlsConfigException.of(file, "more than one private key; keep only the "
                            + "key of the server's certificate");
                }
                if (key != null) {
                    found = key;
                }
            }
        } catch (TlsConfigException e) {
            throw e;
        } catch (IOException e) {
            throw TlsConfigException.of(file, "not a valid PEM private key: " + oneLine(e), e);
        }
        if (found == null) {
            throw TlsConfigException.of(file, "no private key found (expected a PEM block "
                    + "'PRIVATE KEY', 'RSA PRIVATE KEY' or 'EC PRIVATE KEY', such as certbot's privkey.pem)");
        }
        return found;
    }

    private static TlsConfigException encrypted(Path file) {
        return TlsConfigException.of(file, "encrypted private keys are not supported (no one is there "
                + "to type the passphrase); decrypt it with: openssl pkey -in " + file.getFileName()
                + " -out privkey-plain.pem");
    }

    private static void checkKeyType(Path file, PrivateKey key) throws TlsConfigException {
        switch (key) {
            case RSAKey rsa when rsa.getModulus().bitLength() < 2048 -> throw TlsConfigException.of(file,
                    "RSA key of " + rsa.getModulus().bitLength() + " bits is too weak; use 2048 bits or more");
            case RSAKey _ -> { }
            case ECKey ec when !List.of(256, 384, 521).contains(ec.getParams().getCurve().getField().getFieldSize()) ->
                    throw TlsConfigException.of(file, "EC key on an unsupported curve; use P-256 or P-384");
            case ECKey _ -> { }
            default -> throw TlsConfigException.of(file, "unsupported key type " + key.getAlgorithm()
                    + "; use an RSA or EC (ECDSA) key");
        }
    }

    /** The key must sign what the leaf certificate's public key verifies. */
    private static void checkMatch(Path chainFile, Path keyFile, List<X509Certificate> chain, PrivateKey key)
            throws TlsConfigException {
        if (matches(key, chain.getFirst().getPublicKey())) {
            return;
        }
        for (int i = 1; i < chain.size(); i++) {
            if (matches(key, chain.get(i).getPublicKey())) {
                throw TlsConfigException.of(chainFile, "the certificate for " + keyFile.getFileName()
                        + " is number " + (i + 1) + " in the file; the server's own certificate must come "
                        + "first, then the intermediates (as in certbot's fullchain.pem)");
            }
        }
        throw TlsConfigException.of(keyFile, "the private key does not match the certificate in "
                + chainFile + " (" + chain.getFirst().getSubjectX500Principal().getName()
                + "); use the key that was generated with this certificate");
    }

    private static boolean matches(PrivateKey key, PublicKey pub) {
        if (!key.getAlgorithm().equals(pub.getAlgorithm())) {
            return false;
        }
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> null;
        };
        if (alg == null) {
            return false;
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(alg);
            signer.initSign(key);
            signer.update(challenge);
            byte[] sig = signer.sign();
            Signature verifier = Signature.getInstance(alg);
            verifier.initVerify(pub);
            verifier.update(challenge);
            return verifier.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static Reader reader(Path file) throws TlsConfigException {
        if (Files.isDirectory(file)) {
            throw TlsConfigException.of(file, "is a directory, expected a PEM file");
        }
        try {
            // whole file at once: PEM files are small, and errors then all surface here
            return new StringReader(Files.readString(file, StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw readError(file, e);
        }
    }

    static TlsConfigException readError(Path file, IOException e) {
        return switch (e) {
            case NoSuchFileException _ -> TlsConfigException.of(file, "no such file", e);
            case AccessDeniedException _ -> TlsConfigException.of(file, "permission denied: the server runs as user '"
                    + System.getProperty("user.name") + "', which cannot read it", e);
            default -> TlsConfigException.of(file, "cannot read: " + oneLine(e), e);
        };
    }

    private static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("\\s+", " ").trim();
    }
}
