package org.postern.net;

import java.util.Optional;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLSession;

/**
 * What a TLS session settled on, for logs, {@code Received:} headers (RFC 8314 §4.3) and the
 * connection doctor.
 *
 * @param protocol    "TLSv1.3" or "TLSv1.2"
 * @param cipherSuite the IANA name, such as "TLS_AES_128_GCM_SHA256"
 * @param serverName  the host name the client asked for with SNI (RFC 6066 §3), if any
 */
public record TlsInfo(String protocol, String cipherSuite, Optional<String> serverName) {

    static TlsInfo of(SSLSession s) {
        Optional<String> sni = Optional.empty();
        if (s instanceof ExtendedSSLSession ext) {
            sni = ext.getRequestedServerNames().stream()
                    .filter(n -> n instanceof SNIHostName)
                    .map(n -> ((SNIHostName) n).getAsciiName())
                    .findFirst();
        }
        return new TlsInfo(s.getProtocol(), s.getCipherSuite(), sni);
    }

    @Override
    public String toString() {
        return protocol + " " + cipherSuite + serverName.map(n -> " sni=" + n).orElse("");
    }
}
