package org.postern.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.postern.auth.Secrets;
import org.postern.auth.Throttle;
import org.postern.store.Directory.Account;
import org.postern.store.OAuthGrants;

/**
 * The pages a person sees when a mail client asks for access: the authorization endpoint
 * (RFC 6749 §4.1.1, PKCE required, RFC 7636) with its consent page, and {@code /device}, where a
 * code shown by a terminal client is typed (RFC 8628 §3.3). Both use the ordinary sign-in first
 * (password, then the 2-Step Verification code when it is on), and the consent form is a POST with
 * the session's CSRF token like every other form.
 *
 * <p>Errors about the client or its redirect URI are shown here and never sent to a redirect URI
 * that was not verified (RFC 6749 §4.1.2.1); other errors go back to the client.
 */
final class OAuthPages {
    /** Wrong user codes per address before /device asks to wait: the codes are short enough to guess at. */
    private final Throttle userCodeFailures;
    private final Web web;
    private final OAuthClients clients;

    private OAuthPages(Web web, OAuthClients clients) {
        this.web = web;
        this.clients = clients;
        this.userCodeFailures = new Throttle(web.sv.clock());
    }

    static void register(RoutesConfig r, Web web, OAuthClients clients) {
        OAuthPages p = new OAuthPages(web, clients);
        r.get("/oauth/authorize", p::authorize);
        r.post("/oauth/authorize", p::decide);
        r.get("/device", p::deviceForm);
        r.post("/device", p::deviceCode);
        r.post("/device/consent", p::deviceDecide);
    }

    /** A checked authorization request. */
    private record Request(OAuthClients.Client client, String redirectUri, boolean redirectGiven, String state, String challenge) {
        /** The hidden fields that carry it through the consent form. */
        String fields() {
            return hidden("client_id", client.id()) + (redirectGiven ? hidden("redirect_uri", redirectUri) : "") + hidden("response_type", "code")
                    + (state == null ? "" : hidden("state", state)) + hidden("code_challenge", challenge)
                    + hidden("code_challenge_method", "S256") + hidden("scope", OAuthEndpoints.SCOPE);
        }
    }

    /** What checking a request found: a request, an error page, or an error for the verified redirect URI. */
    private sealed interface Checked {
        record Ok(Request request) implements Checked {}

        record Page(String message) implements Checked {}

        record Redirect(String redirectUri, String state, String error, String description) implements Checked {}
    }

    private Checked check(Function<String, String> param, Function<String, Integer> count) {
        for (String name : new String[] {"client_id", "redirect_uri", "response_type", "state", "code_challenge", "code_challenge_method", "scope"}) {
            if (count.apply(name) > 1) {
                return new Checked.Page("The app's request names " + name + " more than once, so it cannot be trusted.");
            }
        }
        Optional<OAuthClients.Client> client = clients.find(param.apply("client_id"));
        if (client.isEmpty()) {
            return new Checked.Page(param.apply("client_id") == null ? "The app's request does not say which app it is (client_id is missing)."
                    : "The app that sent you here is not registered with this server (unknown client_id). It should register first.");
        }
        Optional<String> redirect = OAuthClients.redirectFor(client.get(), param.apply("redirect_uri"));
        if (redirect.isEmpty()) {
            return new Checked.Page("The app asked to send the answer to an address it did not register (redirect_uri), so this "
                    + "server does not send it there.");
        }
        String state = param.apply("state");
        String uri = redirect.get();
        if (!"code".equals(param.apply("response_type"))) {
            return new Checked.Redirect(uri, state, "unsupported_response_type", "response_type must be code");
        }
        String challenge = param.apply("code_challenge");
        if (challenge == null) {
            return new Checked.Redirect(uri, state, "invalid_request", "PKCE is required: send code_challenge with code_challenge_method=S256");
        }
        if (!"S256".equals(param.apply("code_challenge_method"))) {
            return new Checked.Redirect(uri, state, "invalid_request", "code_challenge_method must be S256; plain is not accepted");
        }
        if (!challenge.matches("[A-Za-z0-9_-]{43}")) {
            return new Checked.Redirect(uri, state, "invalid_request", "code_challenge must be the 43 base64url characters of a SHA-256");
        }
        if (!OAuthEndpoints.scopeOk(param.apply("scope"))) {
            return new Checked.Redirect(uri, state, "invalid_scope", "the only scope is " + OAuthEndpoints.SCOPE);
        }
        if (state != null && state.length() > 1000) {
            return new Checked.Redirect(uri, null, "invalid_request", "state is longer than 1000 characters");
        }
        return new Checked.Ok(new Request(client.get(), uri, param.apply("redirect_uri") != null, state, challenge));
    }

    // ------------------------------------------------------------------ authorization code

    /** A valid request and the signed-in person it is for; null after an error or a redirect to sign in. */
    private record Asked(Request request, SignedIn who) {}

