package org.postern.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.postern.auth.Passwords;
import org.postern.store.Directory;
import org.postern.store.Directory.Account;
import org.postern.store.OutboundQueue;
import org.postern.store.StoreException;

/**
 * The administrators' pages: accounts (add, remove, password, switches, quota, aliases),
 * domains (catch-all), the outbound queue (retry, delete), the DNS records to publish, and
 * health (listeners, certificate, disk). The admin flag is read from the store on every request.
 */
final class AdminPages {
    private final Web web;

    private AdminPages(Web web) {
        this.web = web;
    }

    static void register(RoutesConfig r, Web web) {
        AdminPages p = new AdminPages(web);
        r.get("/admin", p::accounts);
        r.post("/admin/accounts/add", p::addAccount);
        r.post("/admin/accounts/update", p::updateAccount);
        r.post("/admin/accounts/remove", p::removeAccount);
        r.post("/admin/accounts/password", p::setPassword);
        r.post("/admin/aliases/add", p::addAlias);
        r.post("/admin/aliases/remove", p::removeAlias);
        r.get("/admin/domains", p::domains);
        r.post("/admin/domains/catch-all", p::catchAll);
        r.post("/admin/domains/access", p::domainAccess);
        r.get("/admin/queue", p::queue);
        r.post("/admin/queue/retry", p::retry);
        r.post("/admin/queue/delete", p::delete);
        r.get("/admin/dns", p::dns);
        r.get("/admin/health", p::health);
    }

    private static String subnav(String active) {
        StringBuilder sb = new StringBuilder("<nav aria-label=\"Admin\"><ul>");
        String[][] items = {{"/admin", "Accounts"}, {"/admin/domains", "Domains"}, {"/admin/queue", "Outbound queue"},
            {"/admin/dns", "DNS records"}, {"/admin/health", "Health"}};
        for (String[] i : items) {
            sb.append("<li><a href=\"").append(i[0]).append('"').append(i[0].equals(active) ? " aria-current=\"page\"" : "").append('>')
                    .append(i[1]).append("</a></li>");
        }
        return sb.append("</ul></nav>").toString();
    }

    private void render(Context ctx, WebSession s, String title, String path, String body) {
        ctx.html(Html.page(title, s, Html.Tab.ADMIN, subnav(path) + body));
    }

    private void accounts(Context ctx) {
        WebSession s = web.admin(ctx);
        if (s == null) {
            return;
        }
        StringBuilder sb = new StringBuilder("<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Account</th><th scope=\"col\">Switches and quota</th>")
                .append("<th scope=\"col\">Used</th><th scope=\"col\">Aliases</th><th scope=\"col\">Password and removal</th></tr></thead><tbody>");
        for (Account a : web.sv.directory().accounts()) {
            String id = "a" + a.id();
            String quota = a.quotaBytes() == 0 ? "" : String.valueOf(a.quotaBytes() / (1 << 20));
            sb.append("<tr><th scope=\"row\">").append(Html.esc(a.email())).append(a.admin() ? " <span class=\"hint\">(admin)</span>" : "")
                    .append("</th><td>").append(Html.form(s, "/admin/accounts/update", "<input type=\"hidden\" name=\"email\" value=\""
                            + Html.esc(a.email()) + "\">" + check(id + "-imap", "imap", "IMAP", a.imapEnabled())
                            + check(id + "-pop", "pop", "POP", a.popEnabled()) + check(id + "-admin", "admin", "Administrator", a.admin())
                            + Html.input(id + "-quota", "Quota in MiB (empty: default)", "number", quota, "min=\"0\" name=\"quota\"")
                                    .replace("name=\"" + id + "-quota\" ", "")
                            + "<p><button type=\"submit\" class=\"secondary\">Save</button></p>"))
                    .append("</td><td>").append(human(web.sv.store().usedBytes(a.id()))).append("</td><td>");
            for (String alias : web.sv.directory().aliases(a.email())) {
                sb.append(Html.form(s, "/admin/aliases/remove", "<code>" + Html.esc(alias) + "</code> <input type=\"hidden\" name=\"alias\" value=\""
                        + Html.esc(alias) + "\"><button type=\"submit\" class=\"link\" aria-label=\"Remove alias " + Html.esc(alias)
                        + "\">Remove</button>"));
            }
            sb.append(Html.form(s, "/admin/aliases/add", "<input type=\"hidden\" name=\"email\" value=\"" + Html.esc(a.email()) + "\">"
                    + Html.input(id + "-alias", "New alias", "email", "", "required").replace("name=\"" + id + "-alias\" ", "name=\"alias\" ")
                    + "<p><button type=\"submit\" class=\"secondary\">Add alias</button></p>"))
                    .append("</td><td>").append(Html.form(s, "/admin/accounts/password", "<input type=\"hidden\" name=\"email\" value=\""
                            + Html.esc(a.email()) + "\">" + Html.input(id + "-password", "New password", "password", "",
                            "autocomplete=\"new-password\" minlength=\"8\" required").replace("name=\"" + id + "-password\" ", "name=\"password\" ")
                            + "<p><button type=\"submit\" class=\"secondary\">Set password</button></p>"))
                    .append(Html.form(s, "/admin/accounts/remove", "<input type=\"hidden\" name=\"email\" value=\"" + Html.esc(a.email()) + "\">"
                            + check(id + "-confirm", "confirm", "Yes, remove it with all its mail", false)
                            + "<p><button type=\"submit\" class=\"danger\">Remove account</button></p>"))
                    .append("</td></tr>");
        }
        sb.append("</tbody></table></div><h2>Add an account</h2>").append(Html.form(s, "/admin/accounts/add",
                Html.input("new-email", "Email address", "email", "", "required")
                        + Html.input("new-password", "Password (at least 8 characters)", "password", "", "autocomplete=\"new-password\" minlength=\"8\" required")
                        + "<p><button type=\"submit\">Add account</button></p>"))
                .append("<p class=\"hint\">Default quota: ").append(web.sv.defaultQuota() == 0 ? "none" : human(web.sv.defaultQuota()))
                .append(". Administrators are made on the command line too: <code>postern account set EMAIL admin=on</code>.</p>");
        render(ctx, s, "Accounts", "/admin", sb.toString());
    }

