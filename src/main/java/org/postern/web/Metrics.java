package org.postern.web;

import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import org.postern.auth.Authenticator;
import org.postern.store.OutboundQueue;

/**
 * Prometheus metrics (Micrometer): web requests and sign-ins, signed-in sessions per protocol,
 * web sessions, the outbound queue, accounts, the certificate's remaining life, free disk space,
 * and the JVM. One registry per
 * web server, so two servers in one test do not share counts.
 */
final class Metrics {
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter signInOk;
    private final Counter signInRefused;

    @SuppressWarnings("resource")
    Metrics(WebServices sv, WebSessions sessions) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        signInOk = Counter.builder("postern.web.signins").tag("result", "success").description("web sign-ins").register(registry);
        signInRefused = Counter.builder("postern.web.signins").tag("result", "refused").description("web sign-ins").register(registry);
        Gauge.builder("postern.web.sessions", sessions, WebSessions::size).description("web sessions kept").register(registry);
        for (Authenticator.Protocol p : Authenticator.Protocol.values()) {
            Gauge.builder("postern.sessions", sv.sessions(), x -> x.count(p)).tag("protocol", p.name().toLowerCase(java.util.Locale.ROOT))
                    .description("signed-in sessions (IMAP, POP3, SMTP, web)").register(registry);
        }
        Gauge.builder("postern.accounts", sv, s -> s.directory().accounts().size()).description("accounts").register(registry);
        Gauge.builder("postern.queue.pending.recipients", sv, s -> s.queue().entries().stream()
                .flatMap(e -> e.recipients().stream()).filter(r -> r.state() == OutboundQueue.State.PENDING).count())
                .description("recipients waiting in the outbound queue").register(registry);
        Gauge.builder("postern.tls.certificate.expiry.seconds", sv, s -> (s.tls().material().leaf().getNotAfter().getTime()
                - s.clock().millis()) / 1000.0).description("seconds until the certificate expires").register(registry);
        Gauge.builder("postern.disk.free.bytes", sv, s -> {
            try {
                return Files.getFileStore(s.dataDir()).getUsableSpace();
            } catch (IOException e) {
                return Double.NaN;
            }
        }).description("free space where the data folder is").register(registry);
    }

    void signIn(boolean ok) {
        (ok ? signInOk : signInRefused).increment();
    }

    /** Counts every answered request by method and status class (no paths: they would explode the series). */
    void count(Context ctx) {
        int status = ctx.status().getCode();
        registry.counter("postern.web.requests", "method", ctx.method().name(), "status", (status / 100) + "xx").increment();
    }

    String scrape() {
        return registry.scrape();
    }
}
