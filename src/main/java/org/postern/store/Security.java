package org.postern.store;

import java.util.List;
import java.util.Optional;

/**
 * What account security keeps (issue 5): 2-Step Verification state, app passwords, OAuth
 * tokens, the security activity log, devices, the addresses an account signed in from, and
 * revocations. Secrets are stored only as hashes; the auth package makes and checks them.
 *
 * <p>Credentials are named {@code password}, {@code app:<id>}, {@code oauth:<id>} (a token an
 * administrator issued) or {@code grant:<id>} (the tokens of an app an account gave access, so
 * that its hourly new access tokens are one device, and revoking the app ends all its sessions).
 */
public interface Security {

    String PASSWORD = "password";

    static String app(long id) {
        return "app:" + id;
    }

    static String oauth(long id) {
        return "oauth:" + id;
    }

    static String grant(long id) {
        return "grant:" + id;
    }

    // --- 2-Step Verification

    /** The TOTP secret (base32) when 2-Step Verification is on. */
    Optional<String> totpSecret(long accountId);

    /** Turns 2-Step Verification on with a new secret and new backup codes (hashes). */
    void enableTwoStep(long accountId, String secretBase32, List<String> backupCodeHashes);

    /** Turns it off: the secret and the backup codes are forgotten. */
    void disableTwoStep(long accountId);

    /** Marks a TOTP time step used; false when it (or a later one) was used already (RFC 6238 §5.2). */
    boolean useTotpStep(long accountId, long step);

    /** Marks an unused backup code used; false when there is no such unused code. */
    boolean useBackupCode(long accountId, String codeHash);

    int backupCodesLeft(long accountId);

    // --- app passwords

    record AppPassword(long id, long accountId, String name, long created, Long lastUsed, String lastIp,
                       String lastProtocol, String lastClient) {}

    /** EXISTS when the account already has an app password of that name. */
    AppPassword addAppPassword(long accountId, String name, String hash);

    List<AppPassword> appPasswords(long accountId);

    Optional<AppPassword> appPasswordByHash(long accountId, String hash);

    /** Deletes it and records a revocation, so sessions that use it end. NOT_FOUND when there is none. */
    void revokeAppPassword(long accountId, String name);

    // --- OAuth 2.0 bearer tokens issued by Postern

    /** A bearer token; {@code grantId} is the app's grant it was issued from, null when an administrator issued it. */
    record Token(long id, long accountId, String client, long created, long expires, Long revoked, Long grantId) {
        /** The credential its sign-ins are recorded and revoked under. */
        public String credential() {
            return grantId == null ? Security.oauth(id) : Security.grant(grantId);
        }
    }

    Token addToken(long accountId, String hash, String client, long expires);

    Optional<Token> tokenByHash(String hash);

    List<Token> tokens(long accountId);

    /**
     * Revokes a token and its sessions; a token issued to an app revokes the app's access (its
     * grant) as a whole. NOT_FOUND when the account has no such token.
     */
    void revokeToken(long accountId, long tokenId);

    /** The authorization server's clients, grants and codes (OAuth 2.0 for mail clients). */
    OAuthGrants oauth();

    // --- sign-ins, refusals and devices

    record Event(long time, String protocol, String ip, String client, String credential, boolean success, String reason) {}

    record Device(long id, String credential, String client, long firstSeen, long lastSeen, String lastIp, String lastProtocol) {}

    /**
     * Records a successful sign-in in one transaction: the event, the device (returns true when
     * it is new), the address as known, and an app password's last use.
     */
    boolean signedIn(long accountId, Event event);

    /** Records a refusal of a known account. */
    void refused(long accountId, Event event);

    /** The latest events first. */
    List<Event> events(long accountId, int limit);

    List<Device> devices(long accountId);

    /** Forgets a device and ends its sessions. NOT_FOUND when the account has no such device. */
    void signOutDevice(long accountId, long deviceId);

    /** Whether the account has signed in from this address before. */
    boolean knownAddress(long accountId, String ip);

    // --- web sessions (kept across restarts; the cookie value itself is never stored)

    /**
     * A stored web session. {@code idHash} is the SHA-256 (hex) of its cookie value; {@code email}
     * and {@code admin} are the account's as they are now.
     */
    record WebSessionRow(String idHash, long accountId, String email, boolean admin, boolean needsCode, long created,
                         long lastSeen, long expires, String ip, String client, int codeFailures) {}

    /**
     * Stores a new web session, started now, that ends after {@code idleMillis} unused or
     * {@code lifeMillis} in all. Expired sessions are deleted, and the account's oldest unused
     * ones beyond {@code maxPerAccount}. NOT_FOUND when there is no such account.
     */
    void addWebSession(String idHash, long accountId, boolean needsCode, String ip, String client, long idleMillis,
                       long lifeMillis, int maxPerAccount);

    /** The session, unless it has ended (expired, signed out, revoked, its account removed). */
    Optional<WebSessionRow> webSession(String idHash);

    /** Notes a request of the session now, which pushes its idle end back (never past its absolute end). */
    void touchWebSession(String idHash);

    /** Counts a wrong 2-Step Verification code of the session; returns the count so far (0: no such session). */
    int webSessionCodeFailed(String idHash);

    /** Ends a web session (sign-out); nothing happens when there is none. */
    void removeWebSession(String idHash);

    /** How many web sessions have not ended. */
    int webSessionCount();

    // --- revocations

    /**
     * A credential (null: all) of an account whose sessions must end, for one client (null: all).
     * Recording one deletes the stored web sessions it covers (they sign in with the password) in
     * the same transaction.
     */
    record Revocation(long id, long accountId, String credential, String client, long time) {}

    void revoke(long accountId, String credential, String client);

    List<Revocation> revocationsAfter(long id);

    long lastRevocationId();
}
