package org.postern.net;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of TLS: a certificate chain and key from two PEM files, served with TLS 1.3
 * and 1.2 only, forward-secret AEAD suites only, the server's cipher order, and no
 * client-initiated renegotiation.
 *
 * <p>Renewal without restart: at most once per reload-check interval, the next full handshake
 * compares the two files' modification time, size and identity with those loaded; when they
 * changed, the files are loaded again and new handshakes use the new certificate. A reload that
 * fails keeps the certificate being served and logs one warning for that state of the files
 * (certbot replaces the files one at a time, so a first attempt may see a new chain with the
 * old key; the next change is tried again).
 *
 * <p>Thread-safe; one instance per certificate, shared by every listener that uses it.
 */
public final class TlsContext {
    private static final Logger log = LoggerFactory.getLogger(TlsContext.class);

    /** How often a handshake may look at the files: cheap, and soon enough after a renewal. */
    public static final Duration DEFAULT_RELOAD_CHECK = Duration.ofSeconds(5);
    private static final Duration EXPIRY_WARNING = Duration.ofDays(14);
    private static final String REJECT_RENEGOTIATION = "jdk.tls.rejectClientInitiatedRenegotiation";

    static {
        // A client-initiated renegotiation (TLS 1.2; 1.3 has none, RFC 8446 §4.1) gives a client a
        // fresh expensive handshake per round trip and us nothing. JSSE's only switch is JVM-wide and
        // read once, when the first server handshake loads its class; an explicit setting wins.
        if (System.getProperty(REJECT_RENEGOTIATION) == null) {
            System.setProperty(REJECT_RENEGOTIATION, "true");
        }
    }

    private record FileStamp(long modifiedNanos, long size, Object fileKey) {
        static final FileStamp UNREADABLE = new FileStamp(-1, -1, null);

        static FileStamp of(Path p) {
            try {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                return new FileStamp(a.lastModifiedTime().to(TimeUnit.NANOSECONDS), a.size(), a.fileKey());
            } catch (IOException e) {
                return UNREADABLE;
            }
        }
    }

    private record Stamp(FileStamp chain, FileStamp key) {
        static Stamp of(Path chain, Path key) {
            return new Stamp(FileStamp.of(chain), FileStamp.of(key));
        }
    }

    private final Path chainFile;
    private final Path keyFile;
    private final long checkIntervalNanos;
    private final AtomicLong nextCheck;
    private final ReloadingKeyManager keys;
    private final SSLContext context;
    private Stamp loaded; // guarded by this
    private Stamp failed; // guarded by this

    private TlsContext(Path chainFile, Path keyFile, Duration checkInterval, PemKeyMaterial material, Stamp stamp) {
        this.chainFile = chainFile;
        this.keyFile = keyFile;
        this.checkIntervalNanos = checkInterval.toNanos();
        this.nextCheck = new AtomicLong(System.nanoTime() + checkIntervalNanos);
        this.loaded = stamp;
        this.keys = new ReloadingKeyManager(material, this::maybeReload);
        try {
            SSLContext raw = SSLContext.getInstance("TLS");
            // no trust managers: the server asks for no client certificate, so skip loading cacerts
            raw.init(new KeyManager[] {keys}, new TrustManager[0], null);
            this.context = PolicySslContext.wrap(raw, TlsPolicy.MODERN);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JSSE cannot create a TLS context", e);
        }
        log.info("TLS certificate loaded from {}: {}", chainFile, material.describe());
        warnIfExpiring(material);
    }

    /** Loads the chain and key, checking the files for changes every {@link #DEFAULT_RELOAD_CHECK}. */
    public static TlsContext load(Path chainFile, Path keyFile) throws TlsConfigException {
        return load(chainFile, keyFile, DEFAULT_RELOAD_CHECK);
    }

    /**
     * Loads the chain and key.
     *
     * @param reloadCheckInterval the least time between two looks at the files; zero looks at every
     *                            full handshake
     * @throws TlsConfigException when the files cannot be used, with a one-line message
     */
    public static TlsContext load(Path chainFile, Path keyFile, Duration reloadCheckInterval)
            throws TlsConfigException {
        if (reloadCheckInterval.isNegative()) {
            throw new IllegalArgumentException("negative reload check interval");
        }
        Stamp stamp = Stamp.of(chainFile, keyFile);
        PemKeyMaterial material = PemKeyMaterial.load(chainFile, keyFile);
        return new TlsContext(chainFile, keyFile, reloadCheckInterval, material, stamp);
    }

    /**
     * The server SSLContext: every socket, server socket and engine it creates is restricted to
     * the policy above, and presents the current certificate.
     */
    public SSLContext sslContext() {
        return context;
    }

    /**
     * Layers server-side TLS over a connected plain socket; the handshake has not started yet.
     * Used right after accept for implicit TLS (ports 993, 995, 465; RFC 8314 §3) and after the
     * go-ahead for STARTTLS/STLS. No already-read bytes are passed on: for STARTTLS, plaintext
     * received before the upgrade must be discarded, never fed to TLS or to the protocol
     * (RFC 3207 §4.2), which {@link Connection#startTls()} does.
     */
    public SSLSocket wrap(Socket plain) throws IOException {
        return (SSLSocket) context.getSocketFactory().createSocket(plain, null, true);
    }

    /** The certificate and key that new handshakes present now. */
    public PemKeyMaterial material() {
        return keys.current();
    }

    public Path chainFile() {
        return chainFile;
    }

    public Path keyFile() {
        return keyFile;
    }

    /**
     * Looks at the files now and loads them when they changed since the last load or failed
     * attempt. Returns true when a new certificate is now served.
     */
    public synchronized boolean reloadIfChanged() {
        Stamp now = Stamp.of(chainFile, keyFile);
        if (now.equals(loaded) || now.equals(failed)) {
            return false;
        }
        try {
            PemKeyMaterial material = PemKeyMaterial.load(chainFile, keyFile);
            keys.install(material);
            loaded = now;
            failed = null;
            log.info("TLS certificate reloaded from {}: {}", chainFile, material.describe());
            warnIfExpiring(material);
            return true;
        } catch (TlsConfigException e) {
            failed = now;
            log.warn("TLS certificate reload failed, still serving the previous certificate (SHA-256 {}): {}",
                    keys.current().fingerprintSha256(), e.getMessage());
            return false;
        }
    }

    private void maybeReload() {
        long now = System.nanoTime();
        long next = nextCheck.get();
        if (now - next < 0 || !nextCheck.compareAndSet(next, now + checkIntervalNanos)) {
            return;
        }
        reloadIfChanged();
    }

    private void warnIfExpiring(PemKeyMaterial material) {
        Instant notAfter = material.leaf().getNotAfter().toInstant();
        Instant now = Instant.now();
        if (notAfter.isBefore(now)) {
            log.warn("TLS certificate in {} expired on {}; clients will refuse it", chainFile, notAfter);
        } else if (notAfter.isBefore(now.plus(EXPIRY_WARNING))) {
            log.warn("TLS certificate in {} expires on {}; renew it", chainFile, notAfter);
        }
    }
}
