package org.postern.smtp.dkim;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/** The signing algorithms Postern signs and verifies with (RFC 6376 §3.3, RFC 8463 §3). */
public enum Algorithm {
    RSA_SHA256("rsa-sha256", "rsa"),
    ED25519_SHA256("ed25519-sha256", "ed25519");

    final String word;
    final String keyType;

    Algorithm(String word, String keyType) {
        this.word = word;
        this.keyType = keyType;
    }

    static Algorithm of(String word) {
        for (Algorithm a : values()) {
            if (a.word.equalsIgnoreCase(word.strip())) {
                return a;
            }
        }
        return null;
    }

    public String word() {
        return word;
    }

    public String keyType() {
        return keyType;
    }

    /** RSA signs the canonical data with SHA-256 inside; Ed25519 signs its SHA-256 hash (RFC 8463 §3). */
    byte[] sign(PrivateKey key, byte[] data) throws GeneralSecurityException {
        Signature s = Signature.getInstance(this == RSA_SHA256 ? "SHA256withRSA" : "Ed25519");
        s.initSign(key);
        s.update(this == RSA_SHA256 ? data : sha256(data));
        return s.sign();
    }

    boolean verify(PublicKey key, byte[] data, byte[] signature) throws GeneralSecurityException {
        Signature s = Signature.getInstance(this == RSA_SHA256 ? "SHA256withRSA" : "Ed25519");
        s.initVerify(key);
        s.update(this == RSA_SHA256 ? data : sha256(data));
        return s.verify(signature);
    }

    static byte[] sha256(byte[] data) throws GeneralSecurityException {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }
}
