package org.postern.net;

import java.util.List;
import java.util.Set;

import javax.net.ssl.SSLParameters;

/**
 * The TLS versions and cipher suites Postern speaks, server and client side, in one place.
 *
 * @param protocols    enabled protocol versions, preferred first
 * @param cipherSuites enabled suites, preferred first (the server's order wins)
 * @param namedGroups  key-exchange groups, preferred first
 */
record TlsPolicy(List<String> protocols, List<String> cipherSuites, List<String> namedGroups) {

    /** RFC 5746 §3.3 signalling value, not a cipher. */
    static final String SCSV = "TLS_EMPTY_RENEGOTIATION_INFO_SCSV";

    /** RFC 8996 deprecates TLS 1.0 and 1.1; RFC 8446 is 1.3, RFC 5246 is 1.2. */
    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /**
     * Forward secrecy (ECDHE) and AEAD only, in the order of Mozilla's "intermediate"
     * configuration minus its DHE suites. All TLS 1.3 suites are AEAD with ephemeral key
     * exchange (RFC 8446 §9.1, §B.4).
     */
    static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            SCSV);

    /**
     * The elliptic-curve groups of Mozilla's "intermediate" configuration. The JDK would also
     * offer x448, secp521r1 and the finite-field ffdhe groups (RFC 7919): slower, and nothing a
     * current mail client needs (every one has x25519 or secp256r1).
     */
    static final List<String> NAMED_GROUPS = List.of("x25519", "secp256r1", "secp384r1");

    static final TlsPolicy MODERN = new TlsPolicy(PROTOCOLS, CIPHER_SUITES, NAMED_GROUPS);

    TlsPolicy {
        protocols = List.copyOf(protocols);
        cipherSuites = List.copyOf(cipherSuites);
        namedGroups = List.copyOf(namedGroups);
    }

    /** This policy cut down to what a JSSE provider supports; fails when nothing is left. */
    TlsPolicy supportedBy(SSLParameters supported) {
        Set<String> protos = Set.of(supported.getProtocols());
        Set<String> suites = Set.of(supported.getCipherSuites());
        List<String> p = protocols.stream().filter(protos::contains).toList();
        List<String> c = cipherSuites.stream().filter(suites::contains).toList();
        String[] known = supported.getNamedGroups();
        List<String> g = known == null ? namedGroups : namedGroups.stream().filter(Set.of(known)::contains).toList();
        if (p.isEmpty() || c.stream().allMatch(SCSV::equals) || g.isEmpty()) {
            throw new IllegalArgumentException("no supported protocol, cipher suite or group in " + this);
        }
        return new TlsPolicy(p, c, g);
    }

    /** Applies the policy to {@code p} (which is changed and returned); other settings are kept. */
    SSLParameters applyTo(SSLParameters p) {
        p.setProtocols(protocols.toArray(String[]::new));
        p.setCipherSuites(cipherSuites.toArray(String[]::new));
        p.setUseCipherSuitesOrder(true); // the server's preference, not the client's
        p.setNamedGroups(namedGroups.toArray(String[]::new));
        return p;
    }

    @Override
    public String toString() {
        return "TlsPolicy" + protocols + cipherSuites + namedGroups;
    }
}
