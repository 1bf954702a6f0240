package org.postern.net;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.IDN;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes the self-signed certificate that {@code postern init} installs, so TLS works before the
 * administrator brings a real one.
 *
 * <p>Key: ECDSA on P-256. Every client that can do TLS 1.2 with AEAD suites (the only ones
 * Postern offers) supports ECDSA P-256 certificates; the handshake signature is much cheaper for
 * the server than RSA-2048 (which matters on two cores), the certificate is smaller, and it is
 * certbot's default key type too.
 *
 * <p>Extensions: basicConstraints CA:FALSE, extendedKeyUsage serverAuth, subjectAltName, key
 * identifiers. No keyUsage: it is optional for an end-entity certificate (RFC 5280 §4.2.1.3), and
 * leaving it out spares older OpenSSL-based clients any doubt that a certificate they were told
 * to trust is self-signed.
 *
 * <p>Validity: 730 days, under the 825 days that Apple's clients accept for a TLS server
 * certificate even when the user has chosen to trust it; Apple also requires the names in
 * subjectAltName and the serverAuth extended key usage, which are set.
 */
public final class SelfSigned {
    static final Duration VALIDITY = Duration.ofDays(730);
    private static final Duration BACKDATE = Duration.ofHours(1); // tolerate client clock skew
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Set<PosixFilePermission> KEY_MODE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> CERT_MODE = PosixFilePermissions.fromString("rw-r--r--");

    private SelfSigned() {
    }

    /**
     * Generates a key and a certificate for {@code hostname} and writes them as PEM in certbot's
     * layout: the certificate to {@code chainOut} (mode 0644), the PKCS#8 key to {@code keyOut}
     * (mode 0600). Each file is replaced atomically. Returns what was written.
     */
    public static PemKeyMaterial create(String hostname, Path chainOut, Path keyOut) throws IOException {
        KeyPair keys = generateKeyPair();
        X509Certificate cert = certificate(keys, hostname, Instant.now(), VALIDITY);
        writeAtomically(keyOut, toPem(new JcaPKCS8Generator(keys.getPrivate(), null)), KEY_MODE);
        writeAtomically(chainOut, toPem(cert), CERT_MODE);
        return new PemKeyMaterial(List.of(cert), keys.getPrivate());
    }

    static KeyPair generateKeyPair() {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"));
            return gen.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no EC P-256 support in this JDK", e);
        }
    }

    /** A self-signed server certificate for {@code keys}; package-private for tests with other key types. */
    static X509Certificate certificate(KeyPair keys, String hostname, Instant now, Duration validity) {
        String host = normalize(hostname);
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, host).build();
        Instant notBefore = now.minus(BACKDATE);
        byte[] serial = new byte[16]; // RFC 5280 §4.1.2.2: positive, at most 20 octets
        new SecureRandom().nextBytes(serial);
        serial[0] = (byte) ((serial[0] & 0x7f) | 0x40);
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, new BigInteger(serial),
                    Date.from(notBefore), Date.from(notBefore.plus(validity)), name, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, subjectAltNames(host))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            ext.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            ext.createAuthorityKeyIdentifier(keys.getPublic()));
            String sigAlg = keys.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(sigAlg).build(keys.getPrivate())));
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IllegalStateException("cannot build a certificate for " + host, e);
        }
    }

    /** RFC 6125 §6.4: clients match the names in subjectAltName, not the CN. */
    private static GeneralNames subjectAltNames(String host) {
        List<GeneralName> names = new ArrayList<>();
        InetAddress ip = ipLiteral(host);
        names.add(ip == null ? new GeneralName(GeneralName.dNSName, host)
                : new GeneralName(GeneralName.iPAddress, ip.getHostAddress()));
        if (isLocal(host, ip)) {
            for (String extra : List.of("localhost", "127.0.0.1", "::1")) {
                GeneralName g = ipLiteral(extra) == null ? new GeneralName(GeneralName.dNSName, extra)
                        : new GeneralName(GeneralName.iPAddress, extra);
                if (!names.contains(g)) {
                    names.add(g);
                }
            }
        }
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    /** Localhost-ish: RFC 6761 §6.3 names, and loopback addresses. */
    static boolean isLocal(String host, InetAddress ip) {
        if (ip != null) {
            return ip.isLoopbackAddress();
        }
        return host.equals("localhost") || host.endsWith(".localhost") || host.equals("localhost.localdomain");
    }

    /** Lower case, no trailing dot, IDNA A-labels (RFC 5891); fails on anything not a host name or IP. */
    static String normalize(String hostname) {
        String h = hostname == null ? "" : hostname.strip();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        InetAddress ip = ipLiteral(h);
        if (ip != null) {
            return ip.getHostAddress();
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        try {
            h = IDN.toASCII(h, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a valid host name: '" + hostname + "'", e);
        }
        if (h.isEmpty() || h.length() > 253) {
            throw new IllegalArgumentException("not a valid host name: '" + hostname + "'");
        }
        for (String label : h.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("not a valid host name: '" + hostname + "'");
            }
        }
        return h;
    }

    private static InetAddress ipLiteral(String s) {
        try {
            return InetAddress.ofLiteral(s); // never a DNS lookup
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String toPem(Object o) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Writes to a temporary file in the same folder, syncs it, then renames it over the target. */
    static void writeAtomically(Path target, String content, Set<PosixFilePermission> mode) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
        Path tmp = posix
                ? Files.createTempFile(dir, "." + abs.getFileName(), ".tmp", PosixFilePermissions.asFileAttribute(KEY_MODE))
                : Files.createTempFile(dir, "." + abs.getFileName(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII));
                while (bytes.hasRemaining()) {
                    ch.write(bytes);
                }
                ch.force(true);
            }
            if (posix) {
                Files.setPosixFilePermissions(tmp, mode); // exact, whatever the umask
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true); // the rename itself
        } catch (IOException ignored) {
            // not every platform can sync a directory
        }
    }
}
