package org.postern.auth;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Decoding of the SASL mechanisms the mail protocols offer: PLAIN (RFC 4616) and LOGIN
 * (draft-murchison-sasl-login). Shared by IMAP AUTHENTICATE, SMTP AUTH and POP3 AUTH, which
 * only move the base64 lines back and forth.
 */
public final class Sasl {
    private Sasl() {}

    /** A user name and password taken from a SASL exchange. {@link #toString()} hides the password. */
    public record Credentials(String username, String password) {
        @Override
        public String toString() {
            return "Credentials[" + username + ", ***]";
        }
    }

    /** What went wrong with a client's SASL data, in words for a BAD/501/-ERR reply. */
    public static final class SaslException extends Exception {
        public SaslException(String message) {
            super(message);
        }
    }

    /** The prompts of the LOGIN mechanism, already base64: "Username:" and "Password:". */
    public static final String LOGIN_USERNAME_PROMPT = base64("Username:");
    public static final String LOGIN_PASSWORD_PROMPT = base64("Password:");

    /** The mechanisms offered once TLS protects the connection, in the order advertised. */
    public static final java.util.List<String> MECHANISMS = java.util.List.of("PLAIN", "LOGIN");

    /**
     * Decodes a PLAIN response {@code [authzid] NUL authcid NUL passwd}. An authorization
     * identity other than the user's own is refused: Postern has no proxy logins.
     */
    public static Credentials plain(String base64Response) throws SaslException {
        byte[] raw = decode(base64Response);
        int first = indexOf(raw, 0);
        int second = first < 0 ? -1 : indexOf(raw, first + 1);
        if (first < 0 || second < 0 || indexOf(raw, second + 1) >= 0) {
            throw new SaslException("PLAIN data must be authzid NUL user NUL password");
        }
        String authz = utf8(raw, 0, first);
        String user = utf8(raw, first + 1, second);
        String password = utf8(raw, second + 1, raw.length);
        if (user.isEmpty()) {
            throw new SaslException("PLAIN data has no user name");
        }
        if (!authz.isEmpty() && !authz.equalsIgnoreCase(user)) {
            throw new SaslException("logging in as another user is not supported");
        }
        return new Credentials(user, password);
    }

    /** Decodes one LOGIN step (user name or password). */
    public static String loginStep(String base64Response) throws SaslException {
        byte[] raw = decode(base64Response);
        return utf8(raw, 0, raw.length);
    }

    /** Decodes base64; {@code =} is the empty response (RFC 4959 §3, RFC 4954 §4). */
    public static byte[] decode(String base64) throws SaslException {
        String s = base64.strip();
        if (s.equals("=")) {
            return new byte[0];
        }
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new SaslException("the response is not valid base64");
        }
    }

    /** Whether a mechanism name is one Postern offers (case-insensitive). */
    public static Optional<String> mechanism(String name) {
        return MECHANISMS.stream().filter(m -> m.equalsIgnoreCase(name)).findFirst();
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static String utf8(byte[] b, int from, int to) throws SaslException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            throw new SaslException("the user name or password is not valid UTF-8");
        }
    }
}
