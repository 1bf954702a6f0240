package org.postern.web;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A small browser for tests: HTTPS to the test server (its self-signed certificate trusted),
 * redirects not followed (tests look at them), the session cookie kept, and each POST given the
 * CSRF token of the last page read.
 */
final class WebClient {
    private final HttpClient http;
    private final String base;
    private String cookie;
    String csrf;
    HttpResponse<String> last;

    WebClient(String base) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] c, String a) {}

            @Override
            public void checkServerTrusted(X509Certificate[] c, String a) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, new SecureRandom());
        this.http = HttpClient.newBuilder().sslContext(ctx).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10)).build();
        this.base = base;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    /** GET, following redirects within the site. */
    HttpResponse<String> open(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = get(path);
        for (int i = 0; i < 5 && r.statusCode() / 100 == 3; i++) {
            r = get(location(r));
        }
        return r;
    }

    static String location(HttpResponse<String> r) {
        String l = r.headers().firstValue("Location").orElseThrow();
        return l.startsWith("/") ? l : URI.create(l).getRawPath() + (URI.create(l).getRawQuery() == null ? "" : "?" + URI.create(l).getRawQuery());
    }

    HttpResponse<String> post(String path, Map<String, String> form) throws IOException, InterruptedException {
        Map<String, String> all = new LinkedHashMap<>();
        if (csrf != null) {
            all.put("csrf", csrf);
        }
        all.putAll(form);
        return postRaw(path, all, null);
    }

    HttpResponse<String> postRaw(String path, Map<String, String> form, String origin) throws IOException, InterruptedException {
        String body = form.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (origin != null) {
            b.header("Origin", origin);
        }
        return send(b);
    }

    HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        HttpResponse<String> r = http.send(b.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        List<String> set = r.headers().allValues("Set-Cookie");
        for (String c : set) {
            String pair = c.split(";", 2)[0];
            cookie = pair.endsWith("=") ? null : pair;
        }
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(r.body());
        if (m.find()) {
            csrf = m.group(1);
        }
        last = r;
        return r;
    }

    /** Signs in with a password (and no 2SV); returns the page after the redirect. */
    HttpResponse<String> signIn(String email, String password) throws IOException, InterruptedException {
        get("/signin");
        HttpResponse<String> r = post("/signin", Map.of("email", email, "password", password, "next", "/settings"));
        return r.statusCode() == 303 ? open(location(r)) : r;
    }

    String cookie() {
        return cookie;
    }

    /** Uses another browser's cookie (the same browser after the server moved to another port). */
    void cookie(String cookie) {
        this.cookie = cookie;
    }

    void forgetCookie() {
        cookie = null;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
