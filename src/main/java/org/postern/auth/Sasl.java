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
    public static final java.util.List<String> MECHANISMS = java.util.List.of("PLAIN", "LOGIN", "OAUTHBEARER", "XOAUTH2");

    /** A user name and a bearer token from OAUTHBEARER or XOAUTH2. {@link #toString()} hides the token. */
    public record BearerToken(String username, String token) {
        @Override
        public String toString() {
            return "BearerToken[" + username + ", ***]";
        }
    }

    /**
     * RFC 7628 §3.1: {@code gs2-header kvsep *(kvpair kvsep) kvsep}, e.g.
     * {@code n,a=user@example.org,^Ahost=...^Aport=993^Aauth=Bearer TOKEN^A^A}. The user comes from
     * the authzid ({@code a=}); RFC 7628 makes it optional, but a mail server needs it.
     */
    public static BearerToken oauthBearer(String base64Response) throws SaslException {
        String s = ascii(decode(base64Response));
        int firstSep = s.indexOf('\u0001');
        if (firstSep < 0) {
            throw new SaslException("OAUTHBEARER data has no key/value part");
        }
        String[] gs2 = s.substring(0, firstSep).split(",", -1);
        if (gs2.length < 2 || !(gs2[0].equals("n") || gs2[0].equals("y"))) {
            throw new SaslException("OAUTHBEARER data must start with a GS2 header such as n,a=user,");
        }
        String user = gs2[1].startsWith("a=") ? gs2[1].substring(2).replace("=2C", ",").replace("=3D", "=") : "";
        String token = bearer(s.substring(firstSep + 1));
        if (user.isEmpty()) {
            throw new SaslException("OAUTHBEARER data must name the user (a=user@example.org)");
        }
        return new BearerToken(user, token);
    }

    /** Google's XOAUTH2: {@code user=USER^Aauth=Bearer TOKEN^A^A}. */
    public static BearerToken xoauth2(String base64Response) throws SaslException {
        String s = ascii(decode(base64Response));
        String user = null;
        for (String kv : s.split("\u0001")) {
            if (kv.startsWith("user=")) {
                user = kv.substring(5);
            }
        }
        if (user == null || user.isEmpty()) {
            throw new SaslException("XOAUTH2 data must name the user (user=...)");
        }
        return new BearerToken(user, bearer(s));
    }

    private static String bearer(String kvs) throws SaslException {
        for (String kv : kvs.split("\u0001")) {
            if (kv.regionMatches(true, 0, "auth=Bearer ", 0, 12)) {
                String t = kv.substring(12).strip();
                if (!t.isEmpty()) {
                    return t;
                }
            }
        }
        throw new SaslException("the SASL data has no auth=Bearer token");
    }

    private static String ascii(byte[] b) throws SaslException {
        for (byte x : b) {
            if (x < 0) {
                throw new SaslException("the SASL data is not ASCII");
            }
        }
        return new String(b, StandardCharsets.US_ASCII);
    }

    /**
     * RFC 7628 §3.2.2: the error a server sends before failing an OAUTHBEARER exchange, base64. The
     * {@code openid-configuration} member points to the server's RFC 8414 metadata, where a client
     * finds the authorization and token endpoints.
     */
    public static String oauthBearerError(String metadataUrl) {
        String json = "{\"status\":\"invalid_token\",\"scope\":\"mail\",\"openid-configuration\":\"" + metadataUrl + "\"}";
        return base64(json);
    }

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

    /**
     * Whether a SASL-IR initial response is well-formed: {@code initial-resp = base64 / "="}
     * (RFC 4959 §7), {@code base64 = *(4base64-char) [base64-terminal]} (RFC 9051 §9).
     */
    public static boolean isInitialResponse(String s) {
        if (s.equals("=")) {
            return true;
        }
        if (s.isEmpty() || s.length() % 4 != 0) {
            return false;
        }
        int pad = s.endsWith("==") ? 2 : s.endsWith("=") ? 1 : 0;
        for (int i = 0; i < s.length() - pad; i++) {
            char ch = s.charAt(i);
            boolean ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')
                    || ch == '+' || ch == '/';
            if (!ok) {
                return false;
            }
        }
        return true;
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
