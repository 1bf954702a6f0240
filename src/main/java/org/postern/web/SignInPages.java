package org.postern.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.postern.auth.Authenticator;
import org.postern.auth.Throttle;
import org.postern.store.Directory.Account;

/**
 * Signing in and out: the password (through the {@link Authenticator}, as every mail protocol,
 * so failures count towards the same throttle), then the 2-Step Verification code when it is
 * on (a TOTP code or a backup code). App passwords are for mail clients and do not open the web.
 */
final class SignInPages {
    /** Wrong codes allowed per sign-in before the password must be given again. */
    static final int CODE_TRIES = 5;
    /** Wrong codes per account within {@link #CODE_WINDOW_MS} before codes are refused for that long. */
    static final int CODE_FAILURES_PER_ACCOUNT = 10;
    static final long CODE_WINDOW_MS = 15 * 60_000;

    private record Failures(int count, long since) {}

    private final Web web;
    private final Map<Long, Failures> codeFailures = new ConcurrentHashMap<>();

    private SignInPages(Web web) {
        this.web = web;
    }

    static void register(RoutesConfig r, Web web) {
        SignInPages p = new SignInPages(web);
        r.get("/", ctx -> Web.seeOther(ctx, web.sessions.find(ctx).filter(WebSession::signedIn).isPresent() ? "/settings" : "/signin"));
        r.get("/signin", p::form);
        r.post("/signin", p::password);
        r.get("/signin/code", p::codeForm);
        r.post("/signin/code", p::code);
        r.post("/signout", p::signOut);
    }

    private void form(Context ctx) {
        Optional<WebSession> existing = web.sessions.find(ctx);
        if (existing.isPresent() && existing.get().signedIn()) {
            Web.seeOther(ctx, next(ctx.queryParam("next")));
            return;
        }
        WebSession s = web.sessions.findOrCreate(ctx);
        ctx.html(signInPage(s, ctx.queryParam("email"), next(ctx.queryParam("next")), null));
    }

    private String signInPage(WebSession s, String email, String next, String error) {
        String body = (error == null ? "" : Html.error(error))
                + "<p>Sign in with your full email address and your account password.</p>"
                + Html.form(s, "/signin", "<input type=\"hidden\" name=\"next\" value=\"" + Html.esc(next) + "\">"
                + Html.input("email", "Email address", "email", email, "autocomplete=\"username\" required autofocus")
                + Html.input("password", "Password", "password", "", "autocomplete=\"current-password\" required")
                + "<p><button type=\"submit\">Sign in</button></p>")
                + "<p class=\"hint\">Setting up a mail client? It needs an app password when 2-Step Verification is on; "
                + "see <a href=\"/help/app-passwords\">app passwords</a>.</p>";
        return Html.page("Sign in", s, null, body);
    }

    private void password(Context ctx) {
        WebSession anonymous = web.sessions.find(ctx).orElseThrow();
        String email = ctx.formParam("email");
        String next = next(ctx.formParam("next"));
        Authenticator.Client client = new Authenticator.Client(ctx.ip(), anonymous.clientName);
        Authenticator.Result result = web.sv.authenticator().authenticate(email, ctx.formParam("password"),
                Authenticator.Protocol.WEB, client);
        String error = switch (result) {
            case Authenticator.Result.Refused r -> switch (r.reason()) {
                case THROTTLED -> "Too many failed sign-in attempts. Try again in " + Throttle.inWords(r.retryAfter()) + ".";
                case TEMPORARY -> "The server has a temporary problem. Please try again in a few minutes.";
                default -> "Wrong email address or password. Try again, or ask your administrator to reset the password.";
            };
            case Authenticator.Result.Success ok when !ok.credential().equals(org.postern.store.Security.PASSWORD) ->
                    "App passwords are for mail clients. Sign in here with your account password.";
            case Authenticator.Result.Success ok -> null;
        };
        if (error != null) {
            web.metrics.signIn(false);
            ctx.status(HttpStatus.UNAUTHORIZED).html(signInPage(anonymous, email, next, error));
            return;
        }
        Account account = ((Authenticator.Result.Success) result).account();
        web.sessions.end(anonymous);
        if (web.sv.twoStep().isOn(account.id())) {
            web.sessions.start(ctx, account.id(), account.email(), account.admin(), WebSession.Stage.NEEDS_CODE);
            Web.seeOther(ctx, "/signin/code?next=" + java.net.URLEncoder.encode(next, java.nio.charset.StandardCharsets.UTF_8));
            return;
        }
        signedIn(ctx, account);
        Web.seeOther(ctx, next);
    }

