package org.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postern.auth.Totp;
import org.postern.server.ListenerName;
import org.postern.testing.ImapClient;
import org.postern.testing.MovingClock;
import org.postern.testing.SmtpClient;
import org.postern.testing.TestServer;

/**
 * The OAuth 2.0 authorization server driven as a mail client and a browser drive it: registration,
 * sign-in, consent, the code with PKCE, the token endpoint, and the tokens used over IMAP and SMTP.
 */
@Timeout(90)
class OAuthFlowTest {
    static final String ALICE = "alice@example.org";
    static final ObjectMapper JSON = new ObjectMapper();
    static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-long-enough";

    @TempDir
    Path dir;

    MovingClock clock = new MovingClock(Instant.now());
    TestServer server;
    String base;
    WebClient browser;
    WebClient app;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dir, "localhost", "127.0.0.1", Map.of("test.web", "yes"), clock, ALICE);
        base = "https://127.0.0.1:" + server.address(ListenerName.HTTPS).getPort();
        browser = new WebClient(base);
        app = new WebClient(base);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    // ------------------------------------------------------------------ helpers: the app's side

    JsonNode json(HttpResponse<String> r) throws Exception {
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        return JSON.readTree(r.body());
    }

    String register(String name, String... redirects) throws Exception {
        HttpResponse<String> r = registerRaw(JSON.writeValueAsString(Map.of("client_name", name, "redirect_uris", List.of(redirects))));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode j = json(r);
        assertThat(j.path("token_endpoint_auth_method").asText()).isEqualTo("none");
        return j.path("client_id").asText();
    }

    HttpResponse<String> registerRaw(String body) throws Exception {
        return app.send(HttpRequest.newBuilder(URI.create(base + "/oauth/register")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpResponse<String> token(Map<String, String> form) throws Exception {
        return app.postRaw("/oauth/token", form, null);
    }

    static String challenge(String verifier) {
        return OAuthEndpoints.s256(verifier);
    }

    static String authorizePath(String clientId, String redirect, String challenge, String method, String state) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", clientId);
        if (redirect != null) {
            q.put("redirect_uri", redirect);
        }
        q.put("scope", "mail");
        q.put("state", state);
        if (challenge != null) {
            q.put("code_challenge", challenge);
            q.put("code_challenge_method", method);
        }
        return OAuthPages.withQuery("/oauth/authorize", q);
    }

    /** The query of a redirect to the app, decoded. */
    static Map<String, String> query(String location) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : URI.create(location).getRawQuery().split("&")) {
            String[] p = kv.split("=", 2);
            m.put(URLDecoder.decode(p[0], StandardCharsets.UTF_8), URLDecoder.decode(p[1], StandardCharsets.UTF_8));
        }
        return m;
    }

    /** The hidden fields of the consent form. */
    static Map<String, String> hiddenFields(String page) {
        Map<String, String> m = new LinkedHashMap<>();
        Matcher x = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">").matcher(page);
        while (x.find()) {
            if (!x.group(1).equals("csrf")) {
                m.put(x.group(1), x.group(2).replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
                        .replace("&amp;", "&"));
            }
        }
        return m;
    }

    /** Signs alice in, consents, and returns the redirect to the app. */
    String consent(String clientId, String redirect, String decision) throws Exception {
        HttpResponse<String> page = browser.open(authorizePath(clientId, redirect, challenge(VERIFIER), "S256", "st-1"));
        if (page.body().contains("Sign in with your full email address")) {
            HttpResponse<String> r = browser.post("/signin", Map.of("email", ALICE, "password", TestServer.PASSWORD,
                    "next", hiddenFields(page.body()).get("next")));
            page = browser.open(WebClient.location(r));
        }
        assertThat(page.statusCode()).isEqualTo(200);
        Map<String, String> form = hiddenFields(page.body());
        form.put("decision", decision);
        HttpResponse<String> r = browser.post("/oauth/authorize", form);
        assertThat(r.statusCode()).isEqualTo(303);
        return r.headers().firstValue("Location").orElseThrow();
    }

    JsonNode codeForTokens(String clientId, String redirect) throws Exception {
        String location = consent(clientId, redirect, "allow");
        HttpResponse<String> r = token(Map.of("grant_type", "authorization_code", "code", query(location).get("code"),
                "redirect_uri", redirect, "client_id", clientId, "code_verifier", VERIFIER));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    ImapClient imap() throws Exception {
        ImapClient c = ImapClient.tls(server.imapsPort());
        c.readLine();
        return c;
    }

    ImapClient.Response imapBearer(ImapClient c, String token) throws Exception {
        return c.command("a1 AUTHENTICATE OAUTHBEARER " + b64("n,a=" + ALICE + ",\u0001host=localhost\u0001port=993\u0001auth=Bearer "
                + token + "\u0001\u0001"));
    }

    void imapRefuses(String token) throws Exception {
        try (ImapClient c = imap()) {
            c.send("a1 AUTHENTICATE OAUTHBEARER " + b64("n,a=" + ALICE + ",\u0001auth=Bearer " + token + "\u0001\u0001"));
            String line = c.readLine();
            assertThat(line).startsWith("+ ");
            // RFC 7628 §3.2.2: the error names the metadata, where a client finds how to get a new token.
            assertThat(new String(Base64.getDecoder().decode(line.substring(2).strip()), StandardCharsets.US_ASCII))
                    .contains("\"openid-configuration\":\"https://localhost/.well-known/oauth-authorization-server\"");
            c.send(""); // RFC 7628 §3.2.3: the client answers the error challenge with an empty response
            assertThat(c.readLine()).isEqualTo("a1 NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)");
        }
    }

    // ------------------------------------------------------------------ the tests

    @Test
    void metadataDescribesTheEndpoints() throws Exception {
        JsonNode m = json(app.get("/.well-known/oauth-authorization-server"));
        String issuer = m.path("issuer").asText();
        assertThat(issuer).isEqualTo("https://localhost:" + server.address(ListenerName.HTTPS).getPort());
        assertThat(m.path("authorization_endpoint").asText()).isEqualTo(issuer + "/oauth/authorize");
        assertThat(m.path("token_endpoint").asText()).isEqualTo(issuer + "/oauth/token");
        assertThat(m.path("revocation_endpoint").asText()).isEqualTo(issuer + "/oauth/revoke");
        assertThat(m.path("registration_endpoint").asText()).isEqualTo(issuer + "/oauth/register");
        assertThat(m.path("device_authorization_endpoint").asText()).isEqualTo(issuer + "/oauth/device_authorization");
        assertThat(m.path("code_challenge_methods_supported").toString()).isEqualTo("[\"S256\"]");
        assertThat(m.path("token_endpoint_auth_methods_supported").toString()).isEqualTo("[\"none\"]");
        assertThat(m.path("grant_types_supported").toString()).contains("authorization_code", "refresh_token",
                "urn:ietf:params:oauth:grant-type:device_code");
        assertThat(m.path("scopes_supported").toString()).isEqualTo("[\"mail\"]");
        assertThat(browser.get("/help/oauth").body()).contains("Apps with access");
    }

    @Test
    void autoconfigOffersOAuth2BesideThePassword() throws Exception {
        String xml = app.get("/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=" + ALICE).body();
        assertThat(xml).contains("<authentication>password-cleartext</authentication>\n      <authentication>OAuth2</authentication>")
                .contains("<oAuth2>\n      <issuer>localhost</issuer>\n      <scope>mail</scope>\n")
                .contains("<authURL>https://localhost:" + server.address(ListenerName.HTTPS).getPort() + "/oauth/authorize</authURL>")
                .contains("/oauth/token</tokenURL>\n    </oAuth2>");
    }

    @Test
    void codeWithPkceGivesTokensThatImapAndSmtpAccept() throws Exception {
        String redirect = "http://127.0.0.1:51234/callback";
        String client = register("Thunderbird test", "http://127.0.0.1/callback");

        // Not signed in: the sign-in page, and back to the request afterwards.
        String path = authorizePath(client, redirect, challenge(VERIFIER), "S256", "st-1");
        HttpResponse<String> first = browser.get(path);
        assertThat(first.statusCode()).isEqualTo(303);
        assertThat(WebClient.location(first)).startsWith("/signin?next=");
        HttpResponse<String> signIn = browser.open(WebClient.location(first));
        HttpResponse<String> back = browser.post("/signin", Map.of("email", ALICE, "password", TestServer.PASSWORD,
                "next", hiddenFields(signIn.body()).get("next")));
        assertThat(WebClient.location(back)).isEqualTo(path);

        HttpResponse<String> page = browser.get(path);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<strong>Thunderbird test</strong> wants to read and send your mail as <strong>" + ALICE + "</strong>")
                .contains("name=\"csrf\"").contains(">Allow</button>").contains(">Deny</button>").contains("registered itself");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("form-action 'self' http://127.0.0.1:51234;");

        // The consent form without the CSRF token is refused.
        Map<String, String> form = hiddenFields(page.body());
        form.put("decision", "allow");
        assertThat(browser.postRaw("/oauth/authorize", form, null).statusCode()).isEqualTo(403);

        HttpResponse<String> allowed = browser.post("/oauth/authorize", form);
        String location = allowed.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(redirect + "?code=");
        Map<String, String> q = query(location);
        assertThat(q).containsEntry("state", "st-1").containsEntry("iss", "https://localhost:" + server.address(ListenerName.HTTPS).getPort());

        HttpResponse<String> r = token(Map.of("grant_type", "authorization_code", "code", q.get("code"), "redirect_uri", redirect,
                "client_id", client, "code_verifier", VERIFIER));
        JsonNode t = json(r);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(t.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(t.path("expires_in").asLong()).isEqualTo(3600);
        assertThat(t.path("refresh_token").asText()).isNotEmpty();
        String access = t.path("access_token").asText();

        try (ImapClient c = imap()) {
            imapBearer(c, access).expectOk();
        }
        try (SmtpClient s = SmtpClient.tls(server.submissionsPort())) {
            s.ehlo();
            s.send("AUTH XOAUTH2 " + b64("user=" + ALICE + "\u0001auth=Bearer " + access + "\u0001\u0001")).expect(235);
        }
        String security = browser.open("/security").body();
        assertThat(security).contains("Apps with access").contains("<td>Thunderbird test</td>").contains("access given to &quot;Thunderbird test&quot;");

        // RFC 6749 §4.1.2: the code a second time is refused, and what it bought is revoked.
        HttpResponse<String> again = token(Map.of("grant_type", "authorization_code", "code", q.get("code"), "redirect_uri", redirect,
                "client_id", client, "code_verifier", VERIFIER));
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(json(again).path("error").asText()).isEqualTo("invalid_grant");
        imapRefuses(access);
        HttpResponse<String> refresh = token(Map.of("grant_type", "refresh_token", "refresh_token", t.path("refresh_token").asText(),
                "client_id", client));
        assertThat(json(refresh).path("error").asText()).isEqualTo("invalid_grant");
        assertThat(browser.open("/security").body()).contains("No app has access.");
    }

    @Test
    void refreshTokensRotateAndRevokingOneEndsTheGrant() throws Exception {
        String redirect = "http://[::1]:40000/cb";
        String client = register("Rotating app", "http://[::1]/cb");
        JsonNode t = codeForTokens(client, redirect);
        String refresh1 = t.path("refresh_token").asText();

        JsonNode t2 = json(token(Map.of("grant_type", "refresh_token", "refresh_token", refresh1, "client_id", client, "scope", "mail")));
        String refresh2 = t2.path("refresh_token").asText();
        assertThat(refresh2).isNotEqualTo(refresh1);
        assertThat(t2.path("access_token").asText()).isNotEqualTo(t.path("access_token").asText());
        // The old refresh token is gone; another client cannot use the new one.
        assertThat(json(token(Map.of("grant_type", "refresh_token", "refresh_token", refresh1, "client_id", client))).path("error").asText())
                .isEqualTo("invalid_grant");
        String other = register("Other app", "http://127.0.0.1/cb");
        assertThat(json(token(Map.of("grant_type", "refresh_token", "refresh_token", refresh2, "client_id", other))).path("error").asText())
                .isEqualTo("invalid_grant");
        try (ImapClient c = imap()) {
            imapBearer(c, t2.path("access_token").asText()).expectOk();
        }

        // RFC 7009: revoking the refresh token revokes its access tokens too; the answer is 200 either way.
        assertThat(app.postRaw("/oauth/revoke", Map.of("token", refresh2, "client_id", client), null).statusCode()).isEqualTo(200);
        assertThat(app.postRaw("/oauth/revoke", Map.of("token", "unknown", "client_id", client), null).statusCode()).isEqualTo(200);
        assertThat(json(token(Map.of("grant_type", "refresh_token", "refresh_token", refresh2, "client_id", client))).path("error").asText())
                .isEqualTo("invalid_grant");
        imapRefuses(t2.path("access_token").asText());
    }

    @Test
    void revokingOnTheSecurityPageEndsTheAppsSessions() throws Exception {
        String client = register("Laptop mail", "com.example.mail:/oauth");
        JsonNode t = codeForTokens(client, "com.example.mail:/oauth");
        try (ImapClient c = imap()) {
            imapBearer(c, t.path("access_token").asText()).expectOk();
            String page = browser.open("/security").body();
            String grant = SecurityPageTest.group("name=\"grant\" value=\"(\\d+)\"><button type=\"submit\" class=\"link\" "
                    + "aria-label=\"Revoke access of Laptop mail\"", page);
            assertThat(browser.post("/security/apps/revoke", Map.of("grant", grant)).statusCode()).isEqualTo(303);
            assertThat(browser.open("/security").body()).contains("Revoked the access of &quot;Laptop mail&quot;").contains("No app has access.");
            c.awaitBye(20_000);
        }
        assertThat(json(token(Map.of("grant_type", "refresh_token", "refresh_token", t.path("refresh_token").asText(), "client_id", client)))
                .path("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void badCodeExchangesAreRefused() throws Exception {
        String redirect = "http://localhost:8080/";
        String client = register("Careful app", "http://localhost/");
        String code = query(consent(client, redirect, "allow")).get("code");
        HttpResponse<String> wrong = token(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", redirect,
                "client_id", client, "code_verifier", "x".repeat(43)));
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(json(wrong).path("error_description").asText()).contains("code_verifier does not match");
        // The code is spent by the failed attempt.
        assertThat(json(token(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", redirect, "client_id", client,
                "code_verifier", VERIFIER))).path("error").asText()).isEqualTo("invalid_grant");

        // Expired: codes live two minutes.
        String late = query(consent(client, redirect, "allow")).get("code");
        clock.advance(Duration.ofMinutes(3));
        assertThat(json(token(Map.of("grant_type", "authorization_code", "code", late, "redirect_uri", redirect, "client_id", client,
                "code_verifier", VERIFIER))).path("error_description").asText()).contains("expired");

        // Another redirect_uri than the request's.
        String third = query(consent(client, redirect, "allow")).get("code");
        assertThat(json(token(Map.of("grant_type", "authorization_code", "code", third, "redirect_uri", "http://localhost:9090/",
                "client_id", client, "code_verifier", VERIFIER))).path("error").asText()).isEqualTo("invalid_grant");

        assertThat(token(Map.of("grant_type", "authorization_code", "code", "x", "client_id", "nobody", "code_verifier", VERIFIER))
                .statusCode()).isEqualTo(401);
        assertThat(json(token(Map.of("grant_type", "password", "client_id", client))).path("error").asText()).isEqualTo("unsupported_grant_type");
    }

    @Test
    void requestErrorsGoBackToTheAppOnlyWhenTheRedirectIsVerified() throws Exception {
        browser.signIn(ALICE, TestServer.PASSWORD);
        String client = register("Some app", "http://127.0.0.1/cb");
        // A redirect the client did not register: an error page, no redirect.
        HttpResponse<String> evil = browser.get(authorizePath(client, "https://evil.example/cb", challenge(VERIFIER), "S256", "s"));
        assertThat(evil.statusCode()).isEqualTo(400);
        assertThat(evil.headers().firstValue("Location")).isEmpty();
        assertThat(evil.body()).contains("did not register").doesNotContain("evil.example");
        HttpResponse<String> unknown = browser.get(authorizePath("pc_nobody", "http://127.0.0.1/cb", challenge(VERIFIER), "S256", "s"));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("not registered");

        // PKCE plain, or none: an error for the app.
        HttpResponse<String> plain = browser.get(authorizePath(client, "http://127.0.0.1:5000/cb", VERIFIER, "plain", "s"));
        assertThat(plain.statusCode()).isEqualTo(303);
        assertThat(query(plain.headers().firstValue("Location").orElseThrow())).containsEntry("error", "invalid_request")
                .containsEntry("state", "s").hasEntrySatisfying("error_description", d -> assertThat(d).contains("plain is not accepted"));
        HttpResponse<String> none = browser.get(authorizePath(client, "http://127.0.0.1:5000/cb", null, null, "s"));
        assertThat(query(none.headers().firstValue("Location").orElseThrow())).containsEntry("error", "invalid_request");

        // Deny: access_denied back to the app.
        assertThat(query(consent(client, "http://127.0.0.1:5000/cb", "deny"))).containsEntry("error", "access_denied").containsEntry("state", "st-1");
    }

    @Test
    void registrationChecksTheMetadata() throws Exception {
        assertThat(json(registerRaw("{\"client_name\":\"x\",\"redirect_uris\":[\"http://example.org/cb\"]}")).path("error").asText())
                .isEqualTo("invalid_redirect_uri");
        assertThat(json(registerRaw("{\"client_name\":\"x\",\"redirect_uris\":[\"myapp:/cb\"]}")).path("error_description").asText())
                .contains("reverse domain name");
        assertThat(json(registerRaw("{\"client_name\":\"x\",\"redirect_uris\":[\"http://127.0.0.1/cb\"],"
                + "\"token_endpoint_auth_method\":\"client_secret_basic\"}")).path("error").asText()).isEqualTo("invalid_client_metadata");
        assertThat(json(registerRaw("not json")).path("error").asText()).isEqualTo("invalid_client_metadata");
        HttpResponse<String> device = registerRaw("{\"client_name\":\"fetchmail helper\",\"grant_types\":[\"urn:ietf:params:oauth:grant-type:device_code\"]}");
        assertThat(device.statusCode()).isEqualTo(201);
    }

    @Test
    void twoStepVerificationComesBeforeConsent() throws Exception {
        String secret = Totp.newSecret();
        long alice = server.services().directory().account(ALICE).orElseThrow().id();
        server.services().security().enableTwoStep(alice, secret, List.of());
        String client = register("2SV app", "http://127.0.0.1/cb");
        String path = authorizePath(client, "http://127.0.0.1:7777/cb", challenge(VERIFIER), "S256", "z");
        HttpResponse<String> signIn = browser.open(path);
        HttpResponse<String> pw = browser.post("/signin", Map.of("email", ALICE, "password", TestServer.PASSWORD,
                "next", hiddenFields(signIn.body()).get("next")));
        assertThat(WebClient.location(pw)).startsWith("/signin/code?next=");
        // Password alone does not reach the consent page.
        HttpResponse<String> early = browser.get(path);
        assertThat(early.statusCode()).isEqualTo(303);
        assertThat(WebClient.location(early)).startsWith("/signin?next=");
        HttpResponse<String> codePage = browser.open(WebClient.location(pw));
        HttpResponse<String> ok = browser.post("/signin/code", Map.of("code", Totp.code(secret, Totp.step(clock.millis())),
                "next", hiddenFields(codePage.body()).get("next")));
        assertThat(WebClient.location(ok)).isEqualTo(path);
        assertThat(browser.open(path).body()).contains("<strong>2SV app</strong> wants to read and send your mail");
    }

    @Test
    void theDeviceFlowPollsUntilThePersonAllowsIt() throws Exception {
        String client = register("mutt helper", "http://127.0.0.1/unused");
        JsonNode d = json(app.postRaw("/oauth/device_authorization", Map.of("client_id", client, "scope", "mail"), null));
        String userCode = d.path("user_code").asText();
        assertThat(userCode).matches("[B-Z]{4}-[B-Z]{4}");
        assertThat(d.path("verification_uri").asText()).endsWith("/device");
        assertThat(d.path("interval").asLong()).isEqualTo(5);
        Map<String, String> poll = Map.of("grant_type", OAuthEndpoints.DEVICE_GRANT, "device_code", d.path("device_code").asText(),
                "client_id", client);

        assertThat(json(token(poll)).path("error").asText()).isEqualTo("authorization_pending");
        assertThat(json(token(poll)).path("error").asText()).isEqualTo("slow_down");
        clock.advance(Duration.ofSeconds(6));
        // slow_down added 5 seconds: 6 is too early now.
        assertThat(json(token(poll)).path("error").asText()).isEqualTo("slow_down");
        clock.advance(Duration.ofSeconds(16));
        assertThat(json(token(poll)).path("error").asText()).isEqualTo("authorization_pending");

        browser.signIn(ALICE, TestServer.PASSWORD);
        HttpResponse<String> form = browser.open("/device?user_code=" + userCode.toLowerCase().replace("-", ""));
        assertThat(form.body()).contains("value=\"" + userCode + "\"");
        HttpResponse<String> wrong = browser.post("/device", Map.of("user_code", "BBBB-BBBB"));
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.body()).contains("That code is not right");
        HttpResponse<String> consent = browser.post("/device", Map.of("user_code", userCode));
        assertThat(consent.body()).contains("<strong>mutt helper</strong> wants to read and send your mail as").contains(userCode);
        HttpResponse<String> done = browser.post("/device/consent", Map.of("user_code", userCode, "decision", "allow"));
        assertThat(done.body()).contains("The device now has access");

        clock.advance(Duration.ofSeconds(30));
        JsonNode t = json(token(poll));
        try (SmtpClient s = SmtpClient.tls(server.submissionsPort())) {
            s.ehlo();
            s.send("AUTH XOAUTH2 " + b64("user=" + ALICE + "\u0001auth=Bearer " + t.path("access_token").asText() + "\u0001\u0001")).expect(235);
        }
        clock.advance(Duration.ofSeconds(30));
        assertThat(json(token(poll)).path("error").asText()).isEqualTo("invalid_grant");

        // A code nobody enters expires.
        JsonNode d2 = json(app.postRaw("/oauth/device_authorization", Map.of("client_id", client), null));
        clock.advance(Duration.ofMinutes(11));
        assertThat(json(token(Map.of("grant_type", OAuthEndpoints.DEVICE_GRANT, "device_code", d2.path("device_code").asText(),
                "client_id", client))).path("error").asText()).isEqualTo("expired_token");
        assertThat(browser.post("/device", Map.of("user_code", d2.path("user_code").asText())).statusCode()).isEqualTo(400);
    }

    @Test
    void aClientWithOneRedirectMayLeaveItOut() throws Exception {
        String client = register("One-redirect app", "com.example.one:/cb");
        String location = consent(client, null, "allow");
        assertThat(location).startsWith("com.example.one:/cb?code=");
        HttpResponse<String> r = token(Map.of("grant_type", "authorization_code", "code", query(location).get("code"),
                "client_id", client, "code_verifier", VERIFIER));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void aRemovedAccountGetsNoTokens() throws Exception {
        String client = register("Gone app", "http://127.0.0.1/cb");
        JsonNode t = codeForTokens(client, "http://127.0.0.1:1234/cb");
        server.services().directory().removeAccount(ALICE);
        assertThat(json(token(Map.of("grant_type", "refresh_token", "refresh_token", t.path("refresh_token").asText(), "client_id", client)))
                .path("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void aPasswordChangeRevokesTheAppsAccess() throws Exception {
        String client = register("Old app", "http://127.0.0.1/cb");
        JsonNode t = codeForTokens(client, "http://127.0.0.1:1234/cb");
        server.services().directory().setPassword(ALICE, org.postern.auth.Passwords.hash("New-Password-2"));
        assertThat(json(token(Map.of("grant_type", "refresh_token", "refresh_token", t.path("refresh_token").asText(), "client_id", client)))
                .path("error").asText()).isEqualTo("invalid_grant");
        imapRefuses(t.path("access_token").asText());
    }

    @Test
    void theTokenEndpointSlowsDownGuessing() throws Exception {
        String client = register("Guesser", "http://127.0.0.1/cb");
        int status = 0;
        for (int i = 0; i < 15 && status != 429; i++) {
            status = token(Map.of("grant_type", "refresh_token", "refresh_token", "guess-" + i, "client_id", client)).statusCode();
        }
        assertThat(status).isEqualTo(429);
        assertThat(app.last.headers().firstValue("Retry-After")).isPresent();
    }

}
