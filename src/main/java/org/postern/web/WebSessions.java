package org.postern.web;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.postern.auth.Authenticator;
import org.postern.auth.LiveSessions;
import org.postern.store.Security;

/**
 * Server-side sessions by a random value held in one cookie: {@code __Host-postern}, Secure,
 * HttpOnly, SameSite=Strict, Path=/ (the {@code __Host-} prefix makes browsers refuse it
 * without Secure or with a Domain, so no other host of the domain can plant one).
 *
 * <p>Signed-in sessions, and those between the password and the 2-Step Verification code, are
 * stored ({@link Security#addWebSession}) under the SHA-256 of the cookie value, so they survive
 * a restart and a copy of the database opens none of them. Every request looks its session up
 * in the store, so a session that was signed out, revoked (password changed, 2-Step Verification
 * changed, device signed out — also from the command line) or whose account was removed stops
 * working at its next request. The CSRF token is derived from the cookie value and not stored.
 *
 * <p>An anonymous session (before sign-in) is only its cookie: nothing is stored for visitors.
 * What is shown once (a new app password, backup codes), a 2-Step Verification secret waiting
 * for its first code, and a message for the next page live in memory only ({@link WebSession}).
 *
 * <p>Bounded: a session ends after {@link #IDLE} without a request (the code step after
 * {@link #CODE_STEP}) or {@link #ABSOLUTE} after it began; an account keeps at most
 * {@link #PER_ACCOUNT} sessions (the least recently used go), and expired ones are deleted as new
 * ones come. At most {@link #MAX} sessions are held in memory.
 */
final class WebSessions {
    static final String COOKIE = "__Host-postern";
    static final Duration IDLE = Duration.ofHours(2);
    static final Duration ABSOLUTE = Duration.ofHours(12);
    static final Duration CODE_STEP = Duration.ofMinutes(10);
    static final int PER_ACCOUNT = 30;
    static final int MAX = 50_000;
    /** Survives revocations this long after it was renewed (see {@link WebSession#keepThroughRevocations}). */
    static final long KEEP_AFTER_RENEWAL_MS = 10_000;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;
    private final Security store;
    private final LiveSessions live;
    /** The in-memory part of sessions seen lately, by the SHA-256 of their cookie value. */
    private final Map<String, WebSession> byHash = new ConcurrentHashMap<>();

    WebSessions(Clock clock, Security store, LiveSessions live) {
        this.clock = clock;
        this.store = store;
        this.live = live;
    }

    static String randomToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** What is stored for a cookie value: its SHA-256 in hex. */
    static String hash(String cookieValue) {
        return HexFormat.of().formatHex(sha256(cookieValue));
    }

