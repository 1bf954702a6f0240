package org.postern.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.postern.store.Addresses;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * Client autoconfiguration from the email address alone: Thunderbird's autoconfig
 * ({@code /.well-known/autoconfig/mail/config-v1.1.xml}, and {@code /mail/config-v1.1.xml} on the
 * {@code autoconfig.DOMAIN} host), Outlook's POX Autodiscover ({@code /autodiscover/autodiscover.xml},
 * POST and GET), an Apple configuration profile (unsigned), the MTA-STS policy, and the
 * "Set up a mail client" page. Only the local domains are answered; whether an account exists
 * is never told.
 */
final class AutoconfigRoutes {
    private final Web web;

    private AutoconfigRoutes(Web web) {
        this.web = web;
    }

    static void register(RoutesConfig r, Web web) {
        AutoconfigRoutes p = new AutoconfigRoutes(web);
        r.get("/.well-known/autoconfig/mail/config-v1.1.xml", p::thunderbird);
        r.get("/mail/config-v1.1.xml", p::thunderbird);
        r.post("/autodiscover/autodiscover.xml", p::autodiscover);
        r.get("/autodiscover/autodiscover.xml", p::autodiscover);
        r.post("/Autodiscover/Autodiscover.xml", p::autodiscover);
        r.get("/Autodiscover/Autodiscover.xml", p::autodiscover);
        r.get("/setup", p::setupPage);
        r.get("/setup/apple.mobileconfig", p::mobileconfig);
        r.get("/.well-known/mta-sts.txt", ctx -> ctx.contentType("text/plain; charset=utf-8")
                .result(DnsRecords.mtaStsPolicy(web.sv.hostname(), false)));
    }

    /** The local domain a request is about: from the address asked for, else from an autoconfig./autodiscover. host. */
    private Optional<String> domain(String email, Context ctx) {
        String d = null;
        if (email != null && !email.isBlank()) {
            d = Addresses.parse(email.strip()).map(Addresses.Address::domain).orElse(null);
        } else {
            String host = web.requestHost(ctx).toLowerCase(Locale.ROOT);
            for (String prefix : new String[] {"autoconfig.", "autodiscover.", "mta-sts."}) {
                if (host.startsWith(prefix)) {
                    d = host.substring(prefix.length());
                }
            }
        }
        return d == null ? Optional.empty() : web.sv.directory().domain(d).map(x -> x.name());
    }