    private static String check(String id, String name, String label, boolean checked) {
        return "<div class=\"check\"><input type=\"checkbox\" id=\"" + Html.esc(id) + "\" name=\"" + name + "\" value=\"on\""
                + (checked ? " checked" : "") + "><label for=\"" + Html.esc(id) + "\">" + Html.esc(label) + "</label></div>";
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int i = -1;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
    }

    /** Runs an admin action and comes back to {@code path} with what happened. */
    private void act(Context ctx, String path, Action action) {
        WebSession s = web.admin(ctx);
        if (s == null) {
            return;
        }
        try {
            s.flash(action.run());
        } catch (StoreException | IllegalArgumentException e) {
            s.flash("Nothing changed: " + e.getMessage());
        }
        Web.seeOther(ctx, path);
    }

    @FunctionalInterface
    private interface Action {
        String run();
    }

    private void addAccount(Context ctx) {
        act(ctx, "/admin", () -> {
            String email = String.valueOf(ctx.formParam("new-email")).strip();
            String weak = Passwords.weakness(String.valueOf(ctx.formParam("new-password")));
            if (weak != null) {
                throw new IllegalArgumentException(weak);
            }
            web.sv.directory().addAccount(email, Passwords.hash(ctx.formParam("new-password")));
            return "Added " + email + " with INBOX, Sent, Drafts, Trash, Junk and Archive.";
        });
    }

    private void updateAccount(Context ctx) {
        act(ctx, "/admin", () -> {
            String email = String.valueOf(ctx.formParam("email"));
            String q = ctx.formParam("quota");
            long quota = q == null || q.isBlank() ? 0 : Math.multiplyExact(Long.parseLong(q.strip()), 1L << 20);
            boolean imap = "on".equals(ctx.formParam("imap"));
            boolean pop = "on".equals(ctx.formParam("pop"));
            boolean admin = "on".equals(ctx.formParam("admin"));
            Account before = web.sv.directory().account(email).orElseThrow(() -> StoreException.notFound("no such account: " + email));
            Account after = web.sv.directory().update(email, new Directory.Settings(imap, pop, quota, null, null, admin));
            if (before.imapEnabled() && !after.imapEnabled()) {
                web.sv.sessions().terminate(after.id(), org.postern.auth.Authenticator.Protocol.IMAP);
            }
            if (before.popEnabled() && !after.popEnabled()) {
                web.sv.sessions().terminate(after.id(), org.postern.auth.Authenticator.Protocol.POP3);
            }
            return "Saved " + email + ".";
        });
    }

