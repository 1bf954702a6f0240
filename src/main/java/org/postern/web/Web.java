package org.postern.web;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.IntSupplier;
import org.postern.store.Directory.Account;

/** What every page shares: the services, the sessions, the metrics, and the checks every request passes. */
final class Web {
    final WebServices sv;
    final WebSessions sessions;
    final Metrics metrics;
    private final IntSupplier httpsPort;

    Web(WebServices sv, IntSupplier httpsPort) {
        this.sv = sv;
        this.sessions = new WebSessions(sv.clock(), sv.security(), sv.sessions());
        this.metrics = new Metrics(sv, sessions);
        this.httpsPort = httpsPort;
    }

    /** The HTTPS port clients reach, for redirects and links; 443 needs no port in a URL. */
    String httpsBase(String host) {
        int port = httpsPort.getAsInt();
        return "https://" + host + (port == 443 || port <= 0 ? "" : ":" + port);
    }

    /** Runs before every route: plain HTTP redirects, headers, CSRF and Origin checks of POSTs. */
    void before(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; "
                + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        if (!ctx.req().isSecure() && !WebServer.plainHttpAllowed(ctx.path())) {
            String query = ctx.queryString();
            ctx.redirect(httpsBase(requestHost(ctx)) + ctx.path() + (query == null ? "" : "?" + query), HttpStatus.MOVED_PERMANENTLY);
            ctx.skipRemainingHandlers();
            return;
        }
        // Clients (Outlook's Autodiscover, OAuth clients) post without a browser session: no cookie to protect, no token.
        if (ctx.method().name().equals("POST") && !ctx.path().equalsIgnoreCase("/autodiscover/autodiscover.xml")
                && !OAuthEndpoints.CLIENT_POSTS.contains(ctx.path())) {
            String origin = ctx.header("Origin");
            if (origin != null && !origin.equals("null") && !String.valueOf(WebServer.originHost(origin)).equalsIgnoreCase(ctx.host())) {
                WebServer.refuse(ctx, HttpStatus.FORBIDDEN, "Request refused", "This form was sent from another site.");
                return;
            }
            Optional<WebSession> s = sessions.find(ctx);
            if (s.isEmpty() || !WebServer.sameToken(s.get().csrf(), ctx.formParam("csrf"))) {
                WebServer.refuse(ctx, HttpStatus.FORBIDDEN, "This form has expired",
                        "The page was open too long or in another session. Go back, reload the page and try again.");
            }
        }
    }

    /** The host the client asked for, without its port; the configured name when it looks odd. */
    String requestHost(Context ctx) {
        String h = ctx.host();
        if (h == null) {
            return sv.hostname();
        }
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end > 0 && h.substring(1, end).matches("[0-9a-fA-F:.]+") ? h.substring(0, end + 1) : sv.hostname();
        }
        int colon = h.indexOf(':');
        String host = colon >= 0 ? h.substring(0, colon) : h;
        return host.matches("[A-Za-z0-9.-]{1,253}") ? host : sv.hostname();
    }

    /** The signed-in session, or null after sending the browser to the sign-in page. */
    WebSession user(Context ctx) {
        Optional<WebSession> s = sessions.find(ctx).filter(WebSession::signedIn);
        if (s.isEmpty()) {
            String next = ctx.method().name().equals("GET") ? ctx.path() : "/";
            ctx.redirect("/signin?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8), HttpStatus.SEE_OTHER);
            return null;
        }
        return s.get();
    }

    /** The signed-in session of an administrator (the flag read now), or null after a refusal. */
    WebSession admin(Context ctx) {
        WebSession s = user(ctx);
        if (s == null) {
            return null;
        }
        boolean admin = sv.directory().account(s.accountId()).map(Account::admin).orElse(false);
        s.admin(admin);
        if (!admin) {
            ctx.status(HttpStatus.FORBIDDEN).html(Html.page("Administrators only", s, null,
                    "<p>These pages are for the server's administrators. An administrator can give an account "
                            + "access with <code>postern account set EMAIL admin=on</code>.</p>"));
            return null;
        }
        return s;
    }

    /** The signed-in person's account as stored now; null (and signed out) when it was removed. */
    Account account(WebSession s, Context ctx) {
        Optional<Account> a = sv.directory().account(s.accountId());
        if (a.isEmpty()) {
            sessions.end(s, ctx);
            ctx.redirect("/signin", HttpStatus.SEE_OTHER);
            return null;
        }
        return a.get();
    }

    /** Post/Redirect/Get: after a form, the page it belongs to. */
    static void seeOther(Context ctx, String path) {
        ctx.redirect(path, HttpStatus.SEE_OTHER);
    }
}
