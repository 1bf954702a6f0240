package org.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postern.server.ListenerName;
import org.postern.store.BlobStore;
import org.postern.store.Directory;
import org.postern.store.OutboundQueue;
import org.postern.testing.ImapClient;
import org.postern.testing.Pop3Client;
import org.postern.testing.TestServer;

/** The administrators' pages: refused to everyone else, and each form doing what it says. */
@Timeout(60)
class AdminPagesTest {
    static final String ADMIN = "root@example.org";
    static final String ALICE = "alice@example.org";
    static final List<String> PAGES = List.of("/admin", "/admin/domains", "/admin/queue", "/admin/dns", "/admin/health");
    static final List<String> ACTIONS = List.of("/admin/accounts/add", "/admin/accounts/update", "/admin/accounts/remove",
            "/admin/accounts/password", "/admin/aliases/add", "/admin/aliases/remove", "/admin/domains/catch-all", "/admin/domains/access",
            "/admin/queue/retry", "/admin/queue/delete");

    @TempDir
    Path dir;

    TestServer server;
    WebClient admin;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.startWithWeb(dir, Map.of(), ADMIN, ALICE);
        server.services().directory().update(ADMIN, new Directory.Settings(null, null, null, null, null, true));
        admin = client();
        admin.signIn(ADMIN, TestServer.PASSWORD);
    }

    WebClient client() throws Exception {
        return new WebClient("https://127.0.0.1:" + server.address(ListenerName.HTTPS).getPort());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aNormalUserIsRefusedEveryAdminPageAndAction() throws Exception {
        WebClient alice = client();
        String settings = alice.signIn(ALICE, TestServer.PASSWORD).body();
        assertThat(settings).doesNotContain("href=\"/admin\"");
        for (String page : PAGES) {
            HttpResponse<String> r = alice.get(page);
            assertThat(r.statusCode()).as(page).isEqualTo(403);
            assertThat(r.body()).as(page).contains("These pages are for the server's administrators");
        }
        for (String action : ACTIONS) {
            HttpResponse<String> r = alice.post(action, Map.of("email", ALICE, "new-email", "eve@example.org",
                    "new-password", "Eve-Password-1", "admin", "on", "confirm", "on", "alias", "x@example.org", "id", "1",
                    "domain", "example.org"));
            assertThat(r.statusCode()).as(action).isEqualTo(403);
        }
        assertThat(server.services().directory().account("eve@example.org")).isEmpty();
        assertThat(server.services().directory().account(ALICE).orElseThrow().admin()).isFalse();
        assertThat(server.services().directory().domain("example.org").orElseThrow().imapEnabled()).isTrue();
        // /doctor?email= for another account is an admin power too.
        assertThat(alice.get("/doctor?email=" + ADMIN).statusCode()).isEqualTo(403);
    }

    @Test
    void adminFlagIsReadOnEveryRequest() throws Exception {
        assertThat(admin.get("/admin").statusCode()).isEqualTo(200);
        server.services().directory().update(ADMIN, new Directory.Settings(null, null, null, null, null, false));
        assertThat(admin.get("/admin").statusCode()).isEqualTo(403);
    }

    @Test
    void accountsAreAddedChangedGivenAliasesAndRemoved() throws Exception {
        String page = admin.open("/admin").body();
        assertThat(page).contains(ALICE).contains("aria-current=\"page\">Accounts");
        admin.post("/admin/accounts/add", Map.of("new-email", "carol@example.org", "new-password", "short"));
        assertThat(admin.open("/admin").body()).contains("Nothing changed:");
        assertThat(server.services().directory().account("carol@example.org")).isEmpty();
        admin.post("/admin/accounts/add", Map.of("new-email", "carol@example.org", "new-password", "Carol-Password-1"));
        assertThat(admin.open("/admin").body()).contains("Added carol@example.org");
        assertThat(server.services().authenticator().authenticate("carol@example.org", "Carol-Password-1",
                org.postern.auth.Authenticator.Protocol.IMAP)).isInstanceOf(org.postern.auth.Authenticator.Result.Success.class);

        admin.post("/admin/accounts/update", Map.of("email", "carol@example.org", "pop", "on", "quota", "50"));
        Directory.Account carol = server.services().directory().account("carol@example.org").orElseThrow();
        assertThat(carol.imapEnabled()).isFalse();
        assertThat(carol.popEnabled()).isTrue();
        assertThat(carol.quotaBytes()).isEqualTo(50L << 20);

        admin.post("/admin/aliases/add", Map.of("email", "carol@example.org", "alias", "sales@example.org"));
        assertThat(server.services().directory().resolve("sales@example.org").map(Directory.Account::email)).hasValue("carol@example.org");
        admin.post("/admin/aliases/remove", Map.of("alias", "sales@example.org"));
        assertThat(server.services().directory().resolve("sales@example.org")).isEmpty();

        admin.post("/admin/accounts/remove", Map.of("email", "carol@example.org"));
        assertThat(admin.open("/admin").body()).contains("tick the box to confirm removing carol@example.org");
        assertThat(server.services().directory().account("carol@example.org")).isPresent();
        admin.post("/admin/accounts/remove", Map.of("email", "carol@example.org", "confirm", "on"));
        assertThat(server.services().directory().account("carol@example.org")).isEmpty();
    }

    @Test
    void theQueueIsListedAndAMessageRetriedOrDeleted() throws Exception {
        assertThat(admin.open("/admin/queue").body()).contains("The outbound queue is empty.");
        byte[] m = "From: root@example.org\r\nTo: x@example.net\r\nSubject: q\r\n\r\nq\r\n".getBytes(StandardCharsets.UTF_8);
        BlobStore.Blob blob = server.services().store().blobs().put(new ByteArrayInputStream(m), m.length);
        long later = System.currentTimeMillis() + 3_600_000;
        long id = server.services().queue().enqueue(blob, new OutboundQueue.Envelope(ADMIN, List.of("x@example.net"),
                OutboundQueue.Body.SEVEN_BIT, false, null), later);
        assertThat(admin.open("/admin/queue").body()).contains("x@example.net – pending, 0 attempts").contains("Retry now");
        admin.post("/admin/queue/retry", Map.of("id", String.valueOf(id)));
        assertThat(server.services().queue().entries().getFirst().nextAttempt()).isLessThan(later);
        admin.post("/admin/queue/delete", Map.of("id", String.valueOf(id)));
        assertThat(server.services().queue().entries()).isEmpty();
        admin.post("/admin/queue/delete", Map.of("id", "not-a-number"));
        assertThat(admin.open("/admin/queue").body()).contains("Nothing changed:");
    }

    @Test
    void dnsAndHealthPagesShowWhatToPublishAndHowTheServerIs() throws Exception {
        String dns = admin.open("/admin/dns?domain=example.org").body();
        assertThat(dns).contains("<code>example.org.</code></td><td>MX</td><td><code>10 localhost.</code>")
                .contains("_imaps._tcp.example.org.").contains("DKIM: example.org has no signing keys yet").contains("postern dkim show example.org")
                .contains("postern dns show example.org");
        String health = admin.open("/admin/health").body();
        assertThat(health).contains("<td>imaps</td>").contains("127.0.0.1:" + server.imapsPort())
                .contains("Certificate").contains("; names localhost").contains("free of");
        String domains = admin.open("/admin/domains").body();
        assertThat(domains).contains("example.org");
        admin.post("/admin/domains/catch-all", Map.of("domain", "example.org", "account", ALICE));
        assertThat(server.services().directory().resolve("anything@example.org").map(Directory.Account::email)).hasValue(ALICE);
    }

    @Test
    void domainWideImapAndPopSwitchesActAtOnceForNewAndConnectedSessions() throws Exception {
        String domains = admin.open("/admin/domains").body();
        assertThat(domains).contains("action=\"/admin/domains/access\"").contains("id=\"d1-imap\" name=\"imap\" value=\"on\" checked")
                .contains("id=\"d1-pop\" name=\"pop\" value=\"on\" checked");
        // Without the session's CSRF token nothing changes.
        String token = admin.csrf;
        admin.csrf = "forged";
        assertThat(admin.post("/admin/domains/access", Map.of("domain", "example.org")).statusCode()).isEqualTo(403);
        admin.csrf = token;
        assertThat(server.services().directory().domain("example.org").orElseThrow().imapEnabled()).isTrue();

        try (ImapClient imap = ImapClient.tls(server.imapsPort()); Pop3Client pop = Pop3Client.tlsGreeted(server.pop3sPort())) {
            imap.readLine();
            imap.login(ALICE, TestServer.PASSWORD);
            imap.command("s SELECT INBOX").expectOk();
            pop.login(ALICE, TestServer.PASSWORD);
            // Both off (the form sends no box for a switch that is off).
            assertThat(admin.post("/admin/domains/access", Map.of("domain", "example.org")).statusCode()).isEqualTo(303);
            assertThat(admin.open("/admin/domains").body()).contains("Saved example.org: IMAP off, POP off; 2 open session(s) were ended.")
                    .contains("id=\"d1-imap\" name=\"imap\" value=\"on\">");
            imap.awaitBye(20_000);
            pop.timeout(20_000);
            assertThat(pop.closedByServer()).isTrue();
        }
        Directory.Domain d = server.services().directory().domain("example.org").orElseThrow();
        assertThat(d.imapEnabled()).isFalse();
        assertThat(d.popEnabled()).isFalse();
        assertThat(server.services().directory().account(ALICE).orElseThrow().imapEnabled()).as("the account's own switch").isTrue();
        try (ImapClient imap = ImapClient.tls(server.imapsPort())) {
            imap.readLine();
            imap.command("a LOGIN " + ALICE + " \"" + TestServer.PASSWORD + "\"")
                    .expectNo("[ALERT] IMAP access is disabled for your domain. Please contact your domain administrator for questions "
                            + "about this feature. (Failure)");
        }
        try (Pop3Client pop = Pop3Client.tlsGreeted(server.pop3sPort())) {
            pop.ok("USER " + ALICE);
            assertThat(pop.err("PASS " + TestServer.PASSWORD)).isEqualTo("-ERR [SYS/PERM] Your account is not enabled for POP access. "
                    + "Please visit your settings page and enable your account for POP access.");
        }

        // IMAP back on, POP stays off.
        admin.post("/admin/domains/access", Map.of("domain", "example.org", "imap", "on"));
        assertThat(admin.open("/admin/domains").body()).contains("Saved example.org: IMAP on, POP off.");
        try (ImapClient imap = ImapClient.tls(server.imapsPort())) {
            imap.readLine();
            imap.login(ALICE, TestServer.PASSWORD);
        }
        assertThat(server.services().directory().domain("example.org").orElseThrow().popEnabled()).isFalse();

        admin.post("/admin/domains/access", Map.of("domain", "nowhere.example", "imap", "on"));
        assertThat(admin.open("/admin/domains").body()).contains("Nothing changed: no such domain: nowhere.example");
    }
}
