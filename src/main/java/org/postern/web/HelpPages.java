package org.postern.web;

import io.javalin.config.RoutesConfig;
import java.util.Map;

/**
 * The help pages the mail protocols' error texts link to ({@code https://HOST/help/...},
 * DESIGN.md, Error texts): short answers a person can act on.
 */
final class HelpPages {
    private HelpPages() {}

    private static final Map<String, String[]> PAGES = Map.of(
            "app-passwords", new String[] {"App passwords",
                "<p>With 2-Step Verification on (or when the server requires it), mail clients cannot use your account password. "
                + "Sign in on this site, open <a href=\"/security#app-passwords\">Security</a>, create an app password with a name "
                + "for the device, and type the 16 letters into the mail client as its password. Spaces do not matter.</p>"},
            "login", new String[] {"Your mail client cannot sign in",
                "<p>Check that the user name is your full email address and the password is right. With 2-Step Verification on, "
                + "use an <a href=\"/help/app-passwords\">app password</a>. The <a href=\"/doctor\">connection doctor</a> shows why "
                + "the server refused the last attempts and what to change.</p>"},
            "smtp", new String[] {"Sending mail",
                "<p>Mail clients send through port 465 (SSL/TLS) or 587 (STARTTLS), signed in with the full address and the same "
                + "password as for incoming mail. See <a href=\"/setup\">Set up a mail client</a>.</p>"},
            "imap", new String[] {"IMAP access",
                "<p>IMAP can be switched on and off for your account on the <a href=\"/settings#imap\">Forwarding and POP/IMAP</a> page.</p>"},
            "oauth", new String[] {"Signing in mail clients through this site (OAuth)",
                "<p>A mail client that supports OAuth 2.0 opens this site's sign-in page instead of asking for a password. Sign in "
                + "(with your 2-Step Verification code when it is on), check the app's name and allow it. The app never learns your "
                + "password, and works with 2-Step Verification on without an app password. Programs in a terminal show a code "
                + "instead: open <a href=\"/device\">/device</a> and type it there.</p><p>Every app you allowed is listed under "
                + "<a href=\"/security#apps\">Security, Apps with access</a>, where Revoke signs it out.</p><p>For developers: the "
                + "server's metadata is at <code>/.well-known/oauth-authorization-server</code> (RFC 8414); clients register at "
                + "<code>/oauth/register</code> (RFC 7591), use the authorization code grant with PKCE S256, or the device flow "
                + "(RFC 8628), and send the access token with SASL OAUTHBEARER or XOAUTH2.</p>"},
            "pop", new String[] {"POP access",
                "<p>POP can be switched on and off for your account on the <a href=\"/settings#pop\">Forwarding and POP/IMAP</a> page.</p>"});

    static void register(RoutesConfig r, Web web) {
        r.get("/help", ctx -> ctx.html(Html.page("Help", web.sessions.find(ctx).orElse(null), null,
                "<ul><li><a href=\"/help/login\">A mail client cannot sign in</a></li><li><a href=\"/help/app-passwords\">App passwords</a></li>"
                + "<li><a href=\"/help/smtp\">Sending mail</a></li><li><a href=\"/help/imap\">IMAP access</a></li>"
                + "<li><a href=\"/help/pop\">POP access</a></li><li><a href=\"/help/oauth\">Signing in mail clients through this site (OAuth)</a></li></ul>")));
        r.get("/help/{topic}", ctx -> {
            String[] page = PAGES.get(ctx.pathParam("topic"));
            if (page == null) {
                ctx.status(404);
                return;
            }
            ctx.html(Html.page(page[0], web.sessions.find(ctx).orElse(null), null, page[1]));
        });
    }
}
