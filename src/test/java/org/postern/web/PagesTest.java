package org.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postern.server.ListenerName;
import org.postern.store.Directory;
import org.postern.testing.TestServer;

/** Every page: the common layout, accessibility basics, the doctor page, and monitoring. */
@Timeout(60)
class PagesTest {
    static final String ADMIN = "root@example.org";
    static final List<String> PAGES = List.of("/settings", "/security", "/doctor", "/setup", "/admin", "/admin/domains",
            "/admin/queue", "/admin/dns", "/admin/health", "/help", "/help/app-passwords", "/help/login");

    @TempDir
    Path dir;

    TestServer server;
    WebClient web;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.startWithWeb(dir, Map.of(), ADMIN);
        server.services().directory().update(ADMIN, new Directory.Settings(null, null, null, null, null, true));
        web = new WebClient("https://127.0.0.1:" + server.address(ListenerName.HTTPS).getPort());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void everyPageIsAccessibleAndReadableOnAPhone() throws Exception {
        String signIn = web.get("/signin").body();
        check("/signin", signIn);
        web.signIn(ADMIN, TestServer.PASSWORD);
        for (String path : PAGES) {
            HttpResponse<String> r = web.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElseThrow()).as(path).startsWith("text/html");
            check(path, r.body());
        }
        web.post("/security/2sv/start", Map.of());
        check("/security/2sv", web.get("/security/2sv").body());
        HttpResponse<String> missing = web.get("/no/such/page");
        assertThat(missing.statusCode()).isEqualTo(404);
        check("404", missing.body());
    }

    /** lang, viewport, one h1, a main landmark, a skip link, every visible control labelled, every form's POST with its token. */
    static void check(String path, String html) {
        assertThat(html).as(path).startsWith("<!DOCTYPE html>").contains("<html lang=\"en\">")
                .contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .contains("<main id=\"main\"").contains("<a class=\"skip\" href=\"#main\">")
                .contains("<link rel=\"stylesheet\" href=\"/static/postern.css\">")
                .doesNotContain("<script").doesNotContain("style=\"");
        assertThat(Pattern.compile("<h1>").matcher(html).results().count()).as(path + ": one h1").isEqualTo(1);
        Set<String> labelled = Pattern.compile("<label for=\"([^\"]+)\"").matcher(html).results().map(m -> m.group(1)).collect(Collectors.toSet());
        Matcher controls = Pattern.compile("<(input|select|textarea)\\b([^>]*)>").matcher(html);
        while (controls.find()) {
            String attrs = controls.group(2);
            if (attrs.contains("type=\"hidden\"")) {
                continue;
            }
            Matcher id = Pattern.compile("\\bid=\"([^\"]+)\"").matcher(attrs);
            assertThat(id.find()).as(path + ": a control without id: " + controls.group()).isTrue();
            assertThat(labelled).as(path + ": no label for " + controls.group()).contains(id.group(1));
        }
        Matcher ids = Pattern.compile("\\bid=\"([^\"]+)\"").matcher(html);
        List<String> all = ids.results().map(m -> m.group(1)).toList();
        assertThat(all).as(path + ": ids are unique").doesNotHaveDuplicates();
        Matcher forms = Pattern.compile("<form method=\"post\"[^>]*>(.{0,200})").matcher(html);
        while (forms.find()) {
            assertThat(forms.group(1)).as(path + ": POST form without its CSRF token").startsWith("<input type=\"hidden\" name=\"csrf\" value=\"");
        }
        Matcher buttons = Pattern.compile("<button\\b[^>]*>([^<]*)</button>").matcher(html);
        while (buttons.find()) {
            assertThat(buttons.group(1).strip()).as(path + ": a button without text").isNotEmpty();
        }
    }

    @Test
    void theDoctorPageExplainsTheSignedInAccountAndAdminsMayAskForAnother() throws Exception {
        web.signIn(ADMIN, TestServer.PASSWORD);
        server.services().directory().update(ADMIN, new Directory.Settings(false, false, null));
        server.services().authenticator().authenticate(ADMIN, TestServer.PASSWORD, org.postern.auth.Authenticator.Protocol.IMAP,
                new org.postern.auth.Authenticator.Client("192.0.2.9", "Outlook"));
        String page = web.get("/doctor").body();
        assertThat(page).contains("Why a mail client cannot connect to " + ADMIN)
                .contains("<span class=\"warn\">Note:</span> IMAP is switched off for this account.")
                .contains("<span class=\"bad\">Problem:</span> Refused ").contains("(Outlook): IMAP is switched off for this account.")
                .contains("Listening: imaps (port " + server.imapsPort() + ")")
                .containsPattern("<p class=\"notice\" id=\"advice\">Turn on IMAP on the Forwarding and POP/IMAP page[^<]*</p>");
        String other = web.get("/doctor?email=nobody@example.org").body();
        assertThat(other).contains("There is no account nobody@example.org on this server.");
    }

    @Test
    void healthAndMetricsForMonitoring() throws Exception {
        web.get("/signin");
        web.post("/signin", Map.of("email", ADMIN, "password", "wrong", "next", "/"));
        web.signIn(ADMIN, TestServer.PASSWORD);
        HttpClient plain = HttpClient.newHttpClient();
        String http = "http://127.0.0.1:" + server.address(ListenerName.HTTP).getPort();
        HttpResponse<String> health = plain.send(HttpRequest.newBuilder(URI.create(http + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).startsWith("ok\n").contains("store: ok\n").containsPattern("certificate: valid for \\d+ days\n")
                .contains("imaps").contains("submission");
        assertThat(health.headers().firstValue("Cache-Control")).hasValue("no-store");

        // Metrics over HTTPS only (plain HTTP redirects), for this machine without a sign-in.
        assertThat(plain.send(HttpRequest.newBuilder(URI.create(http + "/metrics")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(301);
        web.forgetCookie();
        HttpResponse<String> metrics = web.get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain; version=0.0.4");
        assertThat(metrics.body())
                .containsPattern("(?m)^postern_web_signins_total\\{result=\"success\"} 1\\.0$")
                .containsPattern("(?m)^postern_web_signins_total\\{result=\"refused\"} 1\\.0$")
                .containsPattern("(?m)^postern_accounts 1\\.0$")
                .containsPattern("(?m)^postern_sessions\\{protocol=\"web\"} 1\\.0$")
                .containsPattern("(?m)^postern_sessions\\{protocol=\"imap\"} 0\\.0$")
                .containsPattern("(?m)^postern_queue_pending_recipients 0\\.0$")
                .containsPattern("(?m)^postern_tls_certificate_expiry_seconds \\d")
                .containsPattern("(?m)^postern_disk_free_bytes \\d")
                .containsPattern("(?m)^postern_web_requests_total\\{method=\"GET\",status=\"2xx\"} \\d")
                .contains("jvm_memory_used_bytes");
        assertThat(MonitoringRoutes.loopback("127.0.0.1")).isTrue();
        assertThat(MonitoringRoutes.loopback("::1")).isTrue();
        assertThat(MonitoringRoutes.loopback("192.0.2.1")).isFalse();
        assertThat(MonitoringRoutes.loopback("not an address")).isFalse();
    }
}