    /** The CSRF token of a cookie value: a SHA-256 of it under another label, so neither gives the other. */
    static String csrfOf(String cookieValue) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256("postern csrf\n" + cookieValue));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A value this server could have made: 32 random bytes in base64url (43 characters). */
    static boolean wellFormed(String cookieValue) {
        return cookieValue != null && cookieValue.length() == 43 && cookieValue.chars().allMatch(ch ->
                ch >= 'A' && ch <= 'Z' || ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' || ch == '-' || ch == '_');
    }

    /**
     * The request's session, if it carries a cookie: the stored session it names, or else an
     * anonymous one (a cookie of an ended session is anonymous from then on).
     */
    Optional<WebSession> find(Context ctx) {
        String id = ctx.cookie(COOKIE);
        if (!wellFormed(id)) {
            return Optional.empty();
        }
        String key = hash(id);
        WebSession cached = byHash.get(key);
        Optional<Security.WebSessionRow> row = store.webSession(key);
        if (row.isPresent()) {
            Security.WebSessionRow r = row.get();
            WebSession.Stage stage = r.needsCode() ? WebSession.Stage.NEEDS_CODE : WebSession.Stage.SIGNED_IN;
            WebSession s = cached;
            if (s == null || s.stage() != stage || s.accountId() != r.accountId()) {
                s = fromRow(id, key, r, stage);
            }
            s.admin(r.admin());
            long now = clock.millis();
            if (now - r.lastSeen() >= 60_000) {
                store.touchWebSession(key);
            }
            s.seen(now);
            return Optional.of(s);
        }
        if (cached != null && cached.stage() != WebSession.Stage.ANONYMOUS) {
            forget(cached); // ended: signed out elsewhere, revoked, expired or its account removed
            cached = null;
        }
        return Optional.of(cached != null ? cached : remember(new WebSession(id, key, csrfOf(id), clock.millis(), ctx.ip(),
                clientName(ctx.userAgent()))));
    }

    private WebSession fromRow(String id, String key, Security.WebSessionRow r, WebSession.Stage stage) {
        WebSession s = new WebSession(id, key, csrfOf(id), r.created(), r.ip(), r.client());
        s.account(r.accountId(), r.email(), r.admin(), stage);
        if (stage == WebSession.Stage.SIGNED_IN) {
            register(s);
        }
        return remember(s);
    }

    /** The request's session, or a new anonymous one (for the CSRF token of a sign-in form). */
    WebSession findOrCreate(Context ctx) {
        return find(ctx).orElseGet(() -> create(ctx));
    }

    /** A new anonymous session with a new cookie (nothing stored). */
    WebSession create(Context ctx) {
        String id = randomToken();
        setCookie(ctx, id);
        return remember(new WebSession(id, hash(id), csrfOf(id), clock.millis(), ctx.ip(), clientName(ctx.userAgent())));
    }

    /**
     * A new stored session for an account with a new cookie (sign-in: no session fixation):
     * {@code NEEDS_CODE} after the password when 2-Step Verification is on, else {@code SIGNED_IN}.
     */
    WebSession start(Context ctx, long accountId, String email, boolean admin, WebSession.Stage stage) {
        if (stage == WebSession.Stage.ANONYMOUS) {
            throw new IllegalArgumentException("an anonymous session is not stored");
        }
        String id = randomToken();
        String key = hash(id);
        String client = clientName(ctx.userAgent());
        Duration idle = stage == WebSession.Stage.NEEDS_CODE ? CODE_STEP : IDLE;
        Duration life = stage == WebSession.Stage.NEEDS_CODE ? CODE_STEP : ABSOLUTE;
        store.addWebSession(key, accountId, stage == WebSession.Stage.NEEDS_CODE, ctx.ip(), client, idle.toMillis(), life.toMillis(),
                PER_ACCOUNT);
        WebSession s = new WebSession(id, key, csrfOf(id), clock.millis(), ctx.ip(), client);
        s.account(accountId, email, admin, stage);
        if (stage == WebSession.Stage.SIGNED_IN) {
            register(s);
        }
        setCookie(ctx, id);
        return remember(s);
    }

    /**
     * Replaces a signed-in session with a new one of the same account (a new cookie), keeping
     * what it holds in memory: after a change that revoked the account's password sign-ins
     * (2-Step Verification on or off, new backup codes), the browser that made it stays signed in.
     */
    WebSession renew(WebSession old, Context ctx) {
        end(old);
        WebSession s = start(ctx, old.accountId(), old.email(), old.admin(), WebSession.Stage.SIGNED_IN);
        s.keepThroughRevocations(clock.millis() + KEEP_AFTER_RENEWAL_MS);
        s.takeOver(old);
        return s;
    }

    /** Counts a wrong 2-Step Verification code of this sign-in; returns how many so far. */
    int codeFailed(WebSession s) {
        return store.webSessionCodeFailed(s.key());
    }

    /** Ends the session: deleted from the store, so its cookie opens nothing any more. */
    void end(WebSession s) {
        if (s.stage() != WebSession.Stage.ANONYMOUS) {
            store.removeWebSession(s.key());
        }
        forget(s);
    }

    /** Ends the session and tells the browser to forget the cookie. */
    void end(WebSession s, Context ctx) {
        end(s);
        ctx.header("Set-Cookie", COOKIE + "=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0");
    }

    /** Web sessions that have not ended (a metrics gauge). */
    int size() {
        return store.webSessionCount();
    }

    private void register(WebSession s) {
        // Registered so that signing the device out, a password change or removing the account ends
        // it here at once too, and so that it counts as a live web session.
        live.register(s.accountId(), Authenticator.Protocol.WEB, Security.PASSWORD, s.clientName, 0, () -> {
            if (clock.millis() >= s.keepUntil()) {
                end(s);
            }
        }).ifPresent(s::registration);
    }

    private static void setCookie(Context ctx, String id) {
        ctx.header("Set-Cookie", COOKIE + "=" + id + "; Path=/; Secure; HttpOnly; SameSite=Strict");
    }

    private WebSession remember(WebSession s) {
        WebSession before = byHash.put(s.key(), s);
        if (before != null && before != s) {
            before.closeRegistration();
        }
        pruneMemory();
        return s;
    }

    private void forget(WebSession s) {
        byHash.remove(s.key(), s);
        s.closeRegistration();
    }

    /** Keeps the memory bounded: anonymous sessions first, then those unused longest. */
    private void pruneMemory() {
        if (byHash.size() < MAX) {
            return;
        }
        long now = clock.millis();
        byHash.values().stream().filter(s -> s.stage() == WebSession.Stage.ANONYMOUS || now - s.lastSeen() > IDLE.toMillis()).toList()
                .forEach(this::forget);
        if (byHash.size() >= MAX) {
            byHash.values().stream().sorted(java.util.Comparator.comparingLong(WebSession::lastSeen)).limit(MAX / 2).toList()
                    .forEach(this::forget);
        }
    }

    /** How a browser is named in the security activity and the device list: "Chrome on Linux". */
    static String clientName(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return "web browser";
        }
        String ua = userAgent;
        String browser = ua.contains("Edg/") ? "Edge" : ua.contains("Firefox/") ? "Firefox"
                : ua.contains("Chrome/") || ua.contains("Chromium/") ? "Chrome" : ua.contains("Safari/") ? "Safari" : "web browser";
        String os = ua.contains("Android") ? "Android" : ua.contains("iPhone") || ua.contains("iPad") ? "iOS"
                : ua.contains("Mac OS X") ? "macOS" : ua.contains("Windows") ? "Windows" : ua.contains("Linux") ? "Linux" : null;
        return "web: " + browser + (os == null ? "" : " on " + os);
    }
}
