package org.postern.web;

import io.javalin.http.Context;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server-side sessions by a random id held in one cookie: {@code __Host-postern}, Secure,
 * HttpOnly, SameSite=Strict, Path=/ (the {@code __Host-} prefix makes browsers refuse it
 * without Secure or with a Domain, so no other host of the domain can plant one).
 *
 * <p>Bounded: a session ends after {@link #IDLE} without a request or {@link #ABSOLUTE} after it
 * began; at most {@link #MAX} sessions are kept, the oldest unused going first. Sessions live
 * in memory only: a restart signs everyone out.
 */
final class WebSessions {
    static final String COOKIE = "__Host-postern";
    static final Duration IDLE = Duration.ofHours(2);
    static final Duration ABSOLUTE = Duration.ofHours(12);
    static final int MAX = 50_000;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;
    private final Map<String, WebSession> byId = new ConcurrentHashMap<>();

    WebSessions(Clock clock) {
        this.clock = clock;
    }

    static String randomToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The request's live session, if its cookie names one. */
    Optional<WebSession> find(Context ctx) {
        String id = ctx.cookie(COOKIE);
        if (id == null) {
            return Optional.empty();
        }
        WebSession s = byId.get(id);
        long now = clock.millis();
        if (s == null) {
            return Optional.empty();
        }
        if (now - s.lastSeen() > IDLE.toMillis() || now - s.created() > ABSOLUTE.toMillis()) {
            end(s);
            return Optional.empty();
        }
        s.seen(now);
        return Optional.of(s);
    }

    /** The request's session, or a new anonymous one (for the CSRF token of a sign-in form). */
    WebSession findOrCreate(Context ctx) {
        return find(ctx).orElseGet(() -> create(ctx));
    }

    /** A new session with a new id and cookie, replacing {@code old} (sign-in: no session fixation). */
    WebSession create(Context ctx) {
        if (byId.size() >= MAX) {
            prune();
        }
        WebSession s = new WebSession(randomToken(), randomToken(), clock.millis(), ctx.ip(), clientName(ctx.userAgent()));
        byId.put(s.id(), s);
        ctx.header("Set-Cookie", COOKIE + "=" + s.id() + "; Path=/; Secure; HttpOnly; SameSite=Strict");
        return s;
    }

    void end(WebSession s) {
        byId.remove(s.id());
        s.closeRegistration();
    }

    /** Ends the session and tells the browser to forget the cookie. */
    void end(WebSession s, Context ctx) {
        end(s);
        ctx.header("Set-Cookie", COOKIE + "=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0");
    }

    int size() {
        return byId.size();
    }

    private void prune() {
        long now = clock.millis();
        byId.values().removeIf(s -> now - s.lastSeen() > IDLE.toMillis() || now - s.created() > ABSOLUTE.toMillis());
        if (byId.size() >= MAX) {
            byId.values().stream().filter(s -> !s.signedIn()).map(WebSession::id).toList().forEach(byId::remove);
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
