package org.postern.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.postern.auth.Secrets;
import org.postern.delivery.LocalDelivery;
import org.postern.store.Addresses;
import org.postern.store.BlobStore;
import org.postern.store.Directory.Account;
import org.postern.store.Forwarding;
import org.postern.store.OutboundQueue;
import org.postern.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwarding addresses: adding one mails a confirmation link to it (through local delivery
 * when the address is local, else through the outbound queue); following the link allows the
 * account to forward there. Only a confirmed address can be chosen on the settings page.
 */
final class ForwardingRoutes {
    private static final Logger log = LoggerFactory.getLogger(ForwardingRoutes.class);
    static final Duration LINK_LIFE = Duration.ofDays(7);

    private final Web web;

    private ForwardingRoutes(Web web) {
        this.web = web;
    }

    static void register(RoutesConfig r, Web web) {
        ForwardingRoutes p = new ForwardingRoutes(web);
        r.post("/settings/forwarding/add", p::add);
        r.post("/settings/forwarding/remove", p::remove);
        r.get("/forwarding/confirm", p::confirmForm);
        r.post("/forwarding/confirm", p::confirm);
    }

    /** The list of addresses with their state and a Remove button each, and the form to add one. */
    static String addresses(WebSession s, Forwarding fw) {
        StringBuilder sb = new StringBuilder();
        if (!fw.addresses().isEmpty()) {
            sb.append("<ul>");
            for (Forwarding.Address a : fw.addresses()) {
                sb.append("<li><code>").append(Html.esc(a.address())).append("</code> ")
                        .append(a.isConfirmed() ? "<span class=\"ok\">confirmed</span>"
                                : "<span class=\"warn\">waiting for the link mailed to it</span>")
                        .append(Html.form(s, "/settings/forwarding/remove", "<input type=\"hidden\" name=\"address\" value=\""
                                + Html.esc(a.address()) + "\"><button type=\"submit\" class=\"link\" aria-label=\"Remove "
                                + Html.esc(a.address()) + "\">Remove</button>").replace("<form ", "<form class=\"inline\" "))
                        .append("</li>");
            }
            sb.append("</ul>");
        }
        sb.append(Html.form(s, "/settings/forwarding/add", "<div class=\"row\">"
                + Html.input("forward-address", "Add a forwarding address", "email", "", "required autocomplete=\"email\"")
                + "<p><button type=\"submit\" class=\"secondary\">Add</button></p></div>"
                + "<p class=\"hint\">A link is mailed to that address; forwarding to it can be turned on once the link was followed.</p>"));
        return sb.toString();
    }

    private void add(Context ctx) {
        WebSession s = web.user(ctx);
        Account a = s == null ? null : web.account(s, ctx);
        if (a == null) {
            return;
        }
        String address = ctx.formParam("forward-address");
        Optional<Addresses.Address> parsed = Addresses.parse(address == null ? "" : address.strip());
        if (parsed.isEmpty()) {
            s.flash("That is not an email address: " + address);
            Web.seeOther(ctx, "/settings#forwarding");
            return;
        }
        String token = WebSessions.randomToken();
        try {
            web.sv.directory().requestForwarding(a.id(), parsed.get().toString(), Secrets.sha256(token));
            send(a, parsed.get().toString(), web.httpsBase(web.sv.hostname()) + "/forwarding/confirm?token=" + token);
            s.flash("A confirmation link was sent to " + parsed.get() + ". Forwarding can be turned on once it was followed.");
        } catch (StoreException e) {
            s.flash("Could not add " + parsed.get() + ": " + e.getMessage());
        } catch (IOException e) {
            log.warn("cannot send the forwarding confirmation of {} to {}: {}", a.email(), parsed.get(), e.getMessage());
            s.flash("The confirmation mail to " + parsed.get() + " could not be sent; please try again.");
        }
        Web.seeOther(ctx, "/settings#forwarding");
    }

    /** The confirmation mail: delivered here when the address is local, else queued for its server. */
    private void send(Account account, String to, String link) throws IOException {
        String host = web.sv.hostname();
        String domain = Addresses.parse(account.email()).map(Addresses.Address::domain).orElse(host);
        String message = "From: Postern <noreply@" + domain + ">\r\n"
                + "To: <" + to + ">\r\n"
                + "Subject: Confirm forwarding from " + account.email() + "\r\n"
                + "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(web.sv.clock())) + "\r\n"
                + "Message-ID: <forwarding." + WebSessions.randomToken().substring(0, 16) + "@" + host + ">\r\n"
                + "Auto-Submitted: auto-generated\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "\r\n"
                + account.email() + " has asked to forward its mail to this address (" + to + ").\r\n"
                + "\r\n"
                + "To allow it, open this link within 7 days:\r\n"
                + "\r\n"
                + link + "\r\n"
                + "\r\n"
                + "If you did not expect this, ignore this message: nothing is forwarded without it.\r\n";
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        if (web.sv.directory().resolve(to).isPresent()) {
            web.sv.delivery().deliver(new ByteArrayInputStream(bytes), List.of(to), LocalDelivery.Folder.INBOX);
            return;
        }
        BlobStore.Blob blob = web.sv.store().blobs().put(new ByteArrayInputStream(bytes), bytes.length + 1L);
        web.sv.queue().enqueue(blob, new OutboundQueue.Envelope(account.email(), List.of(to), OutboundQueue.Body.SEVEN_BIT,
                false, account.id()), web.sv.clock().millis());
        web.sv.queueChanged().run();
    }

    private void remove(Context ctx) {
        WebSession s = web.user(ctx);
        if (s == null) {
            return;
        }
        String address = ctx.formParam("address");
        try {
            web.sv.directory().removeForwardingAddress(s.accountId(), address == null ? "" : address);
            s.flash("Removed " + address + "; nothing is forwarded to it any more.");
        } catch (StoreException e) {
            s.flash(e.getMessage());
        }
        Web.seeOther(ctx, "/settings#forwarding");
    }

    private void confirmForm(Context ctx) {
        WebSession s = web.sessions.findOrCreate(ctx);
        String token = ctx.queryParam("token");
        ctx.html(Html.page("Confirm forwarding", s, null, "<p>Someone with an account on " + Html.esc(web.sv.hostname())
                + " asked to forward mail to your address. Allow it?</p>"
                + Html.form(s, "/forwarding/confirm", "<input type=\"hidden\" name=\"token\" value=\"" + Html.esc(token) + "\">"
                + "<p><button type=\"submit\">Confirm forwarding</button></p>")
                + "<p class=\"hint\">If you did not expect this, close this page: nothing is forwarded without your confirmation.</p>"));
    }

    private void confirm(Context ctx) {
        WebSession s = web.sessions.findOrCreate(ctx);
        String token = ctx.formParam("token");
        Optional<Forwarding.Confirmed> done = token == null || token.length() > 100 ? Optional.empty()
                : web.sv.directory().confirmForwarding(Secrets.sha256(token), LINK_LIFE.toMillis());
        if (done.isEmpty()) {
            ctx.status(HttpStatus.NOT_FOUND).html(Html.page("Link not valid", s, null,
                    "<p>This confirmation link is unknown, was used already or is older than 7 days. "
                            + "Ask for a new one on the settings page.</p>"));
            return;
        }
        String who = web.sv.directory().account(done.get().accountId()).map(Account::email).orElse("the account");
        ctx.html(Html.page("Forwarding confirmed", s, null, "<p>" + Html.esc(who) + " may now forward mail to "
                + Html.esc(done.get().address()) + ". It starts once forwarding is turned on in its settings.</p>"));
    }
}