    private void thunderbird(Context ctx) {
        Optional<String> domain = domain(ctx.queryParam("emailaddress"), ctx);
        if (domain.isEmpty()) {
            ctx.status(HttpStatus.NOT_FOUND).contentType("text/plain").result("no mail domain here for that address\n");
            return;
        }
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<clientConfig version=\"1.1\">\n")
                .append("  <emailProvider id=\"").append(Html.esc(domain.get())).append("\">\n")
                .append("    <domain>").append(Html.esc(domain.get())).append("</domain>\n")
                .append("    <displayName>").append(Html.esc(domain.get())).append(" mail (Postern)</displayName>\n")
                .append("    <displayShortName>").append(Html.esc(domain.get())).append("</displayShortName>\n");
        for (ClientSettings.Endpoint e : ClientSettings.endpoints(web.sv)) {
            String tag = e.kind() == ClientSettings.Kind.SMTP ? "outgoingServer" : "incomingServer";
            x.append("    <").append(tag).append(" type=\"").append(e.kind().name().toLowerCase(Locale.ROOT)).append("\">\n")
                    .append("      <hostname>").append(Html.esc(e.host())).append("</hostname>\n")
                    .append("      <port>").append(e.port()).append("</port>\n")
                    .append("      <socketType>").append(e.implicitTls() ? "SSL" : "STARTTLS").append("</socketType>\n")
                    .append("      <authentication>password-cleartext</authentication>\n")
                    .append("      <authentication>OAuth2</authentication>\n")
                    .append("      <username>%EMAILADDRESS%</username>\n")
                    .append("    </").append(tag).append(">\n");
        }
        // Thunderbird's ISPDB format: where to sign in for OAuth2 (the issuer is a host name there, as accounts.google.com).
        String base = OAuthEndpoints.issuer(web);
        x.append("    <oAuth2>\n")
                .append("      <issuer>").append(Html.esc(web.sv.hostname())).append("</issuer>\n")
                .append("      <scope>").append(OAuthEndpoints.SCOPE).append("</scope>\n")
                .append("      <authURL>").append(Html.esc(base)).append("/oauth/authorize</authURL>\n")
                .append("      <tokenURL>").append(Html.esc(base)).append("/oauth/token</tokenURL>\n")
                .append("    </oAuth2>\n");
        x.append("    <documentation url=\"").append(Html.esc(web.httpsBase(web.sv.hostname()))).append("/setup\">\n")
                .append("      <descr lang=\"en\">Client settings, app passwords and the connection doctor</descr>\n")
                .append("    </documentation>\n  </emailProvider>\n</clientConfig>\n");
        ctx.contentType("application/xml; charset=utf-8").result(x.toString());
    }

    private void autodiscover(Context ctx) {
        String email = ctx.queryParam("email");
        if (email == null) {
            email = ctx.queryParam("emailaddress");
        }
        if (ctx.method().name().equals("POST")) {
            email = requestedAddress(ctx.bodyAsBytes());
        }
        Optional<String> domain = email == null ? Optional.empty() : domain(email, ctx);
        ctx.contentType("application/xml; charset=utf-8");
        if (domain.isEmpty()) {
            ctx.status(HttpStatus.NOT_FOUND).result(
                    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Autodiscover xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006\">\n"
                    + "  <Response>\n    <Error Time=\"00:00:00\" Id=\"0\">\n      <ErrorCode>600</ErrorCode>\n"
                    + "      <Message>Invalid Request</Message>\n      <DebugData />\n    </Error>\n  </Response>\n</Autodiscover>\n");
            return;
        }
        String user = email.strip();
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")
                .append("<Autodiscover xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006\">\n")
                .append("  <Response xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a\">\n")
                .append("    <User><DisplayName>").append(Html.esc(user)).append("</DisplayName></User>\n")
                .append("    <Account>\n      <AccountType>email</AccountType>\n      <Action>settings</Action>\n");
        for (ClientSettings.Kind kind : new ClientSettings.Kind[] {ClientSettings.Kind.IMAP, ClientSettings.Kind.POP3, ClientSettings.Kind.SMTP}) {
            Optional<ClientSettings.Endpoint> e = ClientSettings.preferred(web.sv, kind);
            if (e.isEmpty()) {
                continue;
            }
            x.append("      <Protocol>\n        <Type>").append(kind == ClientSettings.Kind.POP3 ? "POP3" : kind.name()).append("</Type>\n")
                    .append("        <Server>").append(Html.esc(e.get().host())).append("</Server>\n")
                    .append("        <Port>").append(e.get().port()).append("</Port>\n")
                    .append("        <DomainRequired>off</DomainRequired>\n")
                    .append("        <LoginName>").append(Html.esc(user)).append("</LoginName>\n")
                    .append("        <SPA>off</SPA>\n")
                    .append(e.get().implicitTls() ? "        <SSL>on</SSL>\n" : "        <Encryption>TLS</Encryption>\n")
                    .append("        <AuthRequired>on</AuthRequired>\n");
            if (kind == ClientSettings.Kind.SMTP) {
                x.append("        <UsePOPAuth>on</UsePOPAuth>\n        <SMTPLast>off</SMTPLast>\n");
            }
            x.append("      </Protocol>\n");
        }
        x.append("    </Account>\n  </Response>\n</Autodiscover>\n");
        ctx.result(x.toString());
    }

    /** The EMailAddress of an Outlook POX request; null when the body is not one. No DTDs, no entities (XXE). */
    static String requestedAddress(byte[] body) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setNamespaceAware(true);
            javax.xml.parsers.DocumentBuilder builder = f.newDocumentBuilder();
            builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler()); // throws on fatal errors, prints nothing
            Document doc = builder.parse(new ByteArrayInputStream(body));
            NodeList n = doc.getElementsByTagNameNS("*", "EMailAddress");
            return n.getLength() == 0 ? null : n.item(0).getTextContent().strip();
        } catch (Exception e) {
            return null;
        }
    }

    private void setupPage(Context ctx) {
        WebSession s = web.user(ctx);
        if (s == null) {
            return;
        }
        String body = "<p>Most mail clients set themselves up from your email address: Thunderbird reads "
                + "<code>autoconfig." + Html.esc(domainOf(s.email())) + "</code>, Outlook asks Autodiscover, and "
                + "the rest use the DNS records your administrator published. Type your full email address and, "
                + "when 2-Step Verification is on, an <a href=\"/security#app-passwords\">app password</a>.</p>"
                + "<h2>iPhone, iPad and Mac</h2><p><a href=\"/setup/apple.mobileconfig\" download>Download the configuration profile</a> "
                + "and open it; the device asks for the password when you install it. The profile is not signed, so the device "
                + "shows it as unverified.</p><h2>Any other client</h2>" + ClientSettings.table(web.sv, s.email());
        ctx.html(Html.page("Set up a mail client", s, Html.Tab.SETUP, body));
    }

    private static String domainOf(String email) {
        return Addresses.parse(email).map(Addresses.Address::domain).orElse("");
    }

    /** An unsigned Apple configuration profile with one IMAP account (com.apple.mail.managed). */
    private void mobileconfig(Context ctx) {
        WebSession s = web.user(ctx);
        if (s == null) {
            return;
        }
        Optional<ClientSettings.Endpoint> in = ClientSettings.preferred(web.sv, ClientSettings.Kind.IMAP);
        Optional<ClientSettings.Endpoint> out = ClientSettings.preferred(web.sv, ClientSettings.Kind.SMTP);
        if (in.isEmpty() || out.isEmpty()) {
            ctx.status(HttpStatus.SERVICE_UNAVAILABLE).html(Html.page("No profile", s, Html.Tab.SETUP,
                    "<p>This server runs no IMAP or no SMTP submission listener, so there is nothing to set up.</p>"));
            return;
        }
        ctx.contentType("application/x-apple-aspen-config")
                .header("Content-Disposition", "attachment; filename=\"postern-mail.mobileconfig\"")
                .result(appleProfile(web.sv.hostname(), s.email(), in.get(), out.get()).getBytes(StandardCharsets.UTF_8));
    }

    static String appleProfile(String hostname, String email, ClientSettings.Endpoint in, ClientSettings.Endpoint out) {
        String e = Html.esc(email);
        String id = "org.postern." + hostname + "." + email.replaceAll("[^A-Za-z0-9.-]", "-");
        java.util.UUID payload = java.util.UUID.nameUUIDFromBytes((id + ".mail").getBytes(StandardCharsets.UTF_8));
        java.util.UUID profile = java.util.UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8));
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
                + "<plist version=\"1.0\">\n<dict>\n"
                + "  <key>PayloadContent</key>\n  <array>\n    <dict>\n"
                + kv("EmailAccountDescription", e) + kv("EmailAccountName", e) + kv("EmailAccountType", "EmailTypeIMAP")
                + kv("EmailAddress", e)
                + kv("IncomingMailServerAuthentication", "EmailAuthPassword") + kv("IncomingMailServerHostName", Html.esc(in.host()))
                + "      <key>IncomingMailServerPortNumber</key><integer>" + in.port() + "</integer>\n"
                + "      <key>IncomingMailServerUseSSL</key>" + (in.implicitTls() ? "<true/>" : "<false/>") + "\n"
                + kv("IncomingMailServerUsername", e)
                + kv("OutgoingMailServerAuthentication", "EmailAuthPassword") + kv("OutgoingMailServerHostName", Html.esc(out.host()))
                + "      <key>OutgoingMailServerPortNumber</key><integer>" + out.port() + "</integer>\n"
                + "      <key>OutgoingMailServerUseSSL</key>" + (out.implicitTls() ? "<true/>" : "<false/>") + "\n"
                + kv("OutgoingMailServerUsername", e)
                + "      <key>OutgoingPasswordSameAsIncomingPassword</key><true/>\n"
                + kv("PayloadDescription", "Configures the mail account " + e)
                + kv("PayloadDisplayName", "Mail: " + e) + kv("PayloadIdentifier", Html.esc(id) + ".mail")
                + kv("PayloadType", "com.apple.mail.managed") + kv("PayloadUUID", payload.toString().toUpperCase(Locale.ROOT))
                + "      <key>PayloadVersion</key><integer>1</integer>\n"
                + "    </dict>\n  </array>\n"
                + "  <key>PayloadDescription</key><string>Mail settings for " + e + " on " + Html.esc(hostname) + "</string>\n"
                + "  <key>PayloadDisplayName</key><string>" + e + "</string>\n"
                + "  <key>PayloadIdentifier</key><string>" + Html.esc(id) + "</string>\n"
                + "  <key>PayloadOrganization</key><string>" + Html.esc(hostname) + "</string>\n"
                + "  <key>PayloadRemovalDisallowed</key><false/>\n"
                + "  <key>PayloadType</key><string>Configuration</string>\n"
                + "  <key>PayloadUUID</key><string>" + profile.toString().toUpperCase(Locale.ROOT) + "</string>\n"
                + "  <key>PayloadVersion</key><integer>1</integer>\n"
                + "</dict>\n</plist>\n";
    }

    private static String kv(String key, String escapedValue) {
        return "      <key>" + key + "</key><string>" + escapedValue + "</string>\n";
    }
}