    private void removeAccount(Context ctx) {
        act(ctx, "/admin", () -> {
            String email = String.valueOf(ctx.formParam("email"));
            if (!"on".equals(ctx.formParam("confirm"))) {
                throw new IllegalArgumentException("tick the box to confirm removing " + email);
            }
            web.sv.directory().removeAccount(email);
            return "Removed " + email + " with all its mail.";
        });
    }

    private void setPassword(Context ctx) {
        act(ctx, "/admin", () -> {
            String email = String.valueOf(ctx.formParam("email"));
            String weak = Passwords.weakness(String.valueOf(ctx.formParam("password")));
            if (weak != null) {
                throw new IllegalArgumentException(weak);
            }
            web.sv.directory().setPassword(email, Passwords.hash(ctx.formParam("password")));
            web.sv.authenticator().forgetAll();
            return "Set a new password for " + email + "; its devices that used the old one are signed out.";
        });
    }

    private void addAlias(Context ctx) {
        act(ctx, "/admin", () -> {
            web.sv.directory().addAlias(String.valueOf(ctx.formParam("alias")).strip(), String.valueOf(ctx.formParam("email")));
            return "Added the alias " + ctx.formParam("alias") + ".";
        });
    }

    private void removeAlias(Context ctx) {
        act(ctx, "/admin", () -> {
            web.sv.directory().removeAlias(String.valueOf(ctx.formParam("alias")));
            return "Removed the alias " + ctx.formParam("alias") + ".";
        });
    }

    private void domains(Context ctx) {
        WebSession s = web.admin(ctx);
        if (s == null) {
            return;
        }
        StringBuilder sb = new StringBuilder("<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Domain</th><th scope=\"col\">IMAP and POP</th>")
                .append("<th scope=\"col\">Catch-all</th><th scope=\"col\">DNS</th></tr></thead><tbody>");
        for (Directory.Domain d : web.sv.directory().domains()) {
            String catchAll = d.catchAllAccountId() == null ? "" : web.sv.directory().account(d.catchAllAccountId()).map(Account::email).orElse("");
            String id = "d" + d.id();
            sb.append("<tr><th scope=\"row\">").append(Html.esc(d.name())).append("</th><td>")
                    .append(Html.form(s, "/admin/domains/access", "<input type=\"hidden\" name=\"domain\" value=\"" + Html.esc(d.name()) + "\">"
                            + check(id + "-imap", "imap", "IMAP", d.imapEnabled()) + check(id + "-pop", "pop", "POP", d.popEnabled())
                            + "<p><button type=\"submit\" class=\"secondary\" aria-label=\"Save IMAP and POP of " + Html.esc(d.name())
                            + "\">Save</button></p>"))
                    .append("</td><td>")
                    .append(Html.form(s, "/admin/domains/catch-all", "<input type=\"hidden\" name=\"domain\" value=\"" + Html.esc(d.name()) + "\">"
                            + Html.input(id, "Account for unknown addresses (empty: none)", "email", catchAll, null)
                                    .replace("name=\"" + id + "\" ", "name=\"account\" ")
                            + "<p><button type=\"submit\" class=\"secondary\">Save</button></p>"))
                    .append("</td><td><a href=\"/admin/dns?domain=").append(Html.esc(d.name())).append("\">Records to publish</a></td></tr>");
        }
        sb.append("</tbody></table></div><p class=\"hint\">A domain is added with its first account or alias. IMAP or POP switched off "
                + "for a domain is off for every account of it, whatever the account's own switch says; connected sessions end at once.</p>");
        render(ctx, s, "Domains", "/admin/domains", sb.toString());
    }

    private void catchAll(Context ctx) {
        act(ctx, "/admin/domains", () -> {
            String account = ctx.formParam("account");
            web.sv.directory().setCatchAll(String.valueOf(ctx.formParam("domain")), account == null || account.isBlank() ? null : account.strip());
            return "Saved the catch-all of " + ctx.formParam("domain") + ".";
        });
    }

