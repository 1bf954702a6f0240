package org.postern.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Account password hashing with Argon2id (RFC 9106), stored in the PHC string format
 * {@code $argon2id$v=19$m=19456,t=2,p=1$SALT$HASH}, so parameters can be raised later while old
 * hashes still verify.
 *
 * <p>Argon2id is slow and memory-hard on purpose (19 MiB per check, OWASP's recommendation). At
 * most {@link #CONCURRENT} checks run at once, so a burst of logins cannot exhaust memory.
 */
public final class Passwords {
    private static final int MEMORY_KIB = 19 * 1024;
    private static final int ITERATIONS = 2;
    private static final int PARALLELISM = 1;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    static final int CONCURRENT = Math.max(2, Runtime.getRuntime().availableProcessors());
    /** Longer passwords are refused before hashing: nobody types them, and they cost time. */
    public static final int MAX_LENGTH = 1024;

    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Semaphore PERMITS = new Semaphore(CONCURRENT, true);
    /** Verified against when an account does not exist, so the answer takes the same time. */
    private static final String DUMMY_HASH = hash("not a password: timing equaliser");

    private Passwords() {}

    /** Hashes a password with a new random salt. */
    public static String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] out = argon2(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES);
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(out);
    }

    /** Checks a password against a stored PHC string; false for a malformed one. */
    public static boolean verify(String password, String phc) {
        if (password == null || password.length() > MAX_LENGTH || phc == null) {
            return false;
        }
        String[] f = phc.split("\\$");
        // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
        if (f.length != 6 || !f[1].equals("argon2id") || !f[2].equals("v=19")) {
            return false;
        }
        int m = -1;
        int t = -1;
        int p = -1;
        byte[] salt;
        byte[] expected;
        try {
            for (String kv : f[3].split(",")) {
                int v = Integer.parseInt(kv.substring(2));
                switch (kv.substring(0, 2)) {
                    case "m=" -> m = v;
                    case "t=" -> t = v;
                    case "p=" -> p = v;
                    default -> {
                        return false;
                    }
                }
            }
            salt = B64D.decode(f[4]);
            expected = B64D.decode(f[5]);
        } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
            return false;
        }
        if (m < 8 || m > 1 << 21 || t < 1 || t > 64 || p < 1 || p > 16 || expected.length < 16 || expected.length > 64) {
            return false;
        }
        byte[] actual = argon2(password, salt, m, t, p, expected.length);
        return MessageDigest.isEqual(actual, expected);
    }

    /** Spends the time of one verification, for unknown accounts (equal timing). */
    public static void verifyDummy(String password) {
        verify(password == null ? "" : password, DUMMY_HASH);
    }

    private static byte[] argon2(String password, byte[] salt, int memoryKib, int iterations, int parallelism, int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build();
        byte[] pw = password.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[length];
        PERMITS.acquireUninterruptibly();
        try {
            Argon2BytesGenerator gen = new Argon2BytesGenerator();
            gen.init(params);
            gen.generateBytes(pw, out);
        } finally {
            PERMITS.release();
            Arrays.fill(pw, (byte) 0);
        }
        return out;
    }

    /** A password a person can read and type: four groups of five from an unambiguous alphabet. */
    public static String generate() {
        String alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        StringBuilder sb = new StringBuilder(23);
        for (int i = 0; i < 20; i++) {
            if (i > 0 && i % 5 == 0) {
                sb.append('-');
            }
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /** Why a new account password is refused, or null when it is acceptable. */
    public static String weakness(String password) {
        if (password.length() < 8) {
            return "the password must have at least 8 characters";
        }
        if (password.length() > MAX_LENGTH) {
            return "the password must have at most " + MAX_LENGTH + " characters";
        }
        if (password.isBlank()) {
            return "the password cannot be only spaces";
        }
        for (int i = 0; i < password.length(); i++) {
            if (Character.isISOControl(password.charAt(i))) {
                return "the password cannot contain control characters";
            }
        }
        return null;
    }
}