    private Asked asked(Context ctx, Function<String, String> param, Function<String, Integer> count) {
        Checked checked = check(param, count);
        if (!(checked instanceof Checked.Ok(Request req))) {
            refuse(ctx, checked);
            return null;
        }
        SignedIn who = signedIn(ctx);
        return who == null ? null : new Asked(req, who);
    }

    private void authorize(Context ctx) {
        Asked asked = asked(ctx, ctx::queryParam, n -> ctx.queryParams(n).size());
        if (asked == null) {
            return;
        }
        Request req = asked.request();
        SignedIn who = asked.who();
        clients.used(req.client());
        allowFormTo(ctx, req.redirectUri());
        ctx.html(consentPage(who, req.client(), "/oauth/authorize", req.fields(),
                "After you choose, your browser goes back to the app at " + req.redirectUri() + "."));
    }

    private void decide(Context ctx) {
        Asked asked = asked(ctx, ctx::formParam, n -> ctx.formParams(n).size());
        if (asked == null) {
            return;
        }
        Request req = asked.request();
        SignedIn who = asked.who();
        Map<String, String> answer = new LinkedHashMap<>();
        if ("allow".equals(ctx.formParam("decision"))) {
            String code = WebSessions.randomToken();
            // RFC 6749 §4.1.3: the token request repeats redirect_uri only when the authorization request named it.
            web.sv.security().oauth().addCode(Secrets.sha256(code), who.account().id(), req.client().id(),
                    req.redirectGiven() ? req.redirectUri() : "",
                    req.challenge(), web.sv.clock().millis() + OAuthEndpoints.CODE_LIFE.toMillis());
            answer.put("code", code);
        } else {
            answer.put("error", "access_denied");
            answer.put("error_description", "the person denied access");
        }
        if (req.state() != null) {
            answer.put("state", req.state());
        }
        answer.put("iss", OAuthEndpoints.issuer(web)); // RFC 9207
        Web.seeOther(ctx, withQuery(req.redirectUri(), answer));
    }

    private void refuse(Context ctx, Checked checked) {
        switch (checked) {
            case Checked.Page(String message) -> ctx.status(HttpStatus.BAD_REQUEST).html(Html.page("The app's request is not valid",
                    web.sessions.find(ctx).filter(WebSession::signedIn).orElse(null), null, "<p>" + Html.esc(message) + "</p>"
                            + "<p>Nothing was shared with the app. Try again from the app, or ask its makers for help.</p>"));
            case Checked.Redirect(String uri, String state, String error, String description) -> {
                Map<String, String> q = new LinkedHashMap<>();
                q.put("error", error);
                q.put("error_description", description);
                if (state != null) {
                    q.put("state", state);
                }
                q.put("iss", OAuthEndpoints.issuer(web));
                Web.seeOther(ctx, withQuery(uri, q));
            }
            case Checked.Ok ok -> throw new IllegalArgumentException("not an error");
        }
    }

    /** Browsers apply the page's form-action to the redirect that follows the form; let it go to the app. */
    private static void allowFormTo(Context ctx, String redirectUri) {
        String src = OAuthClients.formActionSource(redirectUri);
        ctx.header("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'"
                + (src.isEmpty() ? "" : " " + src) + "; frame-ancestors 'none'; base-uri 'none'");
    }