    private void codeForm(Context ctx) {
        Optional<WebSession> s = web.sessions.find(ctx).filter(x -> x.stage() == WebSession.Stage.NEEDS_CODE);
        if (s.isEmpty()) {
            Web.seeOther(ctx, "/signin");
            return;
        }
        ctx.html(codePage(s.get(), next(ctx.queryParam("next")), null));
    }

    private String codePage(WebSession s, String next, String error) {
        return Html.page("2-Step Verification", s, null, (error == null ? "" : Html.error(error))
                + "<p>Enter the 6-digit code from your authenticator app for " + Html.esc(s.email())
                + ", or one of your 8-digit backup codes.</p>"
                + Html.form(s, "/signin/code", "<input type=\"hidden\" name=\"next\" value=\"" + Html.esc(next) + "\">"
                + Html.input("code", "Code", "text", "", "inputmode=\"numeric\" autocomplete=\"one-time-code\" required autofocus")
                + "<p><button type=\"submit\">Verify</button></p>"));
    }

    private void code(Context ctx) {
        Optional<WebSession> found = web.sessions.find(ctx).filter(x -> x.stage() == WebSession.Stage.NEEDS_CODE);
        if (found.isEmpty()) {
            Web.seeOther(ctx, "/signin");
            return;
        }
        WebSession s = found.get();
        String next = next(ctx.formParam("next"));
        long now = web.sv.clock().millis();
        Failures f = codeFailures.get(s.accountId());
        if (f != null && f.count() >= CODE_FAILURES_PER_ACCOUNT && now - f.since() < CODE_WINDOW_MS) {
            ctx.status(HttpStatus.TOO_MANY_REQUESTS).html(codePage(s, next, "Too many wrong codes for this account. Try again in "
                    + Throttle.inWords(java.time.Duration.ofMillis(CODE_WINDOW_MS - (now - f.since()))) + "."));
            return;
        }
        Optional<Account> account = web.sv.directory().account(s.accountId());
        if (account.isPresent() && web.sv.twoStep().verify(s.accountId(), ctx.formParam("code"))) {
            codeFailures.remove(s.accountId());
            web.sessions.end(s);
            signedIn(ctx, account.get());
            Web.seeOther(ctx, next);
            return;
        }
        web.metrics.signIn(false);
        codeFailures.merge(s.accountId(), new Failures(1, now), (a, b) -> now - a.since() > CODE_WINDOW_MS ? b : new Failures(a.count() + 1, a.since()));
        account.ifPresent(a -> web.sv.authenticator().refusedAfterSignIn(a, Authenticator.Protocol.WEB,
                new Authenticator.Client(ctx.ip(), s.clientName), org.postern.store.Security.PASSWORD,
                "wrong 2-Step Verification code at web sign-in"));
        if (web.sessions.codeFailed(s) >= CODE_TRIES) {
            web.sessions.end(s, ctx);
            WebSession anonymous = web.sessions.create(ctx);
            ctx.status(HttpStatus.UNAUTHORIZED).html(signInPage(anonymous, s.email(), next,
                    "Too many wrong codes. Sign in again with your password."));
            return;
        }
        ctx.status(HttpStatus.UNAUTHORIZED).html(codePage(s, next, "Wrong code. Check the time on your phone and try the newest code."));
    }

    /** A new signed-in session (a new cookie) for the account. */
    private void signedIn(Context ctx, Account account) {
        web.sessions.start(ctx, account.id(), account.email(), account.admin(), WebSession.Stage.SIGNED_IN);
        web.metrics.signIn(true);
    }

    private void signOut(Context ctx) {
        web.sessions.find(ctx).ifPresent(s -> web.sessions.end(s, ctx));
        WebSession anonymous = web.sessions.create(ctx);
        anonymous.flash("You are signed out.");
        Web.seeOther(ctx, "/signin");
    }

    /** Only a path of this site: never another host (no open redirect). */
    static String next(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\") || next.contains("\r")
                || next.contains("\n") || next.startsWith("/signin") || next.startsWith("/signout")) {
            return "/settings";
        }
        return next;
    }
}
