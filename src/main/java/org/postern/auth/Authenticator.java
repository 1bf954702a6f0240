package org.postern.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.postern.store.Addresses;
import org.postern.store.Directory;
import org.postern.store.Directory.Account;
import org.postern.store.Security;
import org.postern.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one entry point through which IMAP, POP3, SMTP and the web check who is signing in
 * (issue 5). Protocols turn a {@link Result} into their own words (DESIGN.md, Error texts).
 *
 * <p>Order of checks, each one the answer if it refuses:
 * <ol>
 *   <li>throttling, by address and by account name (before any password work; the same for
 *       unknown and known accounts);
 *   <li>the credential: an app password (SHA-256, cheap), else the account password
 *       (Argon2id; unknown accounts spend the same time on a dummy hash);
 *   <li>only then the reasons a right password is still refused: 2-Step Verification or the
 *       administrator's policy wants an app password; IMAP or POP is switched off.
 * </ol>
 * Every sign-in and every refusal of a known account goes to its security activity; the first
 * sign-in of a device is announced in the account's INBOX.
 *
 * <p>Successful account-password checks are remembered for a while (as Dovecot's auth_cache)
 * keyed by the account, the time its password last changed and a SHA-256 of the password, so a
 * changed password — also one changed by another process — is never served from the cache.
 */
public final class Authenticator {
    private static final Logger log = LoggerFactory.getLogger(Authenticator.class);

    /** The protocol asking, for per-protocol switches and the security log. */
    public enum Protocol { IMAP, POP3, SMTP, WEB }

    /** Who is asking: the client's address and, when it said, its name (IMAP ID, EHLO). */
    public record Client(String ip, String name) {
        public static final Client UNKNOWN = new Client(null, null);
    }

    public sealed interface Result {
        /** Signed in; {@code credential} is {@code password}, {@code app:<id>}, {@code oauth:<id>} or {@code grant:<id>}. */
        record Success(Account account, String credential) implements Result {}

        /** Refused; {@code retryAfter} is set for {@link Reason#THROTTLED}. */
        record Refused(Reason reason, Duration retryAfter) implements Result {
            public Refused(Reason reason) {
                this(reason, null);
            }
        }
    }

    public enum Reason {
        /** Unknown user, wrong password, unknown or expired token: the neutral answer. */
        INVALID_CREDENTIALS,
        /** The account password was right, but only app passwords may be used (2SV or policy). */
        APP_PASSWORD_REQUIRED,
        /** The credentials are right but IMAP is switched off for the account. */
        IMAP_DISABLED,
        /** The credentials are right but IMAP is switched off for the whole domain. */
        IMAP_DISABLED_FOR_DOMAIN,
        /** The credentials are right but POP is switched off for the account or domain. */
        POP_DISABLED,
        /** Too many failed attempts from this address or for this account: try again later. */
        THROTTLED,
        /** The check could not be made (database unavailable): try again later. */
        TEMPORARY
    }

    /** Announces the first sign-in of a device (delivered to the account's INBOX by the server). */
    @FunctionalInterface
    public interface NewDeviceNotice {
        void announce(Account account, Security.Event event);
    }

    private record CacheKey(long accountId, long passwordChanged, String passwordSha256) {}

    private static final Duration CACHE_TTL = Duration.ofHours(1);
    private static final int CACHE_MAX = 100_000;

    private final Directory directory;
    private final Security security;
    private final Clock clock;
    private final Throttle throttle;
    private final boolean requireAppPasswords;
    private final NewDeviceNotice notice;
    private final Map<CacheKey, Long> verified = new ConcurrentHashMap<>();

    public Authenticator(Directory directory, Security security, Clock clock, boolean requireAppPasswords, NewDeviceNotice notice) {
        this.directory = directory;
        this.security = security;
        this.clock = clock;
        this.throttle = new Throttle(clock);
        this.requireAppPasswords = requireAppPasswords;
        this.notice = notice;
    }

    /** For commands and tests that check a password without a client. */
    public Result authenticate(String username, String password, Protocol protocol) {
        return authenticate(username, password, protocol, Client.UNKNOWN);
    }

    /** Checks a user name (the full address) and a password: the account's or an app password. */
    public Result authenticate(String username, String password, Protocol protocol, Client client) {
        if (username == null || password == null || password.length() > Passwords.MAX_LENGTH || username.length() > 320) {
            return new Result.Refused(Reason.INVALID_CREDENTIALS);
        }
        Optional<Account> found;
        try {
            found = Addresses.parse(username).isPresent() ? directory.account(username) : Optional.empty();
            Optional<Duration> wait = throttle.blocked(client.ip(), username,
                    found.isPresent() && client.ip() != null && security.knownAddress(found.get().id(), client.ip()));
            if (wait.isPresent()) {
                // Hammering on while blocked keeps the block up (and longer); nothing is checked.
                throttle.failed(client.ip(), username);
                found.ifPresent(a -> refusedOnce(a, protocol, client, null, "too many failed sign-in attempts; refused without checking"));
                return new Result.Refused(Reason.THROTTLED, wait.get());
            }
        } catch (StoreException e) {
            return new Result.Refused(Reason.TEMPORARY);
        }
        if (found.isEmpty()) {
            Passwords.verifyDummy(password);
            throttle.failed(client.ip(), username);
            return new Result.Refused(Reason.INVALID_CREDENTIALS);
        }
        Account account = found.get();
        try {
            Optional<String> app = Secrets.asAppPassword(password);
            if (app.isPresent()) {
                Optional<Security.AppPassword> ap = security.appPasswordByHash(account.id(), Secrets.sha256(app.get()));
                if (ap.isPresent()) {
                    return signedIn(account, Security.app(ap.get().id()), "app password \"" + ap.get().name() + "\"", protocol, client);
                }
            }
            if (!passwordMatches(account, password)) {
                throttle.failed(client.ip(), username);
                refused(account, protocol, client, null, "wrong password");
                return new Result.Refused(Reason.INVALID_CREDENTIALS);
            }
            // From here on the password is right, so the reason may be told.
            if (protocol != Protocol.WEB && (requireAppPasswords || security.totpSecret(account.id()).isPresent())) {
                refused(account, protocol, client, Security.PASSWORD, requireAppPasswords
                        ? "the account password was used, but this server accepts only app passwords for mail clients"
                        : "the account password was used, but 2-Step Verification is on: mail clients need an app password");
                return new Result.Refused(Reason.APP_PASSWORD_REQUIRED);
            }
            return signedIn(account, Security.PASSWORD, "account password", protocol, client);
        } catch (StoreException e) {
            log.warn("sign-in check for {} failed: {}", account.email(), e.getMessage());
            return new Result.Refused(Reason.TEMPORARY);
        }
    }

    /**
     * Checks an OAuth 2.0 bearer token issued by Postern (SASL OAUTHBEARER, RFC 7628, and
     * XOAUTH2). The user name must be the token's account.
     */
    public Result authenticateToken(String username, String token, Protocol protocol, Client client) {
        if (username == null || token == null || token.length() > 512) {
            return new Result.Refused(Reason.INVALID_CREDENTIALS);
        }
        try {
            Optional<Account> found = Addresses.parse(username).isPresent() ? directory.account(username) : Optional.empty();
            Optional<Duration> wait = throttle.blocked(client.ip(), username,
                    found.isPresent() && client.ip() != null && security.knownAddress(found.get().id(), client.ip()));
            if (wait.isPresent()) {
                throttle.failed(client.ip(), username);
                return new Result.Refused(Reason.THROTTLED, wait.get());
            }
            Optional<Security.Token> t = security.tokenByHash(Secrets.sha256(token));
            long now = clock.millis();
            if (found.isEmpty() || t.isEmpty() || t.get().accountId() != found.get().id()) {
                throttle.failed(client.ip(), username);
                found.ifPresent(a -> refused(a, protocol, client, null, "unknown OAuth token"));
                return new Result.Refused(Reason.INVALID_CREDENTIALS);
            }
            if (t.get().revoked() != null || t.get().expires() <= now) {
                refused(found.get(), protocol, client, t.get().credential(),
                        t.get().revoked() != null ? "revoked OAuth token" : "expired OAuth token");
                return new Result.Refused(Reason.INVALID_CREDENTIALS);
            }
            return signedIn(found.get(), t.get().credential(), "OAuth token for " + t.get().client(), protocol, client);
        } catch (StoreException e) {
            return new Result.Refused(Reason.TEMPORARY);
        }
    }

    /** The credentials checked out: the protocol switches, then the records. */
    private Result signedIn(Account account, String credential, String how, Protocol protocol, Client client) {
        Reason off = switchedOff(account, protocol);
        if (off != null) {
            refused(account, protocol, client, credential, switch (off) {
                case IMAP_DISABLED -> "IMAP is switched off for this account";
                case IMAP_DISABLED_FOR_DOMAIN -> "IMAP is switched off for the whole domain";
                default -> "POP is switched off for this account";
            });
            return new Result.Refused(off);
        }
        throttle.succeeded(client.ip());
        Security.Event e = new Security.Event(clock.millis(), protocol.name(), client.ip(), client.name(), credential, true,
                "signed in with the " + how);
        boolean newDevice = security.signedIn(account.id(), e);
        if (newDevice && notice != null) {
            try {
                notice.announce(account, e);
            } catch (RuntimeException ex) {
                log.warn("cannot announce the new sign-in of {}: {}", account.email(), ex.getMessage());
            }
        }
        return new Result.Success(account, credential);
    }

    /**
     * Records that a sign-in whose credentials checked out was still refused by the protocol,
     * for a reason only the protocol knows (too many simultaneous sessions, the POP maildrop in
     * use), so the security activity and the connection doctor can tell the person why.
     */
    public void refusedAfterSignIn(Account account, Protocol protocol, Client client, String credential, String reason) {
        refused(account, protocol, client, credential, reason);
    }

    private void refused(Account account, Protocol protocol, Client client, String credential, String reason) {
        try {
            security.refused(account.id(), new Security.Event(clock.millis(), protocol.name(), client.ip(), client.name(),
                    credential, false, reason));
        } catch (StoreException e) {
            log.warn("cannot record a refused sign-in of {}: {}", account.email(), e.getMessage());
        }
    }

    /** Throttled refusals are recorded once per address and minute, so a flood cannot wash out the log. */
    private final Map<String, Long> lastThrottledRecord = new ConcurrentHashMap<>();

    private void refusedOnce(Account account, Protocol protocol, Client client, String credential, String reason) {
        String key = account.id() + "/" + client.ip();
        long now = clock.millis();
        Long last = lastThrottledRecord.get(key);
        if (last != null && now - last < 60_000) {
            return;
        }
        if (lastThrottledRecord.size() > 10_000) {
            lastThrottledRecord.clear();
        }
        lastThrottledRecord.put(key, now);
        refused(account, protocol, client, credential, reason);
    }

    private boolean passwordMatches(Account account, String password) {
        CacheKey key = new CacheKey(account.id(), account.passwordChanged(), Secrets.sha256(password));
        long now = clock.millis();
        Long until = verified.get(key);
        if (until != null && until > now) {
            return true;
        }
        if (!Passwords.verify(password, account.passwordHash())) {
            return false;
        }
        if (verified.size() >= CACHE_MAX) {
            verified.entrySet().removeIf(e -> e.getValue() <= now);
            if (verified.size() >= CACHE_MAX) {
                verified.clear();
            }
        }
        verified.put(key, now + CACHE_TTL.toMillis());
        return true;
    }

    private Reason switchedOff(Account account, Protocol protocol) {
        return switch (protocol) {
            case IMAP -> {
                if (!account.imapEnabled()) {
                    yield Reason.IMAP_DISABLED;
                }
                yield domainAllows(account, true) ? null : Reason.IMAP_DISABLED_FOR_DOMAIN;
            }
            case POP3 -> account.popEnabled() && domainAllows(account, false) ? null : Reason.POP_DISABLED;
            case SMTP, WEB -> null;
        };
    }

    private boolean domainAllows(Account account, boolean imap) {
        String domain = Addresses.parse(account.email()).map(Addresses.Address::domain).orElse("");
        return directory.domain(domain).map(d -> imap ? d.imapEnabled() : d.popEnabled()).orElse(true);
    }

    /** Forgets every remembered success (after a password change in this process). */
    public void forgetAll() {
        verified.clear();
    }
}
