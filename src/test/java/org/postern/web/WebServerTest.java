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
@org.junit.jupiter.api.Timeout(60)
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

    @Test
    void withTwoStepVerificationOnSignInAsksForTheCodeAfterThePassword() throws Exception {
        long id = server.services().directory().account(ALICE).orElseThrow().id();
        String secret = org.postern.auth.Totp.newSecret();
        String backup = "12345678";
        server.services().security().enableTwoStep(id, secret, java.util.List.of(org.postern.auth.Secrets.sha256(backup)));
        web.get("/signin?next=/security");
        HttpResponse<String> r = web.post("/signin", Map.of("email", ALICE, "password", TestServer.PASSWORD, "next", "/security"));
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location").orElseThrow()).startsWith("/signin/code");
        // The password alone opens nothing.
        assertThat(web.get("/security").statusCode()).isEqualTo(303);
        HttpResponse<String> form = web.get(WebClient.location(r));
        assertThat(form.body()).contains("Enter the 6-digit code").contains("autocomplete=\"one-time-code\"");
        String now = org.postern.auth.Totp.code(secret, org.postern.auth.Totp.step(System.currentTimeMillis()));
        HttpResponse<String> wrong = web.post("/signin/code", Map.of("code", now.equals("000000") ? "000001" : "000000", "next", "/security"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("Wrong code");
        assertThat(server.services().security().events(id, 5)).anySatisfy(e -> assertThat(e.reason()).contains("wrong 2-Step Verification code"));
        String before = web.cookie();
        HttpResponse<String> ok = web.post("/signin/code", Map.of("code", now, "next", "/security"));
        assertThat(ok.statusCode()).isEqualTo(303);
        assertThat(ok.headers().firstValue("Location")).hasValue("/security");
        assertThat(web.cookie()).as("a new session id after the code").isNotEqualTo(before);
        assertThat(web.get("/security").statusCode()).isEqualTo(200);

        // A backup code works once, in place of the phone.
        WebClient other = new WebClient("https://127.0.0.1:" + server.address(ListenerName.HTTPS).getPort());
        other.get("/signin");
        other.post("/signin", Map.of("email", ALICE, "password", TestServer.PASSWORD, "next", "/settings"));
        other.get("/signin/code");
        assertThat(other.post("/signin/code", Map.of("code", backup, "next", "/settings")).statusCode()).isEqualTo(303);
        assertThat(server.services().twoStep().backupCodesLeft(id)).isZero();
    }

    @Test
    void failedMailSignInsThrottleTheWebSignInToo() throws Exception {
        for (int i = 0; i < 12; i++) {
            try (org.postern.testing.ImapClient imap = org.postern.testing.ImapClient.tls(server.imapsPort())) {
                imap.readLine();
                imap.command("a LOGIN " + ALICE + " \"wrong-" + i + "\"");
            }
        }
        web.get("/signin");
        HttpResponse<String> r = web.post("/signin", Map.of("email", ALICE, "password", TestServer.PASSWORD, "next", "/"));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("Too many failed sign-in attempts. Try again in");
        assertThat(web.get("/settings").statusCode()).isEqualTo(303);
    }

    @Test
    void appPasswordsDoNotOpenTheWebAndNextNeverLeavesTheSite() throws Exception {
        long id = server.services().directory().account(ALICE).orElseThrow().id();
        String app = org.postern.auth.Secrets.newAppPassword();
        server.services().security().addAppPassword(id, "phone", org.postern.auth.Secrets.sha256(app));
        web.get("/signin");
        HttpResponse<String> r = web.post("/signin", Map.of("email", ALICE, "password", app, "next", "/"));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("App passwords are for mail clients");
        for (String next : new String[] {"https://evil.example/", "//evil.example/", "/\\evil.example"}) {
            web.forgetCookie();
            web.get("/signin");
            HttpResponse<String> ok = web.post("/signin", Map.of("email", ALICE, "password", TestServer.PASSWORD, "next", next));
            assertThat(ok.headers().firstValue("Location")).as(next).hasValue("/settings");
        }
    }

    @Test
    void signingOutEndsTheSessionOnTheServer() throws Exception {
        web.signIn(ALICE, TestServer.PASSWORD);
        String signedIn = web.cookie();
        HttpResponse<String> r = web.post("/signout", Map.of());
        assertThat(r.headers().firstValue("Location")).hasValue("/signin");
        web.forgetCookie();
        HttpResponse<String> replay = web.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                + server.address(ListenerName.HTTPS).getPort() + "/settings")).header("Cookie", signedIn).GET());
        assertThat(replay.statusCode()).as("the old cookie is worth nothing").isEqualTo(303);
    }

    @Test
    void aRenewedCertificateIsServedWithoutARestart() throws Exception {
        int port = server.address(ListenerName.HTTPS).getPort();
        java.security.cert.X509Certificate first = served(port);
        Path chain = dir.resolve("tls/fullchain.pem");
        Path key = dir.resolve("tls/privkey.pem");
        org.postern.net.PemKeyMaterial renewed = org.postern.net.SelfSigned.create("localhost", chain, key);
        assertThat(renewed.leaf()).isNotEqualTo(first);
        long until = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        java.security.cert.X509Certificate now = served(port);
        while (!now.equals(renewed.leaf()) && System.nanoTime() < until) {
            Thread.sleep(500);
            now = served(port);
        }
        assertThat(now).isEqualTo(renewed.leaf());
    }

    /** The certificate of a full handshake (a new context each time, so no session is resumed). */
    static java.security.cert.X509Certificate served(int port) throws Exception {
        javax.net.ssl.SSLContext ctx = org.postern.testing.ImapClient.trustAll();
        try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.startHandshake();
            return (java.security.cert.X509Certificate) s.getSession().getPeerCertificates()[0];
        }
    }
}
