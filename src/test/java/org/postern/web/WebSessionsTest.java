package org.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postern.auth.Passwords;
import org.postern.auth.Totp;
import org.postern.server.ListenerName;
import org.postern.testing.MovingClock;
import org.postern.testing.TestServer;

/**
 * Web sessions are stored (issue 8): they survive a restart of the server on the same data
 * folder; sign-out, expiry and every revocation end them at once; the database holds only a
 * SHA-256 of each cookie value.
 */
@Timeout(120)
class WebSessionsTest {
    static final String ALICE = "alice@example.org";

    @TempDir
    Path dir;

    TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    WebClient client() throws Exception {
        return new WebClient("https://127.0.0.1:" + server.address(ListenerName.HTTPS).getPort());
    }

    /** The same browser (its cookie) against the server as it is now. */
    WebClient browser(String cookie) throws Exception {
        WebClient c = client();
        c.cookie(cookie);
        return c;
    }

    void restart() throws Exception {
        server.close();
        server = TestServer.startWithWeb(dir, Map.of());
    }

    long alice() {
        return server.services().directory().account(ALICE).orElseThrow().id();
    }

    static boolean signedIn(WebClient c) throws Exception {
        HttpResponse<String> r = c.get("/settings");
        if (r.statusCode() == 200) {
            assertThat(r.body()).contains(ALICE);
            return true;
        }
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location").orElseThrow()).startsWith("/signin");
        return false;
    }

    @Test
    void aSignedInBrowserStaysSignedInAcrossARestartAndItsFormsStillWork() throws Exception {
        server = TestServer.startWithWeb(dir, Map.of(), ALICE);
        WebClient web = client();
        web.signIn(ALICE, TestServer.PASSWORD);
        String cookie = web.cookie();
        assertThat(signedIn(web)).isTrue();

        restart();
        WebClient same = browser(cookie);
        assertThat(signedIn(same)).as("after the restart").isTrue();
        // The CSRF token of the page (derived from the cookie, not stored) is accepted after the restart.
        assertThat(same.post("/settings", Map.of("imap", "off")).statusCode()).isEqualTo(303);
        assertThat(server.services().directory().account(ALICE).orElseThrow().imapEnabled()).isFalse();
        assertThat(same.open("/settings").body()).contains("Your preferences have been saved.");
        // The live-session registry knows it (metrics, "sign out the device").
        assertThat(server.services().sessions().count(org.postern.auth.Authenticator.Protocol.WEB)).isEqualTo(1);

        // Signing out ends it for good, also across another restart.
        assertThat(same.post("/signout", Map.of()).statusCode()).isEqualTo(303);
        assertThat(signedIn(browser(cookie))).isFalse();
        restart();
        assertThat(signedIn(browser(cookie))).isFalse();
        assertThat(server.services().security().webSessionCount()).isZero();
    }

