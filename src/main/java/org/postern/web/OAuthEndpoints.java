package org.postern.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.postern.auth.Secrets;
import org.postern.auth.Throttle;
import org.postern.store.OAuthGrants;
import org.postern.store.Security;
import org.postern.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OAuth 2.0 authorization server's endpoints for clients, all JSON with {@code Cache-Control:
 * no-store}: metadata (RFC 8414), dynamic client registration (RFC 7591), the token endpoint
 * (RFC 6749 §3.2: authorization codes with PKCE, RFC 7636; refresh tokens, rotated on each use;
 * device codes, RFC 8628), revocation (RFC 7009) and device authorization (RFC 8628 §3.1).
 *
 * <p>Access tokens are the bearer tokens IMAP, POP3 and SMTP already accept (SASL OAUTHBEARER and
 * XOAUTH2), valid for {@link #ACCESS_TOKEN_LIFE}. Codes, refresh tokens and device codes are
 * 256-bit random strings kept only as SHA-256.
 */
final class OAuthEndpoints {
    private static final Logger log = LoggerFactory.getLogger(OAuthEndpoints.class);
    static final ObjectMapper JSON = new ObjectMapper();

    static final String SCOPE = "mail";
    static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    static final Duration ACCESS_TOKEN_LIFE = Duration.ofHours(1);
    /** A refresh token's life, renewed with each rotation: an app unused this long must ask again. */
    static final Duration REFRESH_TOKEN_LIFE = Duration.ofDays(90);
    static final Duration CODE_LIFE = Duration.ofMinutes(2);
    static final Duration DEVICE_CODE_LIFE = Duration.ofMinutes(10);
    static final long DEVICE_INTERVAL_SECONDS = 5;
    /** Paths that clients POST to without a browser session, so without a CSRF token. */
    static final Set<String> CLIENT_POSTS = Set.of("/oauth/token", "/oauth/revoke", "/oauth/register", "/oauth/device_authorization");
    /** User codes: letters without vowels (no words) and without ones easily confused. */
    private static final String USER_CODE_LETTERS = "BCDFGHJKLMNPQRSTVWXZ";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Web web;
    private final OAuthClients clients;
    /** Failed token requests per address (wrong codes, verifiers, refresh tokens). */
    private final Throttle tokenFailures;
    /** Registrations and device authorizations per address: each one adds a row. */
    private final Throttle additions;

    private OAuthEndpoints(Web web, OAuthClients clients) {
        this.web = web;
        this.clients = clients;
        this.tokenFailures = new Throttle(web.sv.clock());
        this.additions = new Throttle(web.sv.clock());
    }

    static void register(RoutesConfig r, Web web, OAuthClients clients) {
        OAuthEndpoints e = new OAuthEndpoints(web, clients);
        r.get("/.well-known/oauth-authorization-server", e::metadata);
        r.post("/oauth/register", e::registerClient);
        r.post("/oauth/token", e::token);
        r.post("/oauth/revoke", e::revoke);
        r.post("/oauth/device_authorization", e::deviceAuthorization);
    }

    /** The issuer: the HTTPS address of the configured host name (RFC 8414 §2). */
    static String issuer(Web web) {
        return web.httpsBase(web.sv.hostname());
    }

    // ------------------------------------------------------------------ metadata

    private void metadata(Context ctx) {
        String base = issuer(web);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", base);
        m.put("authorization_endpoint", base + "/oauth/authorize");
        m.put("token_endpoint", base + "/oauth/token");
        m.put("revocation_endpoint", base + "/oauth/revoke");
        m.put("registration_endpoint", base + "/oauth/register");
        m.put("device_authorization_endpoint", base + "/oauth/device_authorization");
        m.put("scopes_supported", List.of(SCOPE));
        m.put("response_types_supported", List.of("code"));
        m.put("response_modes_supported", List.of("query"));
        m.put("grant_types_supported", List.of("authorization_code", "refresh_token", DEVICE_GRANT));
        m.put("token_endpoint_auth_methods_supported", List.of("none"));
        m.put("revocation_endpoint_auth_methods_supported", List.of("none"));
        m.put("code_challenge_methods_supported", List.of("S256"));
        m.put("authorization_response_iss_parameter_supported", true);
        m.put("service_documentation", base + "/help/oauth");
        json(ctx, HttpStatus.OK, m);
    }

    // ------------------------------------------------------------------ registration (RFC 7591)

    private void registerClient(Context ctx) {
        Optional<Duration> wait = additions.blocked(ctx.ip(), "", true);
        if (wait.isPresent()) {
            tooMany(ctx, wait.get());
            return;
        }
        JsonNode req;
        try {
            req = JSON.readTree(ctx.body());
        } catch (JsonProcessingException e) {
            req = null;
        }
        if (req == null || !req.isObject()) {
            error(ctx, HttpStatus.BAD_REQUEST, "invalid_client_metadata", "send the client metadata as a JSON object (RFC 7591 §2)");
            return;
        }
        String problem = null;
        String name = req.path("client_name").asText("").strip();
        if (name.isEmpty() || name.length() > OAuthClients.MAX_NAME_LENGTH || name.chars().anyMatch(Character::isISOControl)) {
            problem = "client_name must have 1 to " + OAuthClients.MAX_NAME_LENGTH + " characters and no control characters";
        }
        List<String> grantTypes = strings(req.get("grant_types"), List.of("authorization_code"));
        List<String> redirects = strings(req.get("redirect_uris"), List.of());
        String auth = req.path("token_endpoint_auth_method").asText("none");
        if (grantTypes == null || redirects == null) {
            problem = "grant_types and redirect_uris must be arrays of strings";
        } else if (!List.of("authorization_code", "refresh_token", DEVICE_GRANT).containsAll(grantTypes)) {
            problem = "grant_types may hold only authorization_code, refresh_token and " + DEVICE_GRANT;
        } else if (!auth.equals("none")) {
            problem = "token_endpoint_auth_method must be none: mail clients are public clients without secrets";
        } else if (req.has("response_types") && !List.of("code").equals(strings(req.get("response_types"), List.of()))) {
            problem = "response_types may only be [\"code\"]";
        } else if (grantTypes.contains("authorization_code") && redirects.isEmpty() || redirects.size() > OAuthClients.MAX_REDIRECT_URIS) {
            problem = "the authorization_code grant needs 1 to " + OAuthClients.MAX_REDIRECT_URIS + " redirect_uris";
        } else {
            for (String u : redirects) {
                String why = OAuthClients.refusal(u);
                if (why != null) {
                    error(ctx, HttpStatus.BAD_REQUEST, "invalid_redirect_uri", why);
                    return;
                }
            }
        }
        if (problem != null) {
            error(ctx, HttpStatus.BAD_REQUEST, "invalid_client_metadata", problem);
            return;
        }
        OAuthClients.Client c;
        try {
            c = clients.register(name, redirects);
        } catch (StoreException e) {
            if (e.kind() != StoreException.Kind.NOT_ALLOWED) {
                throw e;
            }
            log.warn("[https] client registration refused: {}", e.getMessage());
            error(ctx, HttpStatus.SERVICE_UNAVAILABLE, "temporarily_unavailable", "the server cannot register more clients now");
            return;
        }
        additions.failed(ctx.ip(), "");
        log.info("[https] registered OAuth client {} \"{}\" from {}", c.id(), c.name(), ctx.ip());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("client_id", c.id());
        m.put("client_id_issued_at", web.sv.clock().millis() / 1000);
        m.put("client_name", c.name());
        m.put("redirect_uris", c.redirectUris());
        m.put("grant_types", grantTypes);
        m.put("response_types", List.of("code"));
        m.put("token_endpoint_auth_method", "none");
        m.put("scope", SCOPE);
        json(ctx, HttpStatus.CREATED, m);
    }

    /** A JSON array of strings; {@code orElse} when absent, null when it is something else. */
    private static List<String> strings(JsonNode n, List<String> orElse) {
        if (n == null || n.isNull()) {
            return orElse;
        }
        if (!n.isArray()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (JsonNode x : n) {
            if (!x.isTextual()) {
                return null;
            }
            out.add(x.asText());
        }
        return out;
    }

    // ------------------------------------------------------------------ token endpoint

    private void token(Context ctx) {
        Optional<Duration> wait = tokenFailures.blocked(ctx.ip(), "", true);
        if (wait.isPresent()) {
            tokenFailures.failed(ctx.ip(), "");
            tooMany(ctx, wait.get());
            return;
        }
        if (repeated(ctx)) {
            error(ctx, HttpStatus.BAD_REQUEST, "invalid_request", "a parameter was sent more than once (RFC 6749 §3.2)");
            return;
        }
        Optional<OAuthClients.Client> client = client(ctx);
        if (client.isEmpty()) {
            return;
        }
        String grantType = ctx.formParam("grant_type");
        if (grantType == null) {
            error(ctx, HttpStatus.BAD_REQUEST, "invalid_request", "grant_type is missing");
            return;
        }
        switch (grantType) {
            case "authorization_code" -> code(ctx, client.get());
            case "refresh_token" -> refresh(ctx, client.get());
            case DEVICE_GRANT -> device(ctx, client.get());
            default -> error(ctx, HttpStatus.BAD_REQUEST, "unsupported_grant_type",
                    "grant_type must be authorization_code, refresh_token or " + DEVICE_GRANT);
        }
    }

    /** The public client a request names, by client_id or HTTP Basic with an empty secret; null after an error. */
    private Optional<OAuthClients.Client> client(Context ctx) {
        String id = ctx.formParam("client_id");
        String basic = ctx.header("Authorization");
        if (id == null && basic != null && basic.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String pair = new String(Base64.getDecoder().decode(basic.substring(6).strip()), StandardCharsets.UTF_8);
                id = URLDecoder.decode(pair.substring(0, Math.max(0, pair.indexOf(':'))), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                id = null;
            }
        }
        Optional<OAuthClients.Client> c = clients.find(id);
        if (c.isEmpty()) {
            error(ctx, HttpStatus.UNAUTHORIZED, "invalid_client", id == null ? "client_id is missing"
                    : "no client is registered with that client_id; register at /oauth/register (RFC 7591)");
        }
        return c;
    }

    private void code(Context ctx, OAuthClients.Client client) {
        String code = ctx.formParam("code");
        String verifier = ctx.formParam("code_verifier");
        if (code == null || verifier == null) {
            error(ctx, HttpStatus.BAD_REQUEST, "invalid_request", code == null ? "code is missing" : "code_verifier is missing (PKCE, RFC 7636)");
            return;
        }
        String hash = Secrets.sha256(code);
        Optional<OAuthGrants.Code> found = grants().takeCode(hash);
        long now = web.sv.clock().millis();
        if (found.isEmpty()) {
            invalidGrant(ctx, "the code is not known");
            return;
        }
        OAuthGrants.Code c = found.get();
        if (c.used() != null) {
            // RFC 6749 §4.1.2: a code used twice was probably stolen; what it bought is revoked.
            grants().revokeGrantOfCode(hash);
            log.warn("[https] OAuth code used a second time from {}; the tokens issued from it are revoked", ctx.ip());
            invalidGrant(ctx, "the code was used already; the tokens issued from it are revoked");
            return;
        }
        if (c.expires() <= now) {
            invalidGrant(ctx, "the code has expired; sign in again");
        } else if (!c.clientId().equals(client.id())) {
            invalidGrant(ctx, "the code was issued to another client");
        } else if (!c.redirectUri().equals(Objects.requireNonNullElse(ctx.formParam("redirect_uri"), ""))) {
            invalidGrant(ctx, "redirect_uri differs from the one of the authorization request");
        } else if (!verifier.matches("[A-Za-z0-9._~-]{43,128}")) {
            error(ctx, HttpStatus.BAD_REQUEST, "invalid_request", "code_verifier must have 43 to 128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636 §4.1)");
        } else if (!MessageDigest.isEqual(s256(verifier).getBytes(StandardCharsets.US_ASCII), c.challenge().getBytes(StandardCharsets.US_ASCII))) {
            invalidGrant(ctx, "code_verifier does not match the code_challenge");
        } else {
            issue(ctx, client, c.accountId(), hash);
        }
    }

    private void refresh(Context ctx, OAuthClients.Client client) {
        String refresh = ctx.formParam("refresh_token");
        if (refresh == null) {
            error(ctx, HttpStatus.BAD_REQUEST, "invalid_request", "refresh_token is missing");
            return;
        }
        if (!scopeOk(ctx.formParam("scope"))) {
            error(ctx, HttpStatus.BAD_REQUEST, "invalid_scope", "the only scope is " + SCOPE);
            return;
        }
        String newRefresh = Secrets.newToken();
        String access = Secrets.newToken();
        long now = web.sv.clock().millis();
        Optional<OAuthGrants.Issued> issued = grants().refresh(Secrets.sha256(refresh), client.id(), Secrets.sha256(newRefresh),
                now + REFRESH_TOKEN_LIFE.toMillis(), Secrets.sha256(access), now + ACCESS_TOKEN_LIFE.toMillis());
        if (issued.isEmpty()) {
            invalidGrant(ctx, "the refresh token is not valid (unknown, replaced by a newer one, expired or revoked)");
            return;
        }
        tokens(ctx, access, newRefresh);
    }

    private void device(Context ctx, OAuthClients.Client client) {
        String deviceCode = ctx.formParam("device_code");
        if (deviceCode == null) {
            error(ctx, HttpStatus.BAD_REQUEST, "invalid_request", "device_code is missing");
            return;
        }
        String hash = Secrets.sha256(deviceCode);
        OAuthGrants.Poll poll = grants().pollDeviceCode(hash, client.id(), DEVICE_INTERVAL_SECONDS);
        switch (poll.outcome()) {
            case UNKNOWN, ALREADY_ISSUED -> invalidGrant(ctx, "the device code is not known or was used already");
            case EXPIRED -> error(ctx, HttpStatus.BAD_REQUEST, "expired_token", "the device code has expired; start again");
            case SLOW_DOWN -> error(ctx, HttpStatus.BAD_REQUEST, "slow_down", "poll no more often than every "
                    + (poll.code().intervalSeconds() + DEVICE_INTERVAL_SECONDS) + " seconds");
            case PENDING -> error(ctx, HttpStatus.BAD_REQUEST, "authorization_pending", "the person has not yet entered the code");
            case DENIED -> error(ctx, HttpStatus.BAD_REQUEST, "access_denied", "the person denied access");
            case ALLOWED -> issue(ctx, client, poll.code().accountId(), null);
        }
    }

    /** A new grant for the account, unless the account is gone. */
    private void issue(Context ctx, OAuthClients.Client client, long accountId, String codeHash) {
        if (web.sv.directory().account(accountId).isEmpty()) {
            invalidGrant(ctx, "the account no longer exists");
            return;
        }
        String refresh = Secrets.newToken();
        String access = Secrets.newToken();
        long now = web.sv.clock().millis();
        try {
            OAuthGrants.Issued issued = grants().issue(accountId, client.id(), client.name(), codeHash, Secrets.sha256(refresh),
                    now + REFRESH_TOKEN_LIFE.toMillis(), Secrets.sha256(access), now + ACCESS_TOKEN_LIFE.toMillis());
            log.info("[https] OAuth grant {} for account {} to client {} \"{}\"", issued.grant().id(), accountId, client.id(), client.name());
        } catch (StoreException e) {
            if (e.kind() != StoreException.Kind.NOT_FOUND) {
                throw e;
            }
            invalidGrant(ctx, "the account no longer exists");
            return;
        }
        tokens(ctx, access, refresh);
    }

    private void tokens(Context ctx, String access, String refresh) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("access_token", access);
        m.put("token_type", "Bearer");
        m.put("expires_in", ACCESS_TOKEN_LIFE.toSeconds());
        m.put("refresh_token", refresh);
        m.put("scope", SCOPE);
        json(ctx, HttpStatus.OK, m);
    }

    private void invalidGrant(Context ctx, String description) {
        tokenFailures.failed(ctx.ip(), "");
        error(ctx, HttpStatus.BAD_REQUEST, "invalid_grant", description);
    }

    // ------------------------------------------------------------------ revocation (RFC 7009)

    private void revoke(Context ctx) {
        Optional<OAuthClients.Client> client = client(ctx);
        if (client.isEmpty()) {
            return;
        }
        String token = ctx.formParam("token");
        if (token == null) {
            error(ctx, HttpStatus.BAD_REQUEST, "invalid_request", "token is missing");
            return;
        }
        String hash = Secrets.sha256(token);
        Optional<OAuthGrants.Grant> grant = grants().grantByRefresh(hash);
        if (grant.isEmpty()) {
            Optional<Security.Token> t = web.sv.security().tokenByHash(hash);
            if (t.isPresent() && t.get().grantId() == null && t.get().revoked() == null) {
                web.sv.security().revokeToken(t.get().accountId(), t.get().id()); // an administrator's token, revoked by its holder
            }
            grant = t.flatMap(x -> grants().grantOfToken(x.id()));
        }
        if (grant.isPresent() && grant.get().revoked() == null && grant.get().clientId().equals(client.get().id())) {
            // RFC 7009 §2.1: revoking either token ends the whole grant.
            try {
                grants().revokeGrant(grant.get().accountId(), grant.get().id());
            } catch (StoreException e) {
                if (e.kind() != StoreException.Kind.NOT_FOUND) {
                    throw e;
                }
            }
        }
        // §2.2: the answer is the same whether or not the token was known.
        noStore(ctx);
        ctx.status(HttpStatus.OK).result("");
    }

    // ------------------------------------------------------------------ device authorization (RFC 8628 §3.1)

    private void deviceAuthorization(Context ctx) {
        Optional<Duration> wait = additions.blocked(ctx.ip(), "", true);
        if (wait.isPresent()) {
            tooMany(ctx, wait.get());
            return;
        }
        Optional<OAuthClients.Client> client = client(ctx);
        if (client.isEmpty()) {
            return;
        }
        if (!scopeOk(ctx.formParam("scope"))) {
            error(ctx, HttpStatus.BAD_REQUEST, "invalid_scope", "the only scope is " + SCOPE);
            return;
        }
        String deviceCode = Secrets.newToken();
        long now = web.sv.clock().millis();
        String userCode = null;
        for (int i = 0; userCode == null; i++) {
            String candidate = newUserCode();
            try {
                grants().addDeviceCode(Secrets.sha256(deviceCode), candidate, client.get().id(), now + DEVICE_CODE_LIFE.toMillis(),
                        DEVICE_INTERVAL_SECONDS);
                userCode = candidate;
            } catch (StoreException e) {
                if (e.kind() != StoreException.Kind.EXISTS || i >= 5) {
                    throw e;
                }
            }
        }
        additions.failed(ctx.ip(), "");
        clients.used(client.get());
        String base = issuer(web);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("device_code", deviceCode);
        m.put("user_code", userCode);
        m.put("verification_uri", base + "/device");
        m.put("verification_uri_complete", base + "/device?user_code=" + userCode);
        m.put("expires_in", DEVICE_CODE_LIFE.toSeconds());
        m.put("interval", DEVICE_INTERVAL_SECONDS);
        json(ctx, HttpStatus.OK, m);
    }

    static String newUserCode() {
        StringBuilder sb = new StringBuilder(9);
        for (int i = 0; i < 8; i++) {
            if (i == 4) {
                sb.append('-');
            }
            sb.append(USER_CODE_LETTERS.charAt(RANDOM.nextInt(USER_CODE_LETTERS.length())));
        }
        return sb.toString();
    }

    /** A typed user code as stored (XXXX-XXXX), or null when it cannot be one. */
    static String normalUserCode(String typed) {
        if (typed == null) {
            return null;
        }
        String letters = typed.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z]", "");
        if (letters.length() != 8 || !letters.chars().allMatch(ch -> USER_CODE_LETTERS.indexOf(ch) >= 0)) {
            return null;
        }
        return letters.substring(0, 4) + "-" + letters.substring(4);
    }

    // ------------------------------------------------------------------ shared

    private OAuthGrants grants() {
        return web.sv.security().oauth();
    }

    /** A requested scope is fine when absent or made of {@code mail} (and offline_access, which refresh tokens imply). */
    static boolean scopeOk(String scope) {
        if (scope == null || scope.isBlank()) {
            return true;
        }
        for (String s : scope.strip().split(" +")) {
            if (!s.equals(SCOPE) && !s.equals("offline_access")) {
                return false;
            }
        }
        return true;
    }

    /** RFC 7636 §4.2: BASE64URL(SHA256(ASCII(code_verifier))). */
    static String s256(String verifier) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean repeated(Context ctx) {
        return ctx.formParamMap().values().stream().anyMatch(v -> v.size() > 1);
    }

    private void tooMany(Context ctx, Duration wait) {
        ctx.header("Retry-After", String.valueOf(Math.max(1, wait.toSeconds())));
        error(ctx, HttpStatus.TOO_MANY_REQUESTS, "temporarily_unavailable", "too many requests from this address; try again in "
                + Throttle.inWords(wait));
    }

    static void error(Context ctx, HttpStatus status, String error, String description) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", error);
        m.put("error_description", description);
        json(ctx, status, m);
    }

    static void json(Context ctx, HttpStatus status, Map<String, Object> body) {
        noStore(ctx);
        try {
            ctx.status(status).contentType("application/json;charset=UTF-8").result(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void noStore(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.header("Pragma", "no-cache");
    }
}