    /**
     * The domain-wide IMAP and POP switches (kept in the store's domains table). Like an account's
     * own switches they act at once: new sign-ins are refused with DESIGN.md's texts, and switching
     * one off ends the open sessions of that protocol of every account of the domain.
     */
    private void domainAccess(Context ctx) {
        act(ctx, "/admin/domains", () -> {
            String name = String.valueOf(ctx.formParam("domain"));
            Directory.Domain before = web.sv.directory().domain(name).orElseThrow(() -> StoreException.notFound("no such domain: " + name));
            Directory.Domain after = web.sv.directory().setDomainAccess(before.name(), "on".equals(ctx.formParam("imap")),
                    "on".equals(ctx.formParam("pop")));
            int ended = 0;
            for (Account a : web.sv.directory().accounts()) {
                if (!a.email().toLowerCase(Locale.ROOT).endsWith("@" + after.name().toLowerCase(Locale.ROOT))) {
                    continue;
                }
                if (before.imapEnabled() && !after.imapEnabled()) {
                    ended += web.sv.sessions().terminate(a.id(), org.postern.auth.Authenticator.Protocol.IMAP);
                }
                if (before.popEnabled() && !after.popEnabled()) {
                    ended += web.sv.sessions().terminate(a.id(), org.postern.auth.Authenticator.Protocol.POP3);
                }
            }
            return "Saved " + after.name() + ": IMAP " + (after.imapEnabled() ? "on" : "off") + ", POP " + (after.popEnabled() ? "on" : "off")
                    + (ended > 0 ? "; " + ended + " open session(s) were ended." : ".");
        });
    }

    private void queue(Context ctx) {
        WebSession s = web.admin(ctx);
        if (s == null) {
            return;
        }
        List<OutboundQueue.Entry> entries = web.sv.queue().entries();
        StringBuilder sb = new StringBuilder();
        if (entries.isEmpty()) {
            sb.append("<p>The outbound queue is empty.</p>");
        } else {
            sb.append("<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Queued</th><th scope=\"col\">From</th><th scope=\"col\">Recipients</th>")
                    .append("<th scope=\"col\">Size</th><th scope=\"col\">Next attempt</th><th scope=\"col\"><span class=\"hint\">Actions</span></th></tr></thead><tbody>");
            for (OutboundQueue.Entry e : entries) {
                sb.append("<tr><td>").append(Html.when(e.created())).append("</td><td>")
                        .append(Html.esc(e.envelope().mailFrom().isEmpty() ? "<>" : e.envelope().mailFrom())).append("</td><td><ul>");
                for (OutboundQueue.Recipient r : e.recipients()) {
                    sb.append("<li>").append(Html.esc(r.address())).append(" – ").append(r.state().name().toLowerCase(Locale.ROOT))
                            .append(", ").append(r.attempts()).append(" attempts").append(r.lastReply() == null ? "" : ": " + Html.esc(r.lastReply()))
                            .append("</li>");
                }
                String id = "<input type=\"hidden\" name=\"id\" value=\"" + e.id() + "\">";
                sb.append("</ul></td><td>").append(human(e.blob().size())).append("</td><td>").append(Html.when(e.nextAttempt())).append("</td><td>")
                        .append(Html.form(s, "/admin/queue/retry", id + "<button type=\"submit\" class=\"secondary\" aria-label=\"Retry message "
                                + e.id() + " now\">Retry now</button>"))
                        .append(Html.form(s, "/admin/queue/delete", id + "<button type=\"submit\" class=\"danger\" aria-label=\"Delete message "
                                + e.id() + "\">Delete</button>"))
                        .append("</td></tr>");
            }
            sb.append("</tbody></table></div>");
        }
        render(ctx, s, "Outbound queue", "/admin/queue", sb.toString());
    }

    private void retry(Context ctx) {
        act(ctx, "/admin/queue", () -> {
            if (!web.sv.queue().retryNow(Long.parseLong(String.valueOf(ctx.formParam("id"))), web.sv.clock().millis())) {
                return "That message has no recipient waiting.";
            }
            web.sv.queueChanged().run();
            return "The message is due now.";
        });
    }

    private void delete(Context ctx) {
        act(ctx, "/admin/queue", () -> web.sv.queue().delete(Long.parseLong(String.valueOf(ctx.formParam("id"))))
                ? "Deleted the message from the queue; nobody was told." : "That message is not in the queue any more.");
    }

