package org.postern.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.postern.store.Addresses;
import org.postern.store.Directory;
import org.postern.store.Directory.Account;
import org.postern.store.StoreException;

/**
 * The one entry point through which IMAP, POP3, SMTP and the web check a user name and
 * password. Protocols turn a {@link Result} into their own words (DESIGN.md, Error texts).
 *
 * <p>A reason for refusing is given only after the password checked out: an unknown user and a
 * wrong password get the same answer, in the same time ({@link Passwords#verifyDummy}).
 *
 * <p>Successful checks are remembered for a while (as Dovecot's auth_cache) keyed by the account,
 * the time its password last changed and a SHA-256 of the password, so a changed password —
 * also when changed by another process — is never served from the cache. Failures are never
 * cached.
 */
public final class Authenticator {
    /** The protocol asking, for per-protocol switches and the security log. */
    public enum Protocol { IMAP, POP3, SMTP, WEB }

    public sealed interface Result {
        /** The credentials are valid and the account may use the protocol. */
        record Success(Account account) implements Result {}

        /** Refused; {@code reason} says why, for the protocol to word. */
        record Refused(Reason reason) implements Result {}
    }

    public enum Reason {
        /** Unknown user or wrong password: the neutral answer. */
        INVALID_CREDENTIALS,
        /** The password is right but IMAP is switched off for the account. */
        IMAP_DISABLED,
        /** The password is right but IMAP is switched off for the whole domain. */
        IMAP_DISABLED_FOR_DOMAIN,
        /** The password is right but POP is switched off for the account or domain. */
        POP_DISABLED,
        /** The check could not be made (database unavailable): try again later. */
        TEMPORARY
    }

    private record CacheKey(long accountId, long passwordChanged, String passwordSha256) {}

    private static final Duration CACHE_TTL = Duration.ofHours(1);
    private static final int CACHE_MAX = 100_000;

    private final Directory directory;
    private final Clock clock;
    private final Map<CacheKey, Long> verified = new ConcurrentHashMap<>();

    public Authenticator(Directory directory, Clock clock) {
        this.directory = directory;
        this.clock = clock;
    }

    /** Checks {@code username} (the full address) and {@code password} for {@code protocol}. */
    public Result authenticate(String username, String password, Protocol protocol) {
        if (username == null || password == null || password.length() > Passwords.MAX_LENGTH) {
            return new Result.Refused(Reason.INVALID_CREDENTIALS);
        }
        Optional<Account> found;
        try {
            found = Addresses.parse(username).isPresent() ? directory.account(username) : Optional.empty();
        } catch (StoreException e) {
            return new Result.Refused(Reason.TEMPORARY);
        }
        if (found.isEmpty()) {
            Passwords.verifyDummy(password);
            return new Result.Refused(Reason.INVALID_CREDENTIALS);
        }
        Account account = found.get();
        if (!passwordMatches(account, password)) {
            return new Result.Refused(Reason.INVALID_CREDENTIALS);
        }
        // From here on the password is right, so the reason may be told.
        Reason switchedOff = switchedOff(account, protocol);
        return switchedOff == null ? new Result.Success(account) : new Result.Refused(switchedOff);
    }

    private boolean passwordMatches(Account account, String password) {
        CacheKey key = new CacheKey(account.id(), account.passwordChanged(), sha256(password));
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

    private static String sha256(String password) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return java.util.HexFormat.of().formatHex(md.digest(password.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
