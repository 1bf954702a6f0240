package org.postern.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.postern.auth.Passwords;
import org.postern.auth.Secrets;
import org.postern.auth.Totp;
import org.postern.store.Directory.Account;
import org.postern.store.OAuthGrants;
import org.postern.store.Security;
import org.postern.store.StoreException;

/**
 * The account security page: 2-Step Verification (turned on only after the first code from the
 * scanned QR code checks out), backup codes, app passwords, apps given access through OAuth,
 * recent security activity, devices, and the password.
 */
final class SecurityPage {
    private final Web web;

    private SecurityPage(Web web) {
        this.web = web;
    }

    static void register(RoutesConfig r, Web web) {
        SecurityPage p = new SecurityPage(web);
        r.get("/security", p::show);
        r.post("/security/2sv/start", p::start);
        r.get("/security/2sv", p::enrolPage);
        r.post("/security/2sv/confirm", p::confirm);
        r.post("/security/2sv/off", p::off);
        r.post("/security/backup-codes", p::newBackupCodes);
        r.post("/security/app-passwords", p::addAppPassword);
        r.post("/security/app-passwords/revoke", p::revokeAppPassword);
        r.post("/security/devices/sign-out", p::signOutDevice);
        r.post("/security/apps/revoke", p::revokeApp);
        r.post("/security/password", p::changePassword);
    }

    private void show(Context ctx) {
        WebSession s = web.user(ctx);
        Account a = s == null ? null : web.account(s, ctx);
        if (a == null) {
            return;
        }
        Security sec = web.sv.security();
        StringBuilder sb = new StringBuilder();
        List<String> once = s.takeShownOnce();
        if (once != null) {
            sb.append("<div class=\"notice\" role=\"status\"><p>").append(Html.esc(once.getFirst())).append("</p><p class=\"secret\">");
            for (String line : once.subList(1, once.size())) {
                sb.append(Html.esc(line)).append("<br>");
            }
            sb.append("</p><p class=\"hint\">This is shown only once. Spaces do not matter.</p></div>");
        }
        boolean on = web.sv.twoStep().isOn(a.id());
        sb.append("<h2 id=\"two-step\">2-Step Verification</h2>");
        if (on) {
            sb.append("<p><span class=\"ok\">On.</span> Signing in here asks for a code from your authenticator app; mail clients ")
                    .append("need an app password. Backup codes left: ").append(web.sv.twoStep().backupCodesLeft(a.id())).append(".</p>")
                    .append(Html.form(s, "/security/backup-codes", "<p><button type=\"submit\" class=\"secondary\">Get new backup codes</button></p>"))
                    .append(Html.form(s, "/security/2sv/off", Html.input("off-password", "Your password, to turn it off", "password", "",
                            "autocomplete=\"current-password\" required")
                            + "<p><button type=\"submit\" class=\"danger\">Turn off 2-Step Verification</button></p>"));
        } else {
            sb.append("<p><span class=\"warn\">Off.</span> With it on, a stolen password alone opens nothing: the web asks for a ")
                    .append("code from your phone, and mail clients need an app password.</p>")
                    .append(Html.form(s, "/security/2sv/start", "<p><button type=\"submit\">Turn on 2-Step Verification</button></p>"));
        }
        sb.append("<h2 id=\"app-passwords\">App passwords</h2><p>An app password lets a mail client sign in when 2-Step Verification ")
                .append("is on. Make one per device, and revoke it when the device is gone.</p>");
        List<Security.AppPassword> apps = sec.appPasswords(a.id());
        if (!apps.isEmpty()) {
            sb.append("<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Created</th>")
                    .append("<th scope=\"col\">Last used</th><th scope=\"col\"><span class=\"hint\">Action</span></th></tr></thead><tbody>");
            for (Security.AppPassword ap : apps) {
                sb.append("<tr><td>").append(Html.esc(ap.name())).append("</td><td>").append(Html.when(ap.created())).append("</td><td>")
                        .append(ap.lastUsed() == null ? "never" : Html.when(ap.lastUsed()) + " · " + Html.esc(ap.lastProtocol()) + " from "
                                + Html.esc(ap.lastIp()) + (ap.lastClient() == null ? "" : " · " + Html.esc(ap.lastClient())))
                        .append("</td><td>").append(Html.form(s, "/security/app-passwords/revoke", "<input type=\"hidden\" name=\"name\" value=\""
                                + Html.esc(ap.name()) + "\"><button type=\"submit\" class=\"link\" aria-label=\"Revoke " + Html.esc(ap.name())
                                + "\">Revoke</button>")).append("</td></tr>");
            }
            sb.append("</tbody></table></div>");
        }
        sb.append(Html.form(s, "/security/app-passwords", "<div class=\"row\">"
                + Html.input("app-name", "Name of the new app password", "text", "", "required maxlength=\"100\" placeholder=\"Thunderbird on my laptop\"")
                + "<p><button type=\"submit\">Create</button></p></div>"));
        List<OAuthGrants.Grant> grants = sec.oauth().grants(a.id());
        sb.append(apps(s, grants));
        sb.append("<h2 id=\"activity\">Recent security activity</h2>").append(activity(sec.events(a.id(), 20)));
        sb.append("<h2 id=\"devices\">Your devices</h2>");
        List<Security.Device> devices = sec.devices(a.id());
        if (devices.isEmpty()) {
            sb.append("<p>No device has signed in yet.</p>");
        } else {
            sb.append("<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Device</th><th scope=\"col\">Signed in with</th>")
                    .append("<th scope=\"col\">First seen</th><th scope=\"col\">Last seen</th><th scope=\"col\"><span class=\"hint\">Action</span></th></tr></thead><tbody>");
            for (Security.Device d : devices) {
                sb.append("<tr><td>").append(Html.esc(d.client().isEmpty() ? "unnamed client" : d.client())).append("</td><td>")
                        .append(Html.esc(credential(d.credential(), apps, grants))).append("</td><td>").append(Html.when(d.firstSeen()))
                        .append("</td><td>").append(Html.when(d.lastSeen())).append(" · ").append(Html.esc(d.lastProtocol()))
                        .append(" from ").append(Html.esc(d.lastIp())).append("</td><td>")
                        .append(Html.form(s, "/security/devices/sign-out", "<input type=\"hidden\" name=\"device\" value=\"" + d.id()
                                + "\"><button type=\"submit\" class=\"link\" aria-label=\"Sign out " + Html.esc(d.client()) + "\">Sign out</button>"))
                        .append("</td></tr>");
            }
            sb.append("</tbody></table></div>");
        }
        sb.append("<h2 id=\"password\">Password</h2><p>Changing it signs out every device that used the old one, this browser too.</p>")
                .append(Html.form(s, "/security/password",
                        Html.input("current-password", "Current password", "password", "", "autocomplete=\"current-password\" required")
                        + Html.input("new-password", "New password (at least 8 characters)", "password", "", "autocomplete=\"new-password\" required minlength=\"8\"")
                        + Html.input("confirm-password", "New password again", "password", "", "autocomplete=\"new-password\" required minlength=\"8\"")
                        + "<p><button type=\"submit\">Change password</button></p>"));
        ctx.html(Html.page("Security", s, Html.Tab.SECURITY, sb.toString()));
    }