    /** The DNS records of one domain; the DKIM keys come from dkim/ in the data folder. */
    static DnsRecords.Input dnsInput(WebServices sv, String domain) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (var e : sv.configured().entrySet()) {
            String v = e.getValue();
            int colon = v.lastIndexOf(':');
            ports.put(e.getKey(), v.equals("off") || colon < 0 ? -1 : Integer.parseInt(v.substring(colon + 1)));
        }
        return new DnsRecords.Input(domain, sv.hostname(), ports, sv.dkim());
    }

    private void dns(Context ctx) {
        WebSession s = web.admin(ctx);
        if (s == null) {
            return;
        }
        List<Directory.Domain> domains = web.sv.directory().domains();
        String domain = ctx.queryParam("domain") != null ? ctx.queryParam("domain") : domains.isEmpty() ? null : domains.getFirst().name();
        StringBuilder sb = new StringBuilder("<form method=\"get\" action=\"/admin/dns\"><div class=\"row\"><p><label for=\"domain\">Domain</label>")
                .append("<select id=\"domain\" name=\"domain\">");
        for (Directory.Domain d : domains) {
            sb.append("<option").append(d.name().equalsIgnoreCase(String.valueOf(domain)) ? " selected" : "").append('>')
                    .append(Html.esc(d.name())).append("</option>");
        }
        sb.append("</select></p><p><button type=\"submit\" class=\"secondary\">Show</button></p></div></form>");
        if (domain != null && web.sv.directory().domain(domain).isPresent()) {
            DnsRecords.Input in = dnsInput(web.sv, domain);
            DnsRecords.Result r = DnsRecords.of(in);
            if (!r.dkimConfigured()) {
                sb.append("<div class=\"notice\"><pre>").append(Html.esc(String.join("\n", DnsRecords.dkimMissing(in)))).append("</pre></div>");
            }
            for (String p : r.problems()) {
                sb.append(Html.error(p));
            }
            sb.append("<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Type</th><th scope=\"col\">Value</th>")
                    .append("<th scope=\"col\">Why</th></tr></thead><tbody>");
            for (DnsRecords.Record rec : r.records()) {
                sb.append("<tr><td><code>").append(Html.esc(rec.name())).append("</code></td><td>").append(rec.type()).append("</td><td><code>")
                        .append(Html.esc(rec.value())).append("</code></td><td>").append(Html.esc(rec.note())).append("</td></tr>");
            }
            sb.append("</tbody></table></div><p class=\"hint\">The same, as a zone file: <code>postern dns show ").append(Html.esc(domain))
                    .append("</code></p>");
        }
        render(ctx, s, "DNS records", "/admin/dns", sb.toString());
    }

    private void health(Context ctx) {
        WebSession s = web.admin(ctx);
        if (s == null) {
            return;
        }
        StringBuilder sb = new StringBuilder("<h2>Listeners</h2><table><thead><tr><th scope=\"col\">Listener</th><th scope=\"col\">Configured</th>")
                .append("<th scope=\"col\">Listening on</th></tr></thead><tbody>");
        var bound = web.sv.listening().get();
        for (var e : web.sv.configured().entrySet()) {
            var a = bound.get(e.getKey());
            sb.append("<tr><td>").append(e.getKey()).append("</td><td><code>").append(Html.esc(e.getValue())).append("</code></td><td>")
                    .append(a == null ? "<span class=\"warn\">not listening</span>" : "<span class=\"ok\">" + Html.esc(a.getHostString()) + ":" + a.getPort() + "</span>")
                    .append("</td></tr>");
        }
        var leaf = web.sv.tls().material().leaf();
        long days = (leaf.getNotAfter().getTime() - web.sv.clock().millis()) / 86_400_000L;
        sb.append("</tbody></table><h2>Certificate</h2><p>").append(Html.esc(leaf.getSubjectX500Principal().getName())).append(", valid until ")
                .append(Html.when(leaf.getNotAfter().getTime())).append(" <span class=\"").append(days < 14 ? "bad" : "ok").append("\">(")
                .append(days).append(" days)</span>; ").append(Doctor.matchesHost(leaf, web.sv.hostname()) ? "names " : "<span class=\"bad\">does not name</span> ")
                .append(Html.esc(web.sv.hostname())).append(". Files: <code>").append(Html.esc(web.sv.tls().chainFile())).append("</code>.</p>");
        try {
            FileStore fs = Files.getFileStore(web.sv.dataDir());
            long free = fs.getUsableSpace();
            long total = fs.getTotalSpace();
            sb.append("<h2>Disk</h2><p>").append(human(free)).append(" free of ").append(human(total)).append(" where the data folder is (")
                    .append(total == 0 ? 0 : free * 100 / total).append("% free).</p>");
        } catch (IOException e) {
            sb.append("<h2>Disk</h2>").append(Html.error("Cannot read the disk of the data folder: " + e.getMessage()));
        }
        sb.append("<h2>Monitoring</h2><p><a href=\"/healthz\">/healthz</a> for uptime checks, <a href=\"/metrics\">/metrics</a> for Prometheus.</p>");
        render(ctx, s, "Health", "/admin/health", sb.toString());
    }
}
