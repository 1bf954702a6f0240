package org.postern.web;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.postern.auth.Throttle;
import org.postern.store.Addresses;
import org.postern.store.Directory;
import org.postern.store.Directory.Account;
import org.postern.store.PopSettings;
import org.postern.store.Security;

/**
 * The connection doctor: why can a mail client not connect? It looks at the account, its
 * IMAP/POP switches, 2-Step Verification and app passwords, the refusals in its security
 * activity since its last successful mail sign-in, the certificate and the listeners, and ends
 * with one sentence saying what to change. Used by the doctor page and {@code postern doctor}.
 */
public final class Doctor {
    public enum Level { OK, WARN, PROBLEM }

    public record Finding(Level level, String text) {}

    /** The findings and the one sentence of advice. */
    public record Report(String email, List<Finding> findings, String advice) {
        public String text() {
            StringBuilder sb = new StringBuilder("Connection doctor for " + email + "\n");
            for (Finding f : findings) {
                sb.append(switch (f.level()) {
                    case OK -> "  ok       ";
                    case WARN -> "  warning  ";
                    case PROBLEM -> "  PROBLEM  ";
                }).append(f.text()).append('\n');
            }
            return sb.append("\nWhat to change: ").append(advice).append('\n').toString();
        }
    }

    /**
     * What the doctor knows of the server.
     *
     * @param listeners each mail listener's word and whether it listens now
     * @param addresses each mail listener's word and where it is configured to listen
     */
    public record Server(String hostname, X509Certificate certificate, boolean requireAppPasswords, int connectionsPerAccount,
                         Map<String, Boolean> listeners, Map<String, String> addresses) {}

    /** The refusal cases of account security (DESIGN.md, Error texts), as the activity words them. */
    enum Refusal { WRONG_PASSWORD, APP_PASSWORD_REQUIRED, IMAP_OFF, IMAP_OFF_FOR_DOMAIN, POP_OFF, THROTTLED, TOO_MANY_CONNECTIONS,
        POP_IN_USE, OAUTH_TOKEN, WEB_CODE, OTHER }

    static final Duration LOOK_BACK = Duration.ofDays(7);

    private Doctor() {}

    static Refusal classify(String reason) {
        String r = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
        if (r.startsWith("wrong password")) {
            return Refusal.WRONG_PASSWORD;
        } else if (r.contains("2-step verification is on") || r.contains("accepts only app passwords")) {
            return Refusal.APP_PASSWORD_REQUIRED;
        } else if (r.contains("imap is switched off for the whole domain")) {
            return Refusal.IMAP_OFF_FOR_DOMAIN;
        } else if (r.contains("imap is switched off")) {
            return Refusal.IMAP_OFF;
        } else if (r.contains("pop is switched off")) {
            return Refusal.POP_OFF;
        } else if (r.contains("too many failed sign-in attempts")) {
            return Refusal.THROTTLED;
        } else if (r.contains("too many simultaneous connections")) {
            return Refusal.TOO_MANY_CONNECTIONS;
        } else if (r.contains("another pop session")) {
            return Refusal.POP_IN_USE;
        } else if (r.contains("oauth token")) {
            return Refusal.OAUTH_TOKEN;
        } else if (r.contains("2-step verification code")) {
            return Refusal.WEB_CODE;
        }
        return Refusal.OTHER;
    }