    static String activity(List<Security.Event> events) {
        if (events.isEmpty()) {
            return "<p>Nothing yet.</p>";
        }
        StringBuilder sb = new StringBuilder("<div class=\"scroll\"><table><thead><tr><th scope=\"col\">When</th><th scope=\"col\">What</th>")
                .append("<th scope=\"col\">Where</th><th scope=\"col\">Why</th></tr></thead><tbody>");
        for (Security.Event e : events) {
            sb.append("<tr><td>").append(Html.when(e.time())).append("</td><td>")
                    .append(e.success() ? "<span class=\"ok\">signed in</span>" : "<span class=\"bad\">refused</span>")
                    .append(' ').append(Html.esc(e.protocol())).append("</td><td>").append(Html.esc(e.ip() == null ? "" : e.ip()))
                    .append(e.client() == null ? "" : " · " + Html.esc(e.client())).append("</td><td>").append(Html.esc(e.reason()))
                    .append("</td></tr>");
        }
        return sb.append("</tbody></table></div>").toString();
    }

    /** "Apps with access": the mail clients given OAuth access, each with a Revoke button. */
    private static String apps(WebSession s, List<OAuthGrants.Grant> grants) {
        StringBuilder sb = new StringBuilder("<h2 id=\"apps\">Apps with access</h2>");
        if (grants.isEmpty()) {
            return sb.append("<p>No app has access. When a mail client signs in through this site (OAuth), it is listed here.</p>").toString();
        }
        sb.append("<p>These apps signed in through this site and can read and send your mail until you revoke their access.</p>")
                .append("<div class=\"scroll\"><table><thead><tr><th scope=\"col\">App</th><th scope=\"col\">Access given</th>")
                .append("<th scope=\"col\">Last used</th><th scope=\"col\"><span class=\"hint\">Action</span></th></tr></thead><tbody>");
        for (OAuthGrants.Grant g : grants) {
            sb.append("<tr><td>").append(Html.esc(g.clientName())).append("</td><td>").append(Html.when(g.created())).append("</td><td>")
                    .append(Html.when(g.lastUsed())).append("</td><td>")
                    .append(Html.form(s, "/security/apps/revoke", "<input type=\"hidden\" name=\"grant\" value=\"" + g.id()
                            + "\"><button type=\"submit\" class=\"link\" aria-label=\"Revoke access of " + Html.esc(g.clientName())
                            + "\">Revoke</button>"))
                    .append("</td></tr>");
        }
        return sb.append("</tbody></table></div>").toString();
    }

