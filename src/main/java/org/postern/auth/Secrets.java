package org.postern.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The random secrets Postern hands out and stores only as SHA-256 hashes: app passwords, backup
 * codes and OAuth tokens. They carry enough entropy (75 bits and more) that a fast hash is as safe
 * as a slow one and a thousand times cheaper (DESIGN.md, Threads and the store).
 */
public final class Secrets {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {}

    /** An app password: 16 lowercase letters (26^16, 75 bits), as Google makes them. */
    public static String newAppPassword() {
        StringBuilder sb = new StringBuilder(16);
        for (int i = 0; i < 16; i++) {
            sb.append((char) ('a' + RANDOM.nextInt(26)));
        }
        return sb.toString();
    }

    /** Shown once, in four groups of four: {@code abcd efgh ijkl mnop}. */
    public static String formatAppPassword(String p) {
        return p.substring(0, 4) + " " + p.substring(4, 8) + " " + p.substring(8, 12) + " " + p.substring(12, 16);
    }

    /** What a typed password is as an app password (spaces ignored, any case), if it can be one. */
    public static Optional<String> asAppPassword(String typed) {
        if (typed == null || typed.length() > 64) {
            return Optional.empty();
        }
        String s = typed.replace(" ", "").toLowerCase(Locale.ROOT);
        return s.length() == 16 && s.chars().allMatch(c -> c >= 'a' && c <= 'z') ? Optional.of(s) : Optional.empty();
    }

    /** Ten backup codes of eight digits, for when the phone is lost. */
    public static List<String> newBackupCodes() {
        List<String> out = new ArrayList<>(10);
        for (int i = 0; i < 10; i++) {
            out.add(String.format(Locale.ROOT, "%08d", RANDOM.nextInt(100_000_000)));
        }
        return out;
    }

    /** A bearer token: "pst_" and 256 random bits in base64url. */
    public static String newToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return "pst_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
