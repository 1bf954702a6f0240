package org.postern.smtp.dkim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * The DKIM keys of this server's domains: {@code dkim/DOMAIN.rsa.pem} (RSA-2048) and
 * {@code dkim/DOMAIN.ed25519.pem}, PKCS#8 PEM files readable only by their owner, made when
 * first needed. Thread-safe; another process making the same key at the same moment loses the
 * race harmlessly (the first file written stays).
 */
public final class DkimKeys {
    /** The X.509 SubjectPublicKeyInfo prefix of an Ed25519 key (RFC 8410 §4); the raw key follows. */
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    /** A domain's key for one algorithm. */
    public record Key(Algorithm algorithm, String selector, PrivateKey privateKey, PublicKey publicKey) {
        /** The TXT record to publish at {@code selector._domainkey.DOMAIN} (RFC 6376 §3.6.1, RFC 8463 §4). */
        public String dnsRecord() {
            return "v=DKIM1; k=" + algorithm.keyType() + "; p=" + Base64.getEncoder().encodeToString(publicKeyData(this));
        }
    }

    private final Path dir;
    private final String selector;
    private final Map<String, Key[]> loaded = new ConcurrentHashMap<>();

    public DkimKeys(Path dir, String selector) {
        this.dir = dir;
        this.selector = selector;
    }

    public String selector(Algorithm a) {
        return selector + "-" + a.keyType();
    }

    /** The RSA and Ed25519 keys of a domain, made now if missing. */
    public synchronized Key[] keys(String domain) throws IOException {
        String d = domain.toLowerCase(Locale.ROOT);
        if (!d.matches("[a-z0-9]([a-z0-9.-]*[a-z0-9])?")) {
            throw new IOException("not a domain name for a key file: " + domain);
        }
        Key[] k = loaded.get(d);
        if (k == null) {
            k = new Key[] {load(d, Algorithm.RSA_SHA256), load(d, Algorithm.ED25519_SHA256)};
            loaded.put(d, k);
        }
        return k;
    }

    /** True when both key files of a domain exist. */
    public boolean exists(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        return Files.exists(file(d, Algorithm.RSA_SHA256)) && Files.exists(file(d, Algorithm.ED25519_SHA256));
    }

    public Path file(String domain, Algorithm a) {
        return dir.resolve(domain + "." + a.keyType() + ".pem");
    }

    private Key load(String domain, Algorithm a) throws IOException {
        Path f = file(domain, a);
        if (!Files.exists(f)) {
            create(f, a);
        }
        String pem = Files.readString(f, StandardCharsets.US_ASCII);
        String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(b64);
            PrivateKey priv = KeyFactory.getInstance(a == Algorithm.RSA_SHA256 ? "RSA" : "Ed25519")
                    .generatePrivate(new PKCS8EncodedKeySpec(der));
            return new Key(a, selector(a), priv, publicOf(a, priv));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(f + ": not a PKCS#8 " + a.keyType() + " private key: " + e.getMessage());
        }
    }

    private static PublicKey publicOf(Algorithm a, PrivateKey priv) throws GeneralSecurityException {
        if (a == Algorithm.RSA_SHA256) {
            RSAPrivateCrtKey k = (RSAPrivateCrtKey) priv;
            return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(k.getModulus(), k.getPublicExponent()));
        }
        byte[] seed = ((EdECPrivateKey) priv).getBytes().orElseThrow(() -> new GeneralSecurityException("no Ed25519 seed"));
        byte[] raw = new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
        return ed25519PublicKey(raw);
    }

    /** An Ed25519 public key from its 32 raw bytes (the p= of RFC 8463 §4). */
    static PublicKey ed25519PublicKey(byte[] raw) throws GeneralSecurityException {
        byte[] spki = Arrays.copyOf(ED25519_SPKI_PREFIX, ED25519_SPKI_PREFIX.length + raw.length);
        System.arraycopy(raw, 0, spki, ED25519_SPKI_PREFIX.length, raw.length);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    }

    /** p= data: SubjectPublicKeyInfo for RSA (RFC 6376 §3.6.1), the raw 32 bytes for Ed25519 (RFC 8463 §4). */
    static byte[] publicKeyData(Key k) {
        byte[] spki = k.publicKey().getEncoded();
        return k.algorithm() == Algorithm.RSA_SHA256 ? spki : Arrays.copyOfRange(spki, ED25519_SPKI_PREFIX.length, spki.length);
    }

    private void create(Path f, Algorithm a) throws IOException {
        Files.createDirectories(dir);
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        KeyPair pair;
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(a == Algorithm.RSA_SHA256 ? "RSA" : "Ed25519");
            if (a == Algorithm.RSA_SHA256) {
                g.initialize(2048);
            }
            pair = g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make " + a.keyType() + " keys", e);
        }
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Path tmp = dir.resolve("." + f.getFileName() + "." + UUID.randomUUID() + ".tmp");
        Files.writeString(tmp, pem, StandardCharsets.US_ASCII);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        try {
            Files.createLink(f, tmp); // a link never replaces: a key another process just made stays
        } catch (FileAlreadyExistsException e) {
            // the other one won
        } catch (UnsupportedOperationException e) {
            try {
                Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e2) {
                Files.move(tmp, f);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
