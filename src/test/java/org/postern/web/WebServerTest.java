package org.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.server.ListenerName;
import org.postern.testing.TestServer;

/** HTTPS with the mail certificate, the HTTP redirect, cookies, CSRF and sign-in. */
class WebServerTest {
    static final String ALICE = "alice@example.org";

    @TempDir
    Path dir;

    TestServer server;
    WebClient web;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.startWithWeb(dir, Map.of(), ALICE);
        web = new WebClient("https://127.0.0.1:" + server.address(ListenerName.HTTPS).getPort());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void signInSetsASecureHttpOnlySameSiteCookieAndANewSessionId() throws Exception {
        HttpResponse<String> form = web.get("/signin");
        assertThat(form.statusCode()).isEqualTo(200);
        String anonymous = web.cookie();
        assertThat(form.headers().firstValue("Set-Cookie").orElseThrow())
                .startsWith("__Host-postern=").contains("; Secure").contains("; HttpOnly").contains("; SameSite=Strict").contains("; Path=/");
        HttpResponse<String> r = web.post("/signin", Map.of("email", ALICE, "password", TestServer.PASSWORD, "next", "/settings"));
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).hasValue("/settings");
        assertThat(web.cookie()).isNotEqualTo(anonymous);
        assertThat(r.headers().firstValue("Set-Cookie").orElseThrow()).contains("; Secure").contains("; HttpOnly").contains("; SameSite=Strict");
        assertThat(web.open("/settings").body()).contains("Forwarding and POP/IMAP").contains("Save Changes");
    }

    @Test
    void aWrongPasswordIsRefusedAndRecordedInTheSecurityActivity() throws Exception {
        web.get("/signin");
        HttpResponse<String> r = web.post("/signin", Map.of("email", ALICE, "password", "wrong-password", "next", "/"));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("Wrong email address or password");
        long id = server.services().directory().account(ALICE).orElseThrow().id();
        assertThat(server.services().security().events(id, 5)).anySatisfy(e -> {
            assertThat(e.protocol()).isEqualTo("WEB");
            assertThat(e.reason()).isEqualTo("wrong password");
        });
    }

    @Test
    void aPostWithoutTheSessionsCsrfTokenChangesNothing() throws Exception {
        web.signIn(ALICE, TestServer.PASSWORD);
        String token = web.csrf;
        web.csrf = "forged";
        HttpResponse<String> r = web.post("/settings", Map.of("imap", "off"));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(server.services().directory().account(ALICE).orElseThrow().imapEnabled()).isTrue();
        web.csrf = null;
        assertThat(web.post("/settings", Map.of("imap", "off")).statusCode()).isEqualTo(403);
        web.csrf = token;
        assertThat(web.postRaw("/settings", Map.of("csrf", token, "imap", "off"), "https://evil.example").statusCode()).isEqualTo(403);
        assertThat(server.services().directory().account(ALICE).orElseThrow().imapEnabled()).isTrue();
        assertThat(web.post("/settings", Map.of("imap", "off")).statusCode()).isEqualTo(303);
        assertThat(server.services().directory().account(ALICE).orElseThrow().imapEnabled()).isFalse();
    }

    @Test
    void pagesNeedASignIn() throws Exception {
        for (String path : new String[] {"/settings", "/security", "/doctor", "/setup", "/admin"}) {
            HttpResponse<String> r = web.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(303);
            assertThat(r.headers().firstValue("Location").orElseThrow()).as(path).startsWith("/signin?next=");
        }
    }

    @Test
    void plainHttpRedirectsToHttpsExceptAutoconfiguration() throws Exception {
        int http = server.address(ListenerName.HTTP).getPort();
        int https = server.address(ListenerName.HTTPS).getPort();
        HttpClient c = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/settings?x=1")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(301);
        assertThat(r.headers().firstValue("Location")).hasValue("https://127.0.0.1:" + https + "/settings?x=1");
        HttpResponse<String> auto = c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http
                + "/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=" + ALICE)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(auto.statusCode()).isEqualTo(200);
        assertThat(auto.body()).contains("<clientConfig version=\"1.1\">");
        assertThat(c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).startsWith("ok");
    }

    @Test
    void httpsServesTheMailPortsCertificate() throws Exception {
        var conn = (javax.net.ssl.HttpsURLConnection) URI.create("https://127.0.0.1:" + server.address(ListenerName.HTTPS).getPort()
                + "/healthz").toURL().openConnection();
        javax.net.ssl.SSLContext trustAll = javax.net.ssl.SSLContext.getInstance("TLS");
        trustAll.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
            public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) {}

            public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) {}

            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        }}, null);
        conn.setSSLSocketFactory(trustAll.getSocketFactory());
        conn.setHostnameVerifier((h, s) -> true);
        assertThat(conn.getResponseCode()).isEqualTo(200);
        var served = (java.security.cert.X509Certificate) conn.getServerCertificates()[0];
        assertThat(served).isEqualTo(server.server.services() == null ? null
                : org.postern.net.PemKeyMaterial.readCertificates(dir.resolve("tls/fullchain.pem")).getFirst());
        assertThat(conn.getHeaderField("Strict-Transport-Security")).startsWith("max-age=");
        assertThat(conn.getHeaderField("Content-Security-Policy")).contains("frame-ancestors 'none'");
    }
}
