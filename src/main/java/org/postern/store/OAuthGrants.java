package org.postern.store;

import java.util.List;
import java.util.Optional;

/**
 * What the OAuth 2.0 authorization server keeps (issue 8): self-registered clients (RFC 7591),
 * the grants accounts gave them, authorization codes (RFC 6749 §4.1) and device codes (RFC 8628).
 * Codes and tokens arrive here as SHA-256 hashes; the web side makes and checks the secrets.
 *
 * <p>A grant is one app's access to one account: one refresh token, rotated on every use, and the
 * access tokens ({@link Security.Token}, credential {@code oauth:<id>}) issued from it. Revoking a
 * grant revokes them all and ends their sessions.
 */
public interface OAuthGrants {

    // --- clients

    /** A registered client; {@code redirectUris} as registered. */
    record Client(String id, String name, List<String> redirectUris, long created, long lastUsed) {}

    /**
     * Registers a client. When {@code max} clients are registered already, the least recently used
     * one without a live grant is forgotten first; NOT_ALLOWED when every one has a live grant.
     */
    Client addClient(String id, String name, List<String> redirectUris, int max);

    Optional<Client> client(String id);

    /** Notes that a client was used now (it started a sign-in). */
    void clientUsed(String id);

    // --- authorization codes

    /** An authorization code; {@code used} is when it was first exchanged, null before. */
    record Code(long accountId, String clientId, String redirectUri, String challenge, long expires, Long used) {}

    void addCode(String hash, long accountId, String clientId, String redirectUri, String challenge, long expires);

    /** Marks the code used and returns it as it was before: {@code used} non-null means a second use. */
    Optional<Code> takeCode(String hash);

    // --- grants

    record Grant(long id, long accountId, String clientId, String clientName, long created, Long lastUsed, long expires, Long revoked) {}

    /** A grant with its current access token. */
    record Issued(Grant grant, Security.Token token) {}

    /**
     * Records a new grant with its refresh token and first access token. {@code codeHash} names the
     * authorization code it came from (null for the device flow). NOT_FOUND when the account is gone.
     */
    Issued issue(long accountId, String clientId, String clientName, String codeHash, String refreshHash, long refreshExpires,
                 String accessHash, long accessExpires);

    /**
     * Replaces a valid refresh token of {@code clientId} with a new one and issues a new access
     * token; empty when the refresh token is unknown, rotated away, expired, revoked or another client's.
     */
    Optional<Issued> refresh(String refreshHash, String clientId, String newRefreshHash, long refreshExpires,
                             String accessHash, long accessExpires);

    /** The grant a refresh token belongs to, valid or not. */
    Optional<Grant> grantByRefresh(String refreshHash);

    /** The grant an access token was issued from. */
    Optional<Grant> grantOfToken(long tokenId);

    /** The account's valid grants, newest first; {@code lastUsed} is the last sign-in or refresh with them. */
    List<Grant> grants(long accountId);

    /** Revokes a grant, its refresh token and its access tokens; their sessions end. NOT_FOUND when there is no valid one. */
    void revokeGrant(long accountId, long grantId);

    /** A code used twice (RFC 6749 §4.1.2): revokes the grant issued from it, if any. */
    void revokeGrantOfCode(String codeHash);

    // --- device authorization (RFC 8628)

    enum DeviceState { PENDING, ALLOWED, DENIED, ISSUED }

    record DeviceCode(String userCode, String clientId, long expires, long intervalSeconds, long lastPoll, Long accountId,
                      DeviceState state) {}

    void addDeviceCode(String hash, String userCode, String clientId, long expires, long intervalSeconds);

    /** A pending, unexpired device code by the code the person types. */
    Optional<DeviceCode> pendingDeviceCode(String userCode);

    /** Allows ({@code accountId}) or denies (null) a pending device code; false when it is no longer pending. */
    boolean decideDeviceCode(String userCode, Long accountId);

    /** What a client's poll finds (RFC 8628 §3.5). */
    enum PollOutcome { UNKNOWN, EXPIRED, SLOW_DOWN, PENDING, DENIED, ALLOWED, ALREADY_ISSUED }

    record Poll(PollOutcome outcome, DeviceCode code) {}

    /**
     * One poll of a device code, at the store's clock: too early after the last one is
     * {@link PollOutcome#SLOW_DOWN} and lengthens the interval by {@code slowDownSeconds};
     * an allowed code is returned {@link PollOutcome#ALLOWED} once and is then issued.
     */
    Poll pollDeviceCode(String hash, String clientId, long slowDownSeconds);
}
