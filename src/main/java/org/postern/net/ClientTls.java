package org.postern.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The client side of TLS, for outbound SMTP and for tests: the same protocol and cipher policy
 * as the server, server certificates checked against a set of trust anchors, and the server's
 * name checked against the certificate (RFC 6125, as RFC 7817 §3 asks of mail clients).
 *
 * <p>Immutable and thread-safe.
 */
public final class ClientTls {
    private final TrustManager[] trust;
    private final TlsPolicy policy;
    private final SSLContext context;

    private final boolean verifyName;

    private ClientTls(TrustManager[] trust, TlsPolicy policy) {
        this(trust, policy, true);
    }

    private ClientTls(TrustManager[] trust, TlsPolicy policy, boolean verifyName) {
        this.trust = trust;
        this.policy = policy;
        this.verifyName = verifyName;
        try {
            SSLContext raw = SSLContext.getInstance("TLS");
            raw.init(null, trust, null);
            this.context = PolicySslContext.wrap(raw, policy);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JSSE cannot create a TLS context", e);
        }
    }

    /** Trusts the JDK's certificate authorities (for the public internet). */
    public static ClientTls systemTrust() {
        return new ClientTls(null, TlsPolicy.MODERN);
    }

    /**
     * Encrypts without checking who is at the other end: opportunistic TLS for SMTP between
     * servers (RFC 7435, RFC 3207 §4.1: a publicly-referenced server need not have a certificate a
     * client can check). Encryption against passive listening, no protection from an active
     * attacker; MTA-STS (RFC 8461) asks for {@link #systemTrust()} instead.
     */
    public static ClientTls unverified() {
        return new ClientTls(new TrustManager[] {new AnyCertificate()}, TlsPolicy.MODERN, false);
    }

    /** The JDK's certificate authorities and the certificates in {@code extraPem} (a private CA, tests). */
    public static ClientTls systemTrustAnd(Path extraPem) throws TlsConfigException {
        List<X509Certificate> all = new java.util.ArrayList<>(PemKeyMaterial.readCertificates(extraPem));
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init((KeyStore) null);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof javax.net.ssl.X509TrustManager x) {
                    all.addAll(List.of(x.getAcceptedIssuers()));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the JDK's trust store", e);
        }
        return trusting(all);
    }

    /** Trusts exactly these certificates, such as a server's self-signed one. */
    public static ClientTls trusting(Collection<X509Certificate> anchors) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (X509Certificate c : anchors) {
                store.setCertificateEntry("anchor-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            return new ClientTls(tmf.getTrustManagers(), TlsPolicy.MODERN);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a trust store", e);
        }
    }

    /** Trusts the certificates in a PEM file, such as the server's own {@code fullchain.pem}. */
    public static ClientTls trustingPem(Path pemFile) throws TlsConfigException {
        return trusting(PemKeyMaterial.readCertificates(pemFile));
    }

    /** The same trust with other protocol versions (tests, and peers that need them). */
    public ClientTls withProtocols(String... protocols) {
        return new ClientTls(trust, new TlsPolicy(List.of(protocols), policy.cipherSuites(), policy.namedGroups()), verifyName);
    }

    /** The same trust with other cipher suites (tests, and peers that need them). */
    public ClientTls withCipherSuites(String... suites) {
        return new ClientTls(trust, new TlsPolicy(policy.protocols(), List.of(suites), policy.namedGroups()), verifyName);
    }

    public SSLContext sslContext() {
        return context;
    }

    /** Connects, shakes hands and checks the certificate against {@code serverName}. */
    public SSLSocket connect(InetSocketAddress address, String serverName, Duration timeout) throws IOException {
        Socket plain = new Socket();
        try {
            plain.connect(address, Durations.soTimeoutMillis(timeout));
            return upgrade(plain, serverName, timeout);
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /**
     * Layers TLS over a connected socket (after a server's STARTTLS go-ahead), shakes hands and
     * checks the certificate against {@code serverName} (a host name, or an IP literal checked
     * against the certificate's IP addresses). The caller must have dropped any plaintext it
     * read ahead (RFC 3207 §4.2). On failure both sockets are closed.
     */
    public SSLSocket upgrade(Socket plain, String serverName, Duration timeout) throws IOException {
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(plain, serverName, plain.getPort(), true);
        SSLParameters p = s.getSSLParameters();
        if (verifyName) {
            p.setEndpointIdentificationAlgorithm("HTTPS"); // RFC 2818 §3.1 / RFC 6125 name matching
        }
        if (!isIpLiteral(serverName)) {
            p.setServerNames(List.of(new SNIHostName(serverName))); // RFC 6066 §3: names only
        }
        try {
            s.setSSLParameters(p);
            int previous = plain.getSoTimeout();
            s.setSoTimeout(Durations.soTimeoutMillis(timeout));
            s.startHandshake();
            s.setSoTimeout(previous);
            return s;
        } catch (IOException | RuntimeException e) {
            s.close(); // and the plain socket under it
            throw e;
        }
    }

    private static boolean isIpLiteral(String s) {
        try {
            InetAddress.ofLiteral(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether this context checks certificates and names ({@link #unverified()} does not). */
    public boolean verifies() {
        return verifyName;
    }

    /** Accepts every certificate: for {@link #unverified()} only. */
    private static final class AnyCertificate extends javax.net.ssl.X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
