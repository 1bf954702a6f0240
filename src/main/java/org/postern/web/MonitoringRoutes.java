package org.postern.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.InetAddress;
import org.postern.store.Directory.Account;

/**
 * Monitoring: {@code /healthz} for load balancers and uptime checks (the store answers, the
 * certificate is valid, the mail listeners run), and {@code /metrics} in Prometheus' text format
 * for administrators and for scrapers on this machine (loopback).
 */
final class MonitoringRoutes {
    private MonitoringRoutes() {}

    static void register(RoutesConfig r, Web web) {
        r.get("/healthz", ctx -> health(web, ctx));
        r.get("/metrics", ctx -> metrics(web, ctx));
    }

    private static void health(Web web, Context ctx) {
        StringBuilder sb = new StringBuilder();
        boolean ok = true;
        try {
            web.sv.directory().domains();
            sb.append("store: ok\n");
        } catch (RuntimeException e) {
            ok = false;
            sb.append("store: unavailable\n");
        }
        long left = web.sv.tls().material().leaf().getNotAfter().getTime() - web.sv.clock().millis();
        if (left <= 0) {
            ok = false;
        }
        sb.append("certificate: ").append(left > 0 ? "valid for " + left / 86_400_000L + " days" : "EXPIRED").append('\n');
        var listening = web.sv.listening().get();
        sb.append("listeners: ").append(String.join(" ", listening.keySet())).append('\n');
        ctx.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).contentType("text/plain; charset=utf-8")
                .header("Cache-Control", "no-store").result((ok ? "ok\n" : "unhealthy\n") + sb);
    }

    private static void metrics(Web web, Context ctx) {
        boolean allowed = loopback(ctx.req().getRemoteAddr()) || web.sessions.find(ctx).filter(WebSession::signedIn)
                .flatMap(s -> web.sv.directory().account(s.accountId())).map(Account::admin).orElse(false);
        if (!allowed) {
            ctx.status(HttpStatus.FORBIDDEN).contentType("text/plain").result("metrics are for administrators and this machine\n");
            return;
        }
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(web.metrics.scrape());
    }

    static boolean loopback(String ip) {
        try {
            return ip != null && InetAddress.ofLiteral(ip).isLoopbackAddress();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