    @Test
    void theDatabaseHoldsOnlyAHashOfTheCookieAndNoFormToken() throws Exception {
        server = TestServer.startWithWeb(dir, Map.of(), ALICE);
        WebClient web = client();
        web.signIn(ALICE, TestServer.PASSWORD);
        String value = web.cookie().substring(web.cookie().indexOf('=') + 1);
        String csrf = web.csrf;
        assertThat(value).hasSize(43);
        server.close();
        server = null;
        List<String> hashes = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("postern.db"));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM web_sessions")) {
            while (rs.next()) {
                hashes.add(rs.getString("id_hash"));
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    assertThat(String.valueOf(rs.getString(i))).doesNotContain(value).doesNotContain(csrf);
                }
            }
        }
        assertThat(hashes).containsExactly(WebSessions.hash(value));
        assertThat(WebSessions.hash(value)).isNotEqualTo(value).hasSize(64);
        // Nowhere in the files of the database either (WAL included).
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("postern.db")).toList()) {
                String bytes = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertThat(bytes).as(f.toString()).doesNotContain(value).doesNotContain(csrf);
            }
        }
        // The stored hash used as a cookie opens nothing.
        server = TestServer.startWithWeb(dir, Map.of());
        assertThat(signedIn(browser(WebSessions.COOKIE + "=" + hashes.getFirst()))).isFalse();
        assertThat(signedIn(browser(WebSessions.COOKIE + "=" + value))).isTrue();
    }

    @Test
    void sessionsEndAfterTwoHoursUnusedOrTwelveHoursInAll() throws Exception {
        MovingClock clock = new MovingClock(Instant.now());
        server = TestServer.start(dir, "localhost", "127.0.0.1", Map.of("test.web", "yes"), clock, ALICE);
        WebClient idle = client();
        idle.signIn(ALICE, TestServer.PASSWORD);
        WebClient busy = client();
        busy.signIn(ALICE, TestServer.PASSWORD);
        for (int i = 0; i < 11; i++) {
            clock.advance(Duration.ofHours(1));
            assertThat(signedIn(busy)).as("used every hour, after %d h", i + 1).isTrue();
            if (i == 1) {
                assertThat(signedIn(idle)).as("unused for two hours").isFalse();
            }
        }
        clock.advance(Duration.ofMinutes(61));
        assertThat(signedIn(busy)).as("twelve hours after sign-in").isFalse();
        // Expired rows are deleted as new sessions come.
        client().signIn(ALICE, TestServer.PASSWORD);
        assertThat(server.services().security().webSessionCount()).isEqualTo(1);
    }

    @Test
    void passwordChangeTwoStepChangesDeviceSignOutAndAccountRemovalEndStoredSessionsAtOnce() throws Exception {
        server = TestServer.startWithWeb(dir, Map.of(), ALICE);
        WebClient web = client();
        web.signIn(ALICE, TestServer.PASSWORD);
        restart(); // so that no registration in memory does the work: the store must
        WebClient a = browser(web.cookie());
        assertThat(signedIn(a)).isTrue();
        // A password change from the command line (another process would do the same to the database).
        server.services().directory().setPassword(ALICE, Passwords.hash("Another-Password-2"));
        assertThat(signedIn(a)).as("at once, not within a second").isFalse();

        WebClient b = client();
        b.signIn(ALICE, "Another-Password-2");
        server.services().security().enableTwoStep(alice(), Totp.newSecret(), List.of());
        assertThat(signedIn(b)).as("2-Step Verification turned on").isFalse();

        WebClient c = signInWithCode("Another-Password-2");
        server.services().twoStep().disable(alice());
        assertThat(signedIn(c)).as("2-Step Verification turned off").isFalse();

        WebClient d = client();
        d.signIn(ALICE, "Another-Password-2");
        long device = server.services().security().devices(alice()).stream().filter(x -> x.client().startsWith("web:"))
                .findFirst().orElseThrow().id();
        server.services().security().signOutDevice(alice(), device);
        assertThat(signedIn(d)).as("the browser signed out from the device list").isFalse();

        WebClient e = client();
        e.signIn(ALICE, "Another-Password-2");
        server.services().directory().removeAccount(ALICE);
        assertThat(e.get("/settings").statusCode()).isEqualTo(303);
        assertThat(server.services().security().webSessionCount()).isZero();
    }

    WebClient signInWithCode(String password) throws Exception {
        String secret = Totp.newSecret();
        server.services().security().enableTwoStep(alice(), secret, List.of());
        WebClient c = client();
        c.get("/signin");
        assertThat(c.post("/signin", Map.of("email", ALICE, "password", password, "next", "/settings")).statusCode()).isEqualTo(303);
        c.get("/signin/code");
        assertThat(c.post("/signin/code", Map.of("code", Totp.code(secret, Totp.step(System.currentTimeMillis())), "next", "/settings"))
                .statusCode()).isEqualTo(303);
        assertThat(signedIn(c)).isTrue();
        return c;
    }

    @Test
    void theStepBetweenPasswordAndCodeSurvivesARestartAndItsWrongCodesCount() throws Exception {
        server = TestServer.startWithWeb(dir, Map.of(), ALICE);
        String secret = Totp.newSecret();
        server.services().security().enableTwoStep(alice(), secret, List.of());
        WebClient web = client();
        web.get("/signin");
        assertThat(web.post("/signin", Map.of("email", ALICE, "password", TestServer.PASSWORD, "next", "/security")).statusCode())
                .isEqualTo(303);
        assertThat(signedIn(web)).as("the password alone does not sign in").isFalse();
        web.get("/signin/code");
        for (int i = 0; i < SignInPages.CODE_TRIES - 1; i++) {
            assertThat(web.post("/signin/code", Map.of("code", "12345", "next", "/security")).statusCode()).isEqualTo(401);
        }
        restart();
        WebClient same = browser(web.cookie());
        same.csrf = web.csrf;
        assertThat(same.get("/signin/code").body()).contains("Enter the 6-digit code");
        // The fifth wrong code of this sign-in, counted across the restart, sends the browser back to the password.
        assertThat(same.post("/signin/code", Map.of("code", "12345", "next", "/security")).body())
                .contains("Too many wrong codes. Sign in again with your password.");

        WebClient again = client();
        again.get("/signin");
        again.post("/signin", Map.of("email", ALICE, "password", TestServer.PASSWORD, "next", "/security"));
        restart();
        WebClient after = browser(again.cookie());
        after.get("/signin/code");
        HttpResponse<String> ok = after.post("/signin/code", Map.of("code", Totp.code(secret, Totp.step(System.currentTimeMillis())),
                "next", "/security"));
        assertThat(ok.statusCode()).isEqualTo(303);
        assertThat(after.cookie()).as("a new cookie once signed in").isNotEqualTo(again.cookie());
        assertThat(signedIn(after)).isTrue();
    }

    @Test
    void anAccountKeepsAtMostThirtySessionsTheLeastRecentlyUsedGoing() throws Exception {
        server = TestServer.startWithWeb(dir, Map.of(), ALICE);
        List<String> cookies = new ArrayList<>();
        for (int i = 0; i < WebSessions.PER_ACCOUNT + 1; i++) {
            WebClient c = client();
            c.get("/signin");
            assertThat(c.post("/signin", Map.of("email", ALICE, "password", TestServer.PASSWORD, "next", "/settings")).statusCode())
                    .isEqualTo(303);
            cookies.add(c.cookie());
            Thread.sleep(2); // distinct sign-in times
        }
        assertThat(server.services().security().webSessionCount()).isEqualTo(WebSessions.PER_ACCOUNT);
        assertThat(signedIn(browser(cookies.getFirst()))).isFalse();
        assertThat(signedIn(browser(cookies.get(1)))).isTrue();
        assertThat(signedIn(browser(cookies.getLast()))).isTrue();
    }

    @Test
    void aCookieThatIsNotOneOfOursIsJustAnonymous() throws Exception {
        server = TestServer.startWithWeb(dir, Map.of(), ALICE);
        for (String v : List.of("x", "a".repeat(43), "'; DROP TABLE web_sessions; --" + "a".repeat(13), "é".repeat(43))) {
            WebClient c = browser(WebSessions.COOKIE + "=" + v);
            assertThat(signedIn(c)).as(v).isFalse();
        }
        WebClient c = client();
        c.signIn(ALICE, TestServer.PASSWORD);
        assertThat(signedIn(c)).isTrue();
    }
}
