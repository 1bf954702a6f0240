package org.postern.web;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web listeners: HTTPS with the mail ports' certificate (the same {@link org.postern.net.TlsContext},
 * so a renewed certificate is served without a restart) and plain HTTP, which only redirects to
 * HTTPS — except client autoconfiguration and {@code /healthz}, which clients and monitors fetch
 * over HTTP. Requests run on virtual threads (Javalin on Jetty 12).
 *
 * <p>Checked here for every request before any page runs: the HTTP redirect, security headers,
 * and for every POST the CSRF token of the session and the Origin header.
 */
public final class WebServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebServer.class);
    private static final long MAX_REQUEST = 1 << 20;

    private final Javalin app;
    private final Map<String, ServerConnector> connectors;

    private WebServer(Javalin app, Map<String, ServerConnector> connectors) {
        this.app = app;
        this.connectors = connectors;
    }

    /**
     * Starts the web listeners; {@code http} or {@code https} null leaves that one off.
     *
     * @throws IOException when a port cannot be bound
     */
    public static WebServer start(WebServices sv, InetSocketAddress http, InetSocketAddress https) throws IOException {
        Map<String, ServerConnector> connectors = new LinkedHashMap<>();
        Web web = new Web(sv, () -> port(connectors.get("https")));
        Javalin app = Javalin.create(cfg -> configure(cfg, web, sv, http, https, connectors));
        try {
            app.start();
        } catch (RuntimeException e) {
            app.stop();
            throw new IOException("cannot start the web listeners: " + e.getMessage(), e);
        }
        connectors.forEach((name, c) -> log.info("[{}] listening on {}:{}", name, c.getHost() == null ? "*" : c.getHost(), c.getLocalPort()));
        return new WebServer(app, connectors);
    }

    private static int port(ServerConnector c) {
        return c == null ? -1 : c.getLocalPort();
    }

    private static void configure(JavalinConfig cfg, Web web, WebServices sv, InetSocketAddress http, InetSocketAddress https,
                                  Map<String, ServerConnector> connectors) {
        cfg.startup.showJavalinBanner = false;
        cfg.startup.showOldJavalinVersionWarning = false;
        cfg.concurrency.useVirtualThreads = true;
        cfg.http.maxRequestSize = MAX_REQUEST;
        cfg.jetty.modifyHttpConfiguration(h -> {
            h.setSendServerVersion(false);
            h.setSendXPoweredBy(false);
        });
        if (http != null) {
            cfg.jetty.addConnector((server, hc) -> connector(server, connectors, "http", http,
                    new HttpConnectionFactory(hc)));
        }
        if (https != null) {
            cfg.jetty.addConnector((server, hc) -> {
                SslContextFactory.Server ssl = new SslContextFactory.Server();
                ssl.setSslContext(sv.tls().sslContext());
                HttpConfiguration secure = new HttpConfiguration(hc);
                SecureRequestCustomizer src = new SecureRequestCustomizer();
                src.setSniHostCheck(false); // the certificate names the host; clients by IP send no SNI
                src.setStsMaxAge(365L * 24 * 3600);
                secure.addCustomizer(src);
                return connector(server, connectors, "https", https,
                        new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(secure));
            });
        }
        var r = cfg.routes;
        r.before(web::before);
        r.after(web.metrics::count);
        r.get("/static/postern.css", WebServer::css);
        SignInPages.register(r, web);
        SettingsPage.register(r, web);
        SecurityPage.register(r, web);
        AutoconfigRoutes.register(r, web);
        OAuthClients oauthClients = new OAuthClients(sv.security().oauth());
        OAuthEndpoints.register(r, web, oauthClients);
        OAuthPages.register(r, web, oauthClients);
        DoctorPage.register(r, web);
        AdminPages.register(r, web);
        MonitoringRoutes.register(r, web);
        HelpPages.register(r, web);
        r.error(404, ctx -> {
            // Our own 404s (autoconfig, Autodiscover) keep their body; Javalin's plain text for an unknown path does not.
            String result = ctx.result();
            if (result == null || result.isEmpty() || result.startsWith("Endpoint ") && result.endsWith(" not found")) {
                ctx.html(Html.page("Page not found", web.sessions.find(ctx).orElse(null), null,
                        "<p>There is no page at this address. <a href=\"/\">Go to the start page</a>.</p>"));
            }
        });
        r.exception(Exception.class, (e, ctx) -> {
            log.warn("[https] {} {} failed", ctx.method(), ctx.path(), e);
            ctx.status(500).html(Html.page("Something went wrong", null, null,
                    "<p>The server could not finish this request. Please try again in a moment.</p>"));
        });
    }

    private static Connector connector(Server server, Map<String, ServerConnector> connectors, String name, InetSocketAddress a,
                                       org.eclipse.jetty.server.ConnectionFactory... factories) {
        ServerConnector c = new ServerConnector(server, factories);
        String host = a.getHostString();
        c.setHost(host == null || host.equals("0.0.0.0") || host.equals("*") ? null : host);
        c.setPort(a.getPort());
        c.setName(name);
        c.setIdleTimeout(30_000);
        connectors.put(name, c);
        return c;
    }

    private static void css(Context ctx) throws IOException {
        try (InputStream in = WebServer.class.getResourceAsStream("postern.css")) {
            ctx.contentType("text/css; charset=utf-8").header("Cache-Control", "max-age=3600").result(in.readAllBytes());
        }
    }

    /** Where each web listener listens: {@code http}, {@code https}. */
    public Map<String, InetSocketAddress> bound() {
        Map<String, InetSocketAddress> m = new LinkedHashMap<>();
        connectors.forEach((n, c) -> m.put(n, new InetSocketAddress(c.getHost() == null ? "0.0.0.0" : c.getHost(), c.getLocalPort())));
        return m;
    }

    @Override
    public void close() {
        app.stop();
    }

    /** Paths served over plain HTTP as well: what mail clients fetch before they trust anything. */
    static boolean plainHttpAllowed(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        return p.equals("/.well-known/autoconfig/mail/config-v1.1.xml") || p.equals("/mail/config-v1.1.xml")
                || p.equals("/autodiscover/autodiscover.xml") || p.equals("/healthz");
    }

    /** Constant-time comparison of two tokens. */
    static boolean sameToken(String a, String b) {
        return a != null && b != null && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** The host of an Origin header, or null when it cannot be read. */
    static String originHost(String origin) {
        try {
            URI u = URI.create(origin);
            return u.getHost() == null ? null : u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static void refuse(Context ctx, HttpStatus status, String title, String text) {
        ctx.status(status).html(Html.page(title, null, null, "<p>" + Html.esc(text) + "</p><p><a href=\"/\">Start again</a></p>"));
        ctx.skipRemainingHandlers();
    }
}