    public static Report diagnose(Directory directory, Security security, Server server, String email, long now) {
        List<Finding> f = new ArrayList<>();
        Optional<Account> found = Addresses.parse(email == null ? "" : email.strip()).isPresent()
                ? directory.account(email.strip()) : Optional.empty();
        String serverAdvice = serverChecks(server, f, now);
        if (found.isEmpty()) {
            f.addFirst(new Finding(Level.PROBLEM, "There is no account " + email + " on this server."));
            return new Report(email, f, "Check the email address in the mail client: there is no account " + email
                    + " here, and the user name must be the full address.");
        }
        Account a = found.get();
        List<Finding> account = new ArrayList<>();
        account.add(new Finding(Level.OK, "The account " + a.email() + " exists; its user name is the full address."));
        String domain = Addresses.parse(a.email()).map(Addresses.Address::domain).orElse("");
        Optional<Directory.Domain> d = directory.domain(domain);
        boolean imapDomain = d.map(Directory.Domain::imapEnabled).orElse(true);
        boolean popDomain = d.map(Directory.Domain::popEnabled).orElse(true);
        account.add(a.imapEnabled() && imapDomain ? new Finding(Level.OK, "IMAP is on.")
                : new Finding(Level.WARN, a.imapEnabled() ? "IMAP is switched off for the whole domain " + domain + "." : "IMAP is switched off for this account."));
        PopSettings pop = directory.popSettings(a.id());
        account.add(a.popEnabled() && popDomain
                ? new Finding(Level.OK, "POP is on (" + (pop.newMailOnly() ? "for mail that arrives from now on" : "for all mail") + ").")
                : new Finding(Level.WARN, "POP is switched off" + (a.popEnabled() ? " for the whole domain." : " for this account.")));
        boolean twoStep = security.totpSecret(a.id()).isPresent();
        boolean appOnly = twoStep || server.requireAppPasswords();
        List<Security.AppPassword> apps = security.appPasswords(a.id());
        if (appOnly) {
            account.add(new Finding(apps.isEmpty() ? Level.PROBLEM : Level.OK, (twoStep ? "2-Step Verification is on"
                    : "This server accepts only app passwords from mail clients") + ", so mail clients need an app password; the account has "
                    + (apps.isEmpty() ? "none." : apps.size() + " (" + String.join(", ", apps.stream().map(x -> "\"" + x.name() + "\" last used "
                    + Html.when(x.lastUsed())).toList()) + ").")));
        } else {
            account.add(new Finding(Level.OK, "2-Step Verification is off: mail clients may use the account password"
                    + (apps.isEmpty() ? "." : " or one of the " + apps.size() + " app passwords.")));
        }
        List<Security.Event> refusals = unresolvedRefusals(security.events(a.id(), 200), now);
        if (refusals.isEmpty()) {
            account.add(new Finding(Level.OK, "No mail client was refused since the last successful sign-in (last 7 days)."));
        }
        for (Security.Event e : refusals.subList(0, Math.min(5, refusals.size()))) {
            account.add(new Finding(Level.PROBLEM, "Refused " + Html.when(e.time()) + ", " + e.protocol()
                    + (e.ip() == null ? "" : " from " + e.ip()) + (e.client() == null ? "" : " (" + e.client() + ")") + ": " + e.reason() + "."));
        }
        f.addAll(0, account);
        String advice = refusals.isEmpty() ? null : adviceFor(refusals.getFirst(), a, imapDomain, popDomain, appOnly, apps, server, now);
        if (advice == null && !a.imapEnabled() && !(a.popEnabled() && popDomain)) {
            advice = "Turn on IMAP on the Forwarding and POP/IMAP page (Enable IMAP, then Save Changes): both IMAP and POP are off.";
        }
        if (advice == null && appOnly && apps.isEmpty()) {
            advice = "Create an app password on the Security page and type it into the mail client instead of the account password.";
        }
        if (advice == null) {
            advice = serverAdvice;
        }
        if (advice == null) {
            advice = "Nothing here stops a mail client: set it up with the server " + server.hostname() + ", the full address as user name and "
                    + (appOnly ? "an app password." : "the account password (or an app password).");
        }
        return new Report(a.email(), f, advice);
    }