    private static String credential(String c, List<Security.AppPassword> apps, List<OAuthGrants.Grant> grants) {
        if (c.equals(Security.PASSWORD)) {
            return "account password";
        }
        for (OAuthGrants.Grant g : grants) {
            if (c.equals(Security.grant(g.id()))) {
                return "access given to \"" + g.clientName() + "\"";
            }
        }
        for (Security.AppPassword ap : apps) {
            if (c.equals(Security.app(ap.id()))) {
                return "app password \"" + ap.name() + "\"";
            }
        }
        return c.startsWith("oauth:") ? "OAuth token" : c.startsWith("grant:") ? "an app's revoked access"
                : c.startsWith("app:") ? "a revoked app password" : c;
    }

    private void start(Context ctx) {
        WebSession s = web.user(ctx);
        if (s == null) {
            return;
        }
        s.pendingTotpSecret(Totp.newSecret());
        Web.seeOther(ctx, "/security/2sv");
    }

    private void enrolPage(Context ctx) {
        WebSession s = web.user(ctx);
        if (s == null) {
            return;
        }
        String secret = s.pendingTotpSecret();
        if (secret == null) {
            Web.seeOther(ctx, "/security");
            return;
        }
        ctx.html(Html.page("Turn on 2-Step Verification", s, Html.Tab.SECURITY, enrolBody(s, secret, null)));
    }

    private String enrolBody(WebSession s, String secret, String error) {
        String uri = Totp.uri("Postern (" + web.sv.hostname() + ")", s.email(), secret);
        return (error == null ? "" : Html.error(error))
                + "<p>1. Scan this code with an authenticator app (Google Authenticator, Aegis, 1Password, ...).</p>"
                + "<div class=\"qr\">" + QrCode.svg(uri, "QR code of the 2-Step Verification secret") + "</div>"
                + "<p>Cannot scan? Type this key into the app instead:</p><p class=\"secret\" id=\"totp-secret\">" + Html.esc(secret) + "</p>"
                + "<p>2. Enter the 6-digit code the app shows. 2-Step Verification goes on only when the code checks out.</p>"
                + Html.form(s, "/security/2sv/confirm", Html.input("code", "Code from the app", "text", "",
                "inputmode=\"numeric\" autocomplete=\"one-time-code\" required")
                + "<p><button type=\"submit\">Turn on</button> <a href=\"/security\">Cancel</a></p>");
    }

    private void confirm(Context ctx) {
        WebSession s = web.user(ctx);
        if (s == null) {
            return;
        }
        String secret = s.pendingTotpSecret();
        if (secret == null) {
            Web.seeOther(ctx, "/security");
            return;
        }
        String code = String.valueOf(ctx.formParam("code")).replace(" ", "");
        long now = web.sv.clock().millis();
        long step = Totp.matchingStep(secret, code, now);
        if (step < 0) {
            ctx.status(400).html(Html.page("Turn on 2-Step Verification", s, Html.Tab.SECURITY,
                    enrolBody(s, secret, "That code is not right. Check that the phone's clock is right and enter the newest code.")));
            return;
        }
        List<String> codes = Secrets.newBackupCodes();
        // Turning it on ends sessions signed in with the password alone; this browser goes on in a new one.
        web.sv.security().enableTwoStep(s.accountId(), secret, codes.stream().map(Secrets::sha256).toList());
        s = web.sessions.renew(s, ctx);
        web.sv.security().useTotpStep(s.accountId(), step);
        s.pendingTotpSecret(null);
        showCodes(s, "2-Step Verification is on. Keep these backup codes somewhere safe: each signs you in once without your phone.", codes);
        Web.seeOther(ctx, "/security#two-step");
    }

    private static void showCodes(WebSession s, String title, List<String> codes) {
        List<String> lines = new ArrayList<>();
        lines.add(title);
        lines.addAll(codes);
        s.showOnce(lines);
    }

    private void off(Context ctx) {
        WebSession s = web.user(ctx);
        Account a = s == null ? null : web.account(s, ctx);
        if (a == null) {
            return;
        }
        if (!Passwords.verify(String.valueOf(ctx.formParam("off-password")), a.passwordHash())) {
            s.flash("The password was not right; 2-Step Verification is still on.");
        } else {
            web.sv.twoStep().disable(a.id());
            // That signs the account's browsers out; this one goes on in a new session.
            s = web.sessions.renew(s, ctx);
            s.flash("2-Step Verification is off. Mail clients may use the account password again.");
        }
        Web.seeOther(ctx, "/security#two-step");
    }

