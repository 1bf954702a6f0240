package org.postern.net;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A server key manager whose certificate can be replaced while the SSLContext lives on: each
 * full handshake first gives {@code beforeChoose} a chance to reload, then picks the current
 * generation. Every generation has its own alias, and the last few stay reachable by alias, so
 * a handshake that chose its alias just before a swap still gets the matching chain and key.
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {
    private static final int KEEP_GENERATIONS = 4;

    private record Generation(String alias, PemKeyMaterial material) {
        boolean serves(String keyType) {
            // JSSE asks by key algorithm ("EC", "RSA"), sometimes with "_signer" appended
            int underscore = keyType.indexOf('_');
            String alg = underscore < 0 ? keyType : keyType.substring(0, underscore);
            return alg.equals(material.key().getAlgorithm());
        }
    }

    private final Runnable beforeChoose;
    private final Map<String, Generation> byAlias = new ConcurrentHashMap<>();
    private volatile Generation current;
    private long counter;

    ReloadingKeyManager(PemKeyMaterial initial, Runnable beforeChoose) {
        this.beforeChoose = beforeChoose;
        install(initial);
    }

    synchronized void install(PemKeyMaterial material) {
        counter++;
        Generation g = new Generation("postern-" + counter, material);
        byAlias.put(g.alias(), g);
        byAlias.remove("postern-" + (counter - KEEP_GENERATIONS));
        current = g;
    }

    PemKeyMaterial current() {
        return current.material();
    }

    private String choose(String keyType) {
        beforeChoose.run();
        Generation g = current;
        return g.serves(keyType) ? g.alias() : null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return choose(keyType);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        Generation g = current;
        return g.serves(keyType) ? new String[] {g.alias()} : null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Generation g = byAlias.get(alias);
        return g == null ? null : g.material().chain().toArray(X509Certificate[]::new);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Generation g = byAlias.get(alias);
        return g == null ? null : g.material().key();
    }

    // server only: no client certificates

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }
}
