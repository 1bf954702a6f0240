package org.postern.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Locale;
import org.postern.auth.Authenticator;
import org.postern.store.Directory;
import org.postern.store.Directory.Account;
import org.postern.store.Forwarding;
import org.postern.store.ImapOptions;
import org.postern.store.PopSettings;
import org.postern.store.PopSettings.AfterDownload;
import org.postern.store.StoreException;

/**
 * Gmail's settings tab "Forwarding and POP/IMAP": forwarding, POP download, IMAP access, and the
 * client settings. "Save Changes" writes everything at once; IMAP and POP sessions read the
 * options when they act, and switching IMAP or POP off ends that protocol's open sessions.
 */
final class SettingsPage {
    private final Web web;

    private SettingsPage(Web web) {
        this.web = web;
    }

    static void register(RoutesConfig r, Web web) {
        SettingsPage p = new SettingsPage(web);
        r.get("/settings", p::show);
        r.post("/settings", p::save);
        ForwardingRoutes.register(r, web);
    }

    private void show(Context ctx) {
        WebSession s = web.user(ctx);
        Account a = s == null ? null : web.account(s, ctx);
        if (a == null) {
            return;
        }
        ctx.html(Html.page("Forwarding and POP/IMAP", s, Html.Tab.SETTINGS, body(s, a)));
    }

    private String body(WebSession s, Account a) {
        Directory d = web.sv.directory();
        PopSettings pop = d.popSettings(a.id());
        ImapOptions imap = d.imapOptions(a.id());
        Forwarding fw = d.forwarding(a.id());
        StringBuilder sb = new StringBuilder();
        sb.append("<h2 id=\"forwarding\">Forwarding</h2>").append(ForwardingRoutes.addresses(s, fw));
        // The one form with every choice; the forwarding address forms above stand on their own.
        StringBuilder f = new StringBuilder();
        f.append("<fieldset><legend>Forwarding</legend>")
                .append(Html.radio("forward", "off", !fw.on(), "Disable forwarding"));
        boolean anyConfirmed = fw.addresses().stream().anyMatch(Forwarding.Address::isConfirmed);
        if (anyConfirmed) {
            f.append(Html.radio("forward", "on", fw.on(), "Forward a copy of incoming mail to the address below"))
                    .append("<p><label for=\"forward-to\">Forward to</label><select id=\"forward-to\" name=\"forward-to\">");
            for (Forwarding.Address x : fw.addresses()) {
                if (x.isConfirmed()) {
                    f.append("<option value=\"").append(Html.esc(x.address())).append('"')
                            .append(x.address().equalsIgnoreCase(String.valueOf(fw.to())) ? " selected" : "")
                            .append('>').append(Html.esc(x.address())).append("</option>");
                }
            }
            f.append("</select></p>").append(select("forward-keep", "and then Postern's copy is", fw.keep(),
                    "kept in the Inbox", "marked as read", "archived", "deleted (moved to Trash)"));
        } else {
            f.append("<p class=\"hint\">Add a forwarding address above and follow the link mailed to it; then you can turn forwarding on here.</p>");
        }
        f.append("</fieldset>");
        f.append("<h2 id=\"pop\">POP download</h2><fieldset><legend>1. Status</legend>")
                .append(Html.radio("pop", "all", a.popEnabled() && !pop.newMailOnly(), "Enable POP for all mail (that POP has not downloaded yet)"))
                .append(Html.radio("pop", "new", a.popEnabled() && pop.newMailOnly(), "Enable POP for mail that arrives from now on"))
                .append(Html.radio("pop", "off", !a.popEnabled(), "Disable POP"))
                .append("</fieldset><fieldset><legend>2. When messages are accessed with POP</legend>")
                .append(select("pop-after", "Postern's copy is", pop.after(), "kept in the Inbox", "marked as read",
                        "archived", "deleted (moved to Trash)"))
                .append("</fieldset>");
        f.append("<h2 id=\"imap\">IMAP access</h2><fieldset><legend>Status</legend>")
                .append(Html.radio("imap", "on", a.imapEnabled(), "Enable IMAP"))
                .append(Html.radio("imap", "off", !a.imapEnabled(), "Disable IMAP"))
                .append("</fieldset><fieldset><legend>When I mark a message in IMAP as deleted</legend>")
                .append(Html.radio("auto-expunge", "on", imap.autoExpunge(), "Auto-Expunge on: immediately update the server"))
                .append(Html.radio("auto-expunge", "off", !imap.autoExpunge(), "Auto-Expunge off: wait for the client to update the server"))
                .append("</fieldset><fieldset><legend>When a message is marked as deleted and expunged from the last visible IMAP folder</legend>")
                .append(Html.radio("expunge", "archive", imap.onExpunge() == ImapOptions.ExpungeAction.ARCHIVE, "Archive the message"))
                .append(Html.radio("expunge", "trash", imap.onExpunge() == ImapOptions.ExpungeAction.TRASH, "Move the message to the Trash"))
                .append(Html.radio("expunge", "delete", imap.onExpunge() == ImapOptions.ExpungeAction.DELETE, "Immediately delete the message forever"))
                .append("</fieldset><fieldset><legend>Folder size limits</legend>")
                .append(Html.radio("limit", "none", imap.folderSizeLimit() == 0, "Do not limit the number of messages in an IMAP folder"))
                .append(Html.radio("limit", "on", imap.folderSizeLimit() > 0, "Limit IMAP folders to contain no more than this many messages"))
                .append("<p><label for=\"limit-count\">Most messages per folder</label><select id=\"limit-count\" name=\"limit-count\">");
        for (int n : ImapOptions.OFFERED_LIMITS) {
            f.append("<option value=\"").append(n).append('"').append(imap.folderSizeLimit() == n ? " selected" : "").append('>')
                    .append(n).append("</option>");
        }
        f.append("</select></p></fieldset><p><button type=\"submit\">Save Changes</button> <a href=\"/settings\">Cancel</a></p>");
        sb.append(Html.form(s, "/settings", f.toString()));
        sb.append("<h2 id=\"clients\">Configure your email client</h2>").append(ClientSettings.table(web.sv, a.email()))
                .append("<p><a href=\"/setup\">Set up a phone or computer automatically</a> · ")
                .append("<a href=\"/doctor\">A client cannot connect?</a></p>");
        return sb.toString();
    }