    /** Refusals of mail clients newer than the newest successful mail sign-in, within {@link #LOOK_BACK}, newest first. */
    static List<Security.Event> unresolvedRefusals(List<Security.Event> newestFirst, long now) {
        List<Security.Event> out = new ArrayList<>();
        for (Security.Event e : newestFirst) {
            if (now - e.time() > LOOK_BACK.toMillis()) {
                break;
            }
            if (e.protocol().equals("WEB")) {
                continue;
            }
            if (e.success()) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    private static String adviceFor(Security.Event e, Account a, boolean imapDomain, boolean popDomain, boolean appOnly,
                                    List<Security.AppPassword> apps, Server server, long now) {
        String when = " (" + e.protocol() + ", " + Html.when(e.time()) + ")";
        return switch (classify(e.reason())) {
            case WRONG_PASSWORD -> "Type the password into the mail client again: the last attempt" + when + " used a wrong password"
                    + (appOnly ? "; it must be an app password" + (apps.isEmpty() ? ", and there is none yet: create one on the Security page." : ".") : ".");
            case APP_PASSWORD_REQUIRED -> "Create an app password on the Security page and type it into the mail client instead of the account password"
                    + when + ".";
            case IMAP_OFF -> a.imapEnabled() ? "IMAP was off at the last attempt" + when + " and is on now: let the mail client try again."
                    : "Turn on IMAP on the Forwarding and POP/IMAP page (Enable IMAP, then Save Changes): the client was refused" + when + ".";
            case IMAP_OFF_FOR_DOMAIN -> imapDomain ? "IMAP was off for the domain at the last attempt" + when + " and is on now: let the client try again."
                    : "Ask the administrator to switch IMAP on for the domain: it is off for every account of it" + when + ".";
            case POP_OFF -> a.popEnabled() && popDomain ? "POP was off at the last attempt" + when + " and is on now: let the client try again."
                    : "Turn on POP on the Forwarding and POP/IMAP page, or set the client up with IMAP instead" + when + ".";
            case THROTTLED -> "Wait " + Throttle.inWords(Duration.ofMinutes(15)) + " at most before trying again: there were too many failed sign-ins"
                    + (e.ip() == null ? "" : " from " + e.ip()) + when + "; then check that no old device keeps trying an old password.";
            case TOO_MANY_CONNECTIONS -> "Close mail clients you no longer use, or sign out old devices on the Security page: the account reached its "
                    + server.connectionsPerAccount() + " simultaneous IMAP and POP connections" + when + ".";
            case POP_IN_USE -> "Let only one device download with POP at a time (or use IMAP on the others): another POP session was still open" + when + ".";
            case OAUTH_TOKEN -> "Sign the mail client in again: its OAuth token was revoked, has expired or is unknown" + when + ".";
            case WEB_CODE, OTHER -> "Look at the last refusal" + when + ": " + e.reason() + ".";
        };
    }

    /** Certificate and listeners; returns advice when something there stops clients. */
    private static String serverChecks(Server s, List<Finding> f, long now) {
        String advice = null;
        X509Certificate c = s.certificate();
        if (c.getNotAfter().getTime() < now) {
            f.add(new Finding(Level.PROBLEM, "The certificate expired on " + Html.when(c.getNotAfter().getTime()) + "."));
            advice = "Renew the server's certificate (tls.certificate): it has expired, and clients refuse it.";
        } else if (c.getNotBefore().getTime() > now) {
            f.add(new Finding(Level.PROBLEM, "The certificate is valid only from " + Html.when(c.getNotBefore().getTime()) + "."));
            advice = "Check the server's clock and certificate: the certificate is not valid yet.";
        } else {
            long days = (c.getNotAfter().getTime() - now) / 86_400_000L;
            f.add(new Finding(days < 14 ? Level.WARN : Level.OK, "The certificate is valid until " + Html.when(c.getNotAfter().getTime())
                    + " (" + days + " days)."));
        }
        if (!matchesHost(c, s.hostname())) {
            f.add(new Finding(Level.PROBLEM, "The certificate does not name " + s.hostname() + "; clients connecting to that name will refuse it."));
            advice = advice == null ? "Get a certificate for " + s.hostname() + " (or set hostname to a name the certificate has)." : advice;
        } else {
            f.add(new Finding(Level.OK, "The certificate names " + s.hostname() + "."));
        }
        if (c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
            f.add(new Finding(Level.WARN, "The certificate is self-signed: mail clients ask to accept it once (a certificate from "
                    + "Let's Encrypt avoids that)."));
        }
        List<String> up = new ArrayList<>();
        List<String> down = new ArrayList<>();
        for (var e : s.listeners().entrySet()) {
            String where = e.getKey() + " (" + s.addresses().getOrDefault(e.getKey(), "?") + ")";
            (e.getValue() ? up : down).add(where);
        }
        if (!up.isEmpty()) {
            f.add(new Finding(Level.OK, "Listening: " + String.join(", ", up) + "."));
        }
        if (!down.isEmpty()) {
            f.add(new Finding(Level.WARN, "Not listening: " + String.join(", ", down) + "."));
        }
        boolean imap = s.listeners().getOrDefault("imaps", false) || s.listeners().getOrDefault("imap", false);
        boolean smtp = s.listeners().getOrDefault("submissions", false) || s.listeners().getOrDefault("submission", false);
        if (!imap && advice == null) {
            advice = "Start an IMAP listener (listen.imaps in postern.conf): no IMAP port is listening.";
        } else if (!smtp && advice == null) {
            advice = "Start a submission listener (listen.submissions or listen.submission in postern.conf): clients cannot send mail.";
        }
        return advice;
    }

    static boolean matchesHost(X509Certificate c, String host) {
        Collection<List<?>> names;
        try {
            names = c.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return false;
        }
        if (names == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        for (List<?> n : names) {
            if (n.size() >= 2 && Integer.valueOf(2).equals(n.get(0))) {
                String name = String.valueOf(n.get(1)).toLowerCase(Locale.ROOT);
                if (name.equals(h) || name.startsWith("*.") && h.endsWith(name.substring(1)) && h.indexOf('.') == h.length() - name.length() + 1) {
                    return true;
                }
            }
        }
        return false;
    }
}
