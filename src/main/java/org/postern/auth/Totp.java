package org.postern.auth;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.util.encoders.Base32;

/**
 * Time-based one-time passwords (RFC 6238) as authenticator apps make them: HMAC-SHA-1, 30-second
 * steps, 6 digits, one step of clock drift either way. That a code is used once only is the
 * caller's part (it records the step it accepted).
 */
public final class Totp {
    public static final int PERIOD_SECONDS = 30;
    public static final int DIGITS = 6;
    /** Steps of clock drift accepted either side (RFC 6238 §5.2). */
    public static final int DRIFT_STEPS = 1;

    private static final SecureRandom RANDOM = new SecureRandom();

    private Totp() {}

    /** A new secret: 160 random bits (RFC 4226 §4 recommends them), base32 without padding. */
    public static String newSecret() {
        byte[] key = new byte[20];
        RANDOM.nextBytes(key);
        return Base32.toBase32String(key).replace("=", "");
    }

    /** The key URI authenticator apps read from a QR code (Google Authenticator's format). */
    public static String uri(String issuer, String account, String secretBase32) {
        String label = enc(issuer) + ":" + enc(account);
        return "otpauth://totp/" + label + "?secret=" + secretBase32 + "&issuer=" + enc(issuer)
                + "&algorithm=SHA1&digits=" + DIGITS + "&period=" + PERIOD_SECONDS;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The time step of an instant (RFC 6238 §4.2: T = floor((now - T0) / X), T0 = 0). */
    public static long step(long epochMillis) {
        return Math.floorDiv(epochMillis / 1000, PERIOD_SECONDS);
    }

    /** The code of a step, {@code digits} long, with the given HMAC ("HmacSHA1", "HmacSHA256", "HmacSHA512"). */
    public static String code(byte[] key, long step, int digits, String hmac) {
        try {
            Mac mac = Mac.getInstance(hmac);
            mac.init(new SecretKeySpec(key, "RAW"));
            byte[] counter = new byte[8];
            for (int i = 7; i >= 0; i--) {
                counter[i] = (byte) (step >>> (8 * (7 - i)));
            }
            byte[] h = mac.doFinal(counter);
            int offset = h[h.length - 1] & 0x0f; // RFC 4226 §5.3, dynamic truncation
            int binary = ((h[offset] & 0x7f) << 24) | ((h[offset + 1] & 0xff) << 16)
                    | ((h[offset + 2] & 0xff) << 8) | (h[offset + 3] & 0xff);
            int mod = 1;
            for (int i = 0; i < digits; i++) {
                mod *= 10;
            }
            return String.format(Locale.ROOT, "%0" + digits + "d", binary % mod);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String code(String secretBase32, long step) {
        return code(decode(secretBase32), step, DIGITS, "HmacSHA1");
    }

    /**
     * The step whose code {@code code} is, within the drift allowed around {@code now}, or -1.
     * Spaces in the code are ignored.
     */
    public static long matchingStep(String secretBase32, String code, long nowMillis) {
        String c = code == null ? "" : code.replace(" ", "");
        if (c.length() != DIGITS || !c.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        long now = step(nowMillis);
        byte[] key = decode(secretBase32);
        for (long s = now - DRIFT_STEPS; s <= now + DRIFT_STEPS; s++) {
            if (java.security.MessageDigest.isEqual(code(key, s, DIGITS, "HmacSHA1").getBytes(StandardCharsets.US_ASCII),
                    c.getBytes(StandardCharsets.US_ASCII))) {
                return s;
            }
        }
        return -1;
    }

    static byte[] decode(String secretBase32) {
        String s = secretBase32.replace(" ", "").toUpperCase(Locale.ROOT);
        int pad = (8 - s.length() % 8) % 8;
        return Base32.decode(s + "=".repeat(pad));
    }
}