    static String withQuery(String uri, Map<String, String> params) {
        StringBuilder sb = new StringBuilder(uri).append(uri.contains("?") ? '&' : '?');
        params.forEach((k, v) -> sb.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&'));
        sb.setLength(sb.length() - 1);
        return sb.toString();
    }

    // ------------------------------------------------------------------ consent

    private record SignedIn(WebSession session, Account account) {}

    /**
     * The signed-in person, or null after sending the browser to sign in (and back here, with the
     * request's query, afterwards) or after refusing a POST without a signed-in session.
     */
    private SignedIn signedIn(Context ctx) {
        Optional<WebSession> s = web.sessions.find(ctx).filter(WebSession::signedIn);
        if (s.isEmpty()) {
            if (ctx.method().name().equals("GET")) {
                String query = ctx.queryString();
                String back = ctx.path() + (query == null ? "" : "?" + query);
                Web.seeOther(ctx, "/signin?next=" + URLEncoder.encode(back, StandardCharsets.UTF_8));
            } else {
                ctx.status(HttpStatus.FORBIDDEN).html(Html.page("Signed out", null, null,
                        "<p>You were signed out before you chose. Start again from the app.</p>"));
            }
            return null;
        }
        Account a = web.account(s.get(), ctx);
        return a == null ? null : new SignedIn(s.get(), a);
    }

    private String consentPage(SignedIn who, OAuthClients.Client client, String action, String fields, String whereTo) {
        Account a = who.account();
        String reading = a.imapEnabled() && a.popEnabled() ? "" : !a.imapEnabled() && !a.popEnabled()
                ? "<p class=\"hint\">IMAP and POP are switched off for your account, so the app can only send mail until you switch one on "
                + "in <a href=\"/settings\">Forwarding and POP/IMAP</a>.</p>"
                : "<p class=\"hint\">" + (a.imapEnabled() ? "POP" : "IMAP") + " is switched off for your account; the app can use "
                + (a.imapEnabled() ? "IMAP" : "POP") + ".</p>";
        String body = "<p class=\"consent\"><strong>" + Html.esc(client.name()) + "</strong> wants to read and send your mail as <strong>"
                + Html.esc(a.email()) + "</strong>.</p>"
                + "<p>If you allow it, the app gets access to your mail over IMAP, POP and SMTP without learning your password, until "
                + "you revoke it under <a href=\"/security#apps\">Security, Apps with access</a>.</p>" + reading
                + (client.builtIn() ? "" : "<p class=\"hint\">This app registered itself with this server; the name is its own claim. "
                + "Allow it only if you just started signing in to it.</p>")
                + "<p class=\"hint\">" + Html.esc(whereTo) + "</p>"
                + Html.form(who.session(), action, fields + "<p><button type=\"submit\" name=\"decision\" value=\"allow\">Allow</button> "
                + "<button type=\"submit\" name=\"decision\" value=\"deny\" class=\"secondary\">Deny</button></p>");
        return Html.page("Allow access to your mail?", who.session(), null, body);
    }

    private static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + Html.esc(value) + "\">";
    }

    // ------------------------------------------------------------------ device flow (RFC 8628 §3.3)

    private void deviceForm(Context ctx) {
        SignedIn who = signedIn(ctx);
        if (who == null) {
            return;
        }
        String code = OAuthEndpoints.normalUserCode(ctx.queryParam("user_code"));
        ctx.html(devicePage(who.session(), code == null ? "" : code, null));
    }

    private String devicePage(WebSession s, String code, String error) {
        return Html.page("Connect a device", s, null, (error == null ? "" : Html.error(error))
                + "<p>Enter the code that the program or device shows, to give it access to your mail.</p>"
                + Html.form(s, "/device", Html.input("user_code", "Code (8 letters)", "text", code,
                "required autocomplete=\"off\" autocapitalize=\"characters\" spellcheck=\"false\" autofocus")
                + "<p><button type=\"submit\">Continue</button></p>"));
    }

    private void deviceCode(Context ctx) {
        SignedIn who = signedIn(ctx);
        if (who == null) {
            return;
        }
        String typed = ctx.formParam("user_code");
        Optional<Duration> wait = userCodeFailures.blocked(ctx.ip(), who.account().email(), false);
        if (wait.isPresent()) {
            ctx.status(HttpStatus.TOO_MANY_REQUESTS).html(devicePage(who.session(), "", "Too many wrong codes. Try again in "
                    + Throttle.inWords(wait.get()) + "."));
            return;
        }
        String code = OAuthEndpoints.normalUserCode(typed);
        Optional<OAuthGrants.DeviceCode> pending = code == null ? Optional.empty() : web.sv.security().oauth().pendingDeviceCode(code);
        Optional<OAuthClients.Client> client = pending.flatMap(p -> clients.find(p.clientId()));
        if (client.isEmpty()) {
            userCodeFailures.failed(ctx.ip(), who.account().email());
            ctx.status(HttpStatus.BAD_REQUEST).html(devicePage(who.session(), typed == null ? "" : typed,
                    "That code is not right, or it has expired. Check it, or start again on the device for a new one."));
            return;
        }
        ctx.html(consentPage(who, client.get(), "/device/consent", hidden("user_code", code),
                "Check that the device shows the code " + code + "."));
    }

    private void deviceDecide(Context ctx) {
        SignedIn who = signedIn(ctx);
        if (who == null) {
            return;
        }
        String code = OAuthEndpoints.normalUserCode(ctx.formParam("user_code"));
        boolean allow = "allow".equals(ctx.formParam("decision"));
        if (code == null || !web.sv.security().oauth().decideDeviceCode(code, allow ? who.account().id() : null)) {
            ctx.status(HttpStatus.BAD_REQUEST).html(devicePage(who.session(), "", "That code has expired or was used already. "
                    + "Start again on the device for a new one."));
            return;
        }
        ctx.html(Html.page(allow ? "Device connected" : "Access denied", who.session(), null, allow
                ? "<p class=\"notice\" role=\"status\">The device now has access to your mail. You can go back to it; it continues "
                + "on its own. Revoke its access any time under <a href=\"/security#apps\">Security</a>.</p>"
                : "<p class=\"notice\" role=\"status\">The device was not given access. You can close this page.</p>"));
    }
}