    /** A select of the four things that can happen to Postern's copy. */
    static String select(String name, String label, AfterDownload current, String... words) {
        StringBuilder sb = new StringBuilder("<p><label for=\"").append(name).append("\">").append(Html.esc(label))
                .append("</label><select id=\"").append(name).append("\" name=\"").append(name).append("\">");
        AfterDownload[] values = AfterDownload.values();
        for (int i = 0; i < values.length; i++) {
            sb.append("<option value=\"").append(values[i].word()).append('"').append(values[i] == current ? " selected" : "")
                    .append('>').append(Html.esc(words[i])).append("</option>");
        }
        return sb.append("</select></p>").toString();
    }

    private void save(Context ctx) {
        WebSession s = web.user(ctx);
        Account a = s == null ? null : web.account(s, ctx);
        if (a == null) {
            return;
        }
        Directory d = web.sv.directory();
        try {
            // Everything is read and checked first, so a bad value saves nothing at all.
            String imapWord = ctx.formParam("imap");
            String popWord = ctx.formParam("pop");
            Boolean imap = imapWord == null ? null : switch (imapWord) {
                case "on" -> true;
                case "off" -> false;
                default -> throw bad("imap");
            };
            Boolean pop = popWord == null ? null : switch (popWord) {
                case "all", "new" -> true;
                case "off" -> false;
                default -> throw bad("pop");
            };
            Long popSince = null;
            if ("all".equals(popWord)) {
                popSince = 0L;
            } else if ("new".equals(popWord) && !d.popSettings(a.id()).newMailOnly()) {
                popSince = web.sv.clock().millis();
            }
            AfterDownload popAfter = choice(ctx, "pop-after");
            ImapOptions old = d.imapOptions(a.id());
            ImapOptions.ExpungeAction expunge = ctx.formParam("expunge") == null ? old.onExpunge()
                    : ImapOptions.ExpungeAction.fromWord(ctx.formParam("expunge")).orElseThrow(() -> bad("expunge"));
            String limitWord = ctx.formParam("limit");
            int limit = limitWord == null ? old.folderSizeLimit() : switch (limitWord) {
                case "on" -> limitCount(ctx.formParam("limit-count"));
                case "none" -> 0;
                default -> throw bad("limit");
            };
            String autoWord = ctx.formParam("auto-expunge");
            boolean autoExpunge = autoWord == null ? old.autoExpunge() : switch (autoWord) {
                case "on" -> true;
                case "off" -> false;
                default -> throw bad("auto-expunge");
            };
            Forwarding fw = d.forwarding(a.id());
            String forwardWord = ctx.formParam("forward");
            String forwardTo = null;
            if ("on".equals(forwardWord)) {
                String asked = String.valueOf(ctx.formParam("forward-to"));
                forwardTo = fw.addresses().stream().filter(x -> x.isConfirmed() && x.address().equalsIgnoreCase(asked.strip()))
                        .map(Forwarding.Address::address).findFirst().orElseThrow(() -> new IllegalArgumentException(asked
                                + " is not a confirmed forwarding address; add it and follow the link mailed to it first"));
            } else if (forwardWord != null && !forwardWord.equals("off")) {
                throw bad("forward");
            }
            AfterDownload keep = choice(ctx, "forward-keep");
            if (forwardWord != null) {
                d.setForwarding(a.id(), forwardTo, keep == null ? fw.keep() : keep);
            }
            Account updated = d.update(a.email(), new Directory.Settings(imap, pop, null, popSince, popAfter, null));
            d.setImapOptions(a.id(), new ImapOptions(autoExpunge, expunge, limit));
            // Open sessions of a protocol just switched off end now, as Gmail's do.
            if (a.imapEnabled() && !updated.imapEnabled()) {
                web.sv.sessions().terminate(a.id(), Authenticator.Protocol.IMAP);
            }
            if (a.popEnabled() && !updated.popEnabled()) {
                web.sv.sessions().terminate(a.id(), Authenticator.Protocol.POP3);
            }
            s.flash("Your preferences have been saved.");
            Web.seeOther(ctx, "/settings");
        } catch (IllegalArgumentException | StoreException e) {
            ctx.status(HttpStatus.BAD_REQUEST).html(Html.page("Forwarding and POP/IMAP", s, Html.Tab.SETTINGS,
                    Html.error("Nothing was saved: " + e.getMessage()) + body(s, a)));
        }
    }

    private static AfterDownload choice(Context ctx, String name) {
        String v = ctx.formParam(name);
        return v == null ? null : AfterDownload.fromWord(v).orElseThrow(() -> bad(name));
    }

    private static int limitCount(String v) {
        try {
            int n = Integer.parseInt(v == null ? "" : v.strip());
            if (n > 0 && n <= 1_000_000) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw bad("limit-count");
    }

    private static IllegalArgumentException bad(String field) {
        return new IllegalArgumentException("the value of '" + field.toLowerCase(Locale.ROOT) + "' is not one of the choices");
    }
}