    private void newBackupCodes(Context ctx) {
        WebSession s = web.user(ctx);
        if (s == null) {
            return;
        }
        var secret = web.sv.security().totpSecret(s.accountId());
        if (secret.isPresent()) {
            List<String> codes = Secrets.newBackupCodes();
            web.sv.security().enableTwoStep(s.accountId(), secret.get(), codes.stream().map(Secrets::sha256).toList());
            s = web.sessions.renew(s, ctx);
            showCodes(s, "Your new backup codes; the old ones no longer work.", codes);
        }
        Web.seeOther(ctx, "/security#two-step");
    }

    private void addAppPassword(Context ctx) {
        WebSession s = web.user(ctx);
        if (s == null) {
            return;
        }
        String name = String.valueOf(ctx.formParam("app-name")).strip();
        if (name.isEmpty() || name.length() > 100) {
            s.flash("Give the app password a name of 1 to 100 characters.");
        } else {
            String password = Secrets.newAppPassword();
            try {
                web.sv.security().addAppPassword(s.accountId(), name, Secrets.sha256(password));
                s.showOnce(List.of("Your app password for \"" + name + "\". Type it into the mail client instead of your password.",
                        Secrets.formatAppPassword(password)));
            } catch (StoreException e) {
                s.flash("There is already an app password named \"" + name + "\".");
            }
        }
        Web.seeOther(ctx, "/security#app-passwords");
    }

    private void revokeAppPassword(Context ctx) {
        String name = String.valueOf(ctx.formParam("name"));
        removal(ctx, "/security#app-passwords", "There is no app password named \"" + name + "\".", s -> {
            web.sv.security().revokeAppPassword(s.accountId(), name);
            return "Revoked \"" + name + "\". Clients that use it are signed out within seconds.";
        });
    }

    private void signOutDevice(Context ctx) {
        removal(ctx, "/security#devices", "There is no such device.", s -> {
            web.sv.security().signOutDevice(s.accountId(), Long.parseLong(String.valueOf(ctx.formParam("device"))));
            return "The device was signed out.";
        });
    }

    private void revokeApp(Context ctx) {
        removal(ctx, "/security#apps", "That app has no access (any more).", s -> {
            long id = Long.parseLong(String.valueOf(ctx.formParam("grant")));
            String name = web.sv.security().oauth().grants(s.accountId()).stream().filter(g -> g.id() == id)
                    .map(OAuthGrants.Grant::clientName).findFirst().orElse("the app");
            web.sv.security().oauth().revokeGrant(s.accountId(), id);
            return "Revoked the access of \"" + name + "\". It is signed out within seconds and must ask again to get back in.";
        });
    }

    /**
     * The shape of the revoke and sign-out buttons: for the signed-in user, {@code action} removes
     * something and says so; a malformed id or a thing that is not there gets {@code failure}.
     * Either way back to the page's section {@code anchor}.
     */
    private void removal(Context ctx, String anchor, String failure, Function<WebSession, String> action) {
        WebSession s = web.user(ctx);
        if (s == null) {
            return;
        }
        try {
            s.flash(action.apply(s));
        } catch (NumberFormatException | StoreException e) {
            s.flash(failure);
        }
        Web.seeOther(ctx, anchor);
    }

    private void changePassword(Context ctx) {
        WebSession s = web.user(ctx);
        Account a = s == null ? null : web.account(s, ctx);
        if (a == null) {
            return;
        }
        String current = String.valueOf(ctx.formParam("current-password"));
        String next = String.valueOf(ctx.formParam("new-password"));
        if (!Passwords.verify(current, a.passwordHash())) {
            s.flash("The current password was not right; nothing changed.");
        } else if (next.length() < 8 || next.length() > Passwords.MAX_LENGTH) {
            s.flash("The new password needs at least 8 characters; nothing changed.");
        } else if (!next.equals(ctx.formParam("confirm-password"))) {
            s.flash("The two new passwords differ; nothing changed.");
        } else {
            web.sv.directory().setPassword(a.email(), Passwords.hash(next));
            web.sv.authenticator().forgetAll();
            web.sessions.end(s, ctx);
            WebSession anonymous = web.sessions.create(ctx);
            anonymous.flash("Your password was changed, and every device that used the old one was signed out. Sign in with the new one.");
            Web.seeOther(ctx, "/signin");
            return;
        }
        Web.seeOther(ctx, "/security#password");
    }
}
