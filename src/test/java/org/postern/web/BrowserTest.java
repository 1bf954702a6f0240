package org.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.postern.auth.Totp;
import org.postern.delivery.LocalDelivery;
import org.postern.server.ListenerName;
import org.postern.store.Mailbox;
import org.postern.store.MailStore;
import org.postern.store.StoredMessage;
import org.postern.testing.ImapClient;
import org.postern.testing.Programs;
import org.postern.testing.TestServer;

/**
 * The seed's steps in a real browser (Debian's headless chromium through chromedriver): sign in,
 * turn on 2-Step Verification with the code computed from the secret on the page, make an app
 * password and sign in over IMAP with it, switch IMAP off and see the refusal, set up forwarding
 * and follow the mailed link. A screenshot of every page goes to target/screenshots/, at a
 * phone's width and at a desktop's.
 */
@Timeout(180)
class BrowserTest {
    static final String ALICE = "alice@example.org";
    static final String BOB = "bob@example.org";
    static final Path SHOTS = Path.of("target", "screenshots");

    @TempDir
    Path dir;

    TestServer server;
    WebDriver browser;
    String base;

    @BeforeEach
    void start() throws Exception {
        Programs.require("chromium");
        Programs.require("chromedriver");
        server = TestServer.startWithWeb(dir, Map.of(), ALICE, BOB);
        base = "https://127.0.0.1:" + server.address(ListenerName.HTTPS).getPort();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(which("chromium"));
        // The test server's certificate is self-signed; --no-sandbox because CI runs as root.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--ignore-certificate-errors", "--window-size=1280,1000", "--user-data-dir=" + dir.resolve("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(Path.of(which("chromedriver")).toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        Files.createDirectories(SHOTS);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    static String which(String program) {
        for (String d : System.getenv("PATH").split(":")) {
            Path p = Path.of(d, program);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new IllegalStateException(program + " not found");
    }

    void open(String path) {
        browser.get(base + path);
    }

    void shot(String name) throws Exception {
        browser.manage().window().setSize(new Dimension(390, 844));
        Files.write(SHOTS.resolve(name + "-phone.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        browser.manage().window().setSize(new Dimension(1280, 1000));
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    void type(String id, String text) {
        WebElement e = browser.findElement(By.id(id));
        e.clear();
        e.sendKeys(text);
    }

    /** Clicks a form's button and waits for the page it leads to (not the one still shown). */
    void click(String buttonText) throws InterruptedException {
        WebElement old = browser.findElement(By.tagName("html"));
        browser.findElement(By.xpath("//button[normalize-space()='" + buttonText + "']")).click();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                old.isEnabled();
            } catch (org.openqa.selenium.WebDriverException gone) {
                // Stale, or Chrome's "Node with given id does not belong to the document": the
                // page was replaced. Wait until the new one has loaded.
                try {
                    if ("complete".equals(((org.openqa.selenium.JavascriptExecutor) browser).executeScript("return document.readyState"))) {
                        return;
                    }
                } catch (org.openqa.selenium.WebDriverException loading) {
                    // the new page is not ready to be asked yet
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no new page 30 s after clicking '" + buttonText + "'");
    }

    String page() {
        return browser.findElement(By.tagName("main")).getText();
    }

    void signIn(String email) throws Exception {
        open("/signin");
        shot("signin");
        type("email", email);
        type("password", TestServer.PASSWORD);
        click("Sign in");
    }

    @Test
    void theSeedsStepsInABrowser() throws Exception {
        signIn(ALICE);
        assertThat(browser.getCurrentUrl()).endsWith("/settings");
        shot("settings");

        // 2-Step Verification, with the code computed from the secret shown on the page.
        open("/security");
        shot("security");
        click("Turn on 2-Step Verification");
        String secret = browser.findElement(By.id("totp-secret")).getText().strip();
        assertThat(browser.findElement(By.cssSelector(".qr svg")).isDisplayed()).isTrue();
        shot("two-step-enrol");
        type("code", Totp.code(secret, Totp.step(System.currentTimeMillis())));
        click("Turn on");
        assertThat(page()).contains("2-Step Verification is on. Keep these backup codes");
        shot("two-step-on");

        // An app password, used over IMAP.
        type("app-name", "Thunderbird");
        click("Create");
        String password = browser.findElement(By.cssSelector(".notice .secret")).getText().strip();
        assertThat(password).matches("[a-z]{4} [a-z]{4} [a-z]{4} [a-z]{4}");
        shot("app-password");
        try (ImapClient imap = ImapClient.tls(server.imapsPort())) {
            imap.readLine();
            imap.login(ALICE, password);
        }

        // IMAP off: Save Changes, and the client's refusal text.
        open("/settings");
        browser.findElement(By.id("imap-off")).click();
        click("Save Changes");
        assertThat(page()).contains("Your preferences have been saved.");
        try (ImapClient imap = ImapClient.tls(server.imapsPort())) {
            imap.readLine();
            imap.command("a LOGIN " + ALICE + " \"" + password + "\"").expectNo("Your account is not enabled for IMAP use");
        }

        // Forwarding to Bob: the confirmation mail arrives, Bob follows its link.
        type("forward-address", BOB);
        click("Add");
        assertThat(page()).contains("A confirmation link was sent to " + BOB);
        shot("forwarding-requested");
        String mail = inbox(BOB).getFirst();
        var link = java.util.regex.Pattern.compile("https://\\S+(/forwarding/confirm\\?token=\\S+)").matcher(mail);
        assertThat(link.find()).isTrue();
        open(link.group(1));
        shot("forwarding-confirm");
        click("Confirm forwarding");
        assertThat(page()).contains(ALICE + " may now forward mail to " + BOB);
        open("/settings");
        browser.findElement(By.id("forward-on")).click();
        click("Save Changes");
        deliver(ALICE, "to be forwarded");
        assertThat(inbox(BOB)).anyMatch(t -> t.contains("to be forwarded"));

        for (String p : List.of("/doctor", "/setup", "/help/app-passwords")) {
            open(p);
            assertThat(browser.findElements(By.tagName("h1"))).hasSize(1);
            shot(p.substring(1).replace('/', '-'));
        }
    }

    @Test
    void theAdminPagesAndKeyboardUse() throws Exception {
        server.services().directory().update(ALICE, new org.postern.store.Directory.Settings(null, null, null, null, null, true));
        signIn(ALICE);
        for (String p : List.of("/admin", "/admin/domains", "/admin/queue", "/admin/dns", "/admin/health")) {
            open(p);
            assertThat(browser.findElement(By.tagName("h1")).getText()).isNotBlank();
            shot(p.substring(1).replace('/', '-'));
        }
        // The first Tab reaches the skip link, which leads to the content.
        open("/settings");
        browser.findElement(By.tagName("body")).sendKeys(org.openqa.selenium.Keys.TAB);
        assertThat(browser.switchTo().activeElement().getText()).isEqualTo("Skip to content");
    }

    /**
     * A native app's sign-in: the app listens on a loopback port (RFC 8252 §7.3), the browser signs in,
     * consents, and is sent back to the app with the code; the page's form-action must let that
     * redirect through.
     */
    @Test
    void aMailClientIsGivenAccessThroughTheConsentPage() throws Exception {
        java.util.concurrent.CompletableFuture<String> received = new java.util.concurrent.CompletableFuture<>();
        com.sun.net.httpserver.HttpServer app = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        app.createContext("/done", x -> {
            received.complete(x.getRequestURI().getRawQuery());
            byte[] b = "<!DOCTYPE html><title>Done</title><main><h1>Signed in</h1></main>".getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            x.sendResponseHeaders(200, b.length);
            x.getResponseBody().write(b);
            x.close();
        });
        app.start();
        try {
            server.services().security().oauth().addClient("pc_browser", "Thunderbird", List.of("http://127.0.0.1/done"), 10);
            String redirect = "http://127.0.0.1:" + app.getAddress().getPort() + "/done";
            open("/oauth/authorize?response_type=code&client_id=pc_browser&scope=mail&state=b1&code_challenge_method=S256"
                    + "&code_challenge=" + OAuthEndpoints.s256("v".repeat(43)) + "&redirect_uri="
                    + java.net.URLEncoder.encode(redirect, StandardCharsets.UTF_8));
            type("email", ALICE);
            type("password", TestServer.PASSWORD);
            click("Sign in");
            assertThat(page()).contains("Thunderbird wants to read and send your mail as " + ALICE);
            shot("oauth-consent");
            click("Allow");
            assertThat(received.get(30, java.util.concurrent.TimeUnit.SECONDS)).startsWith("code=").contains("&state=b1&iss=");
        } finally {
            app.stop(0);
        }
    }

    void deliver(String to, String text) throws Exception {
        String m = "From: carol@example.net\r\nTo: " + to + "\r\nSubject: " + text + "\r\n\r\n" + text + "\r\n";
        server.services().delivery().deliver(new ByteArrayInputStream(m.getBytes(StandardCharsets.UTF_8)), List.of(to), LocalDelivery.Folder.INBOX);
    }

    List<String> inbox(String email) throws Exception {
        MailStore store = server.services().store();
        long id = server.services().directory().account(email).orElseThrow().id();
        List<String> out = new java.util.ArrayList<>();
        for (StoredMessage m : store.messages(store.mailbox(id, Mailbox.INBOX).orElseThrow().id())) {
            out.add(Files.readString(store.blobs().path(m.blob()), StandardCharsets.ISO_8859_1));
        }
        return out;
    }
}
