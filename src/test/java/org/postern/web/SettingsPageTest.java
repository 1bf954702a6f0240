package org.postern.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postern.delivery.LocalDelivery;
import org.postern.server.ListenerName;
import org.postern.store.ImapOptions;
import org.postern.store.Mailbox;
import org.postern.store.MailStore;
import org.postern.store.PopSettings;
import org.postern.store.SpecialUse;
import org.postern.store.StoredMessage;
import org.postern.testing.ImapClient;
import org.postern.testing.TestServer;

/** Gmail's "Forwarding and POP/IMAP" tab: what Save Changes stores, and that it acts at once. */
@Timeout(60)
class SettingsPageTest {
    static final String ALICE = "alice@example.org";
    static final String BOB = "bob@example.org";

    @TempDir
    Path dir;

    TestServer server;
    WebClient web;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.startWithWeb(dir, Map.of(), ALICE, BOB);
        web = new WebClient(base());
        web.signIn(ALICE, TestServer.PASSWORD);
    }

    String base() {
        return "https://127.0.0.1:" + server.address(ListenerName.HTTPS).getPort();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    long id(String email) {
        return server.services().directory().account(email).orElseThrow().id();
    }

    @Test
    void thePageShowsGmailsSectionsAndTheClientSettings() throws Exception {
        String page = web.open("/settings").body();
        assertThat(page).containsSubsequence("<h2 id=\"forwarding\">Forwarding</h2>", "<h2 id=\"pop\">POP download</h2>",
                "<h2 id=\"imap\">IMAP access</h2>", "Configure your email client");
        assertThat(page).contains("Auto-Expunge on").contains("Archive the message").contains("Move the message to the Trash")
                .contains("Immediately delete the message forever").contains("Do not limit the number of messages")
                .contains("Enable POP for all mail").contains("Enable POP for mail that arrives from now on")
                .contains("<td>Incoming mail (IMAP)</td><td><code>localhost</code></td><td>" + server.imapsPort() + "</td><td>SSL/TLS</td>")
                .contains("<td>Outgoing mail (SMTP)</td><td><code>localhost</code></td><td>" + server.submissionsPort() + "</td>")
                .contains("<code>" + ALICE + "</code>");
    }

    @Test
    void saveChangesStoresEveryChoice() throws Exception {
        HttpResponse<String> r = web.post("/settings", Map.of("imap", "on", "auto-expunge", "off", "expunge", "trash",
                "limit", "on", "limit-count", "2000", "pop", "new", "pop-after", "archive"));
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(server.services().directory().imapOptions(id(ALICE)))
                .isEqualTo(new ImapOptions(false, ImapOptions.ExpungeAction.TRASH, 2000));
        PopSettings pop = server.services().directory().popSettings(id(ALICE));
        assertThat(pop.newMailOnly()).isTrue();
        assertThat(pop.after()).isEqualTo(PopSettings.AfterDownload.ARCHIVE);
        String page = web.open("/settings").body();
        assertThat(page).contains("Your preferences have been saved.")
                .contains("id=\"expunge-trash\" name=\"expunge\" value=\"trash\" checked")
                .contains("id=\"auto-expunge-off\" name=\"auto-expunge\" value=\"off\" checked")
                .contains("<option value=\"2000\" selected>")
                .contains("id=\"pop-new\" name=\"pop\" value=\"new\" checked");
    }

    @Test
    void aBadValueSavesNothingAndSaysWhich() throws Exception {
        HttpResponse<String> r = web.post("/settings", Map.of("imap", "off", "expunge", "shred"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("Nothing was saved: the value of &#39;expunge&#39; is not one of the choices");
        assertThat(server.services().directory().account(ALICE).orElseThrow().imapEnabled()).isTrue();
        assertThat(web.post("/settings", Map.of("limit", "on", "limit-count", "-5")).statusCode()).isEqualTo(400);
        assertThat(web.post("/settings", Map.of("forward", "on", "forward-to", "mallory@example.net")).body())
                .contains("mallory@example.net is not a confirmed forwarding address");
        assertThat(server.services().directory().forwarding(id(ALICE)).on()).isFalse();
    }

    @Test
    void switchingImapOffEndsConnectedSessionsAndLaterLoginsGetGmailsText() throws Exception {
        try (ImapClient imap = ImapClient.tls(server.imapsPort())) {
            imap.readLine();
            imap.login(ALICE, TestServer.PASSWORD);
            imap.command("s SELECT INBOX").expectOk();
            assertThat(web.post("/settings", Map.of("imap", "off")).statusCode()).isEqualTo(303);
            imap.awaitBye(20_000);
        }
        try (ImapClient imap = ImapClient.tls(server.imapsPort())) {
            imap.readLine();
            imap.command("a LOGIN " + ALICE + " \"" + TestServer.PASSWORD + "\"")
                    .expectNo("[ALERT] Your account is not enabled for IMAP use. Please visit your settings page");
        }
        web.post("/settings", Map.of("imap", "on"));
        try (ImapClient imap = ImapClient.tls(server.imapsPort())) {
            imap.readLine();
            imap.login(ALICE, TestServer.PASSWORD);
        }
    }

    @Test
    void aSavedExpungeActionReachesASessionAlreadyConnected() throws Exception {
        deliver(ALICE, "first");
        try (ImapClient imap = ImapClient.tls(server.imapsPort())) {
            imap.readLine();
            imap.login(ALICE, TestServer.PASSWORD);
            imap.command("s SELECT INBOX").expectOk();
            web.post("/settings", Map.of("auto-expunge", "off", "expunge", "trash"));
            imap.command("f UID STORE 1 +FLAGS (\\Deleted)").expectOk();
            imap.command("e EXPUNGE").expectOk();
        }
        assertThat(texts(ALICE, SpecialUse.TRASH)).anyMatch(t -> t.contains("first"));
    }

    @Test
    void forwardingIsConfirmedByAMailedLinkAndThenForwardsACopy() throws Exception {
        HttpResponse<String> add = web.post("/settings/forwarding/add", Map.of("forward-address", BOB));
        assertThat(add.statusCode()).isEqualTo(303);
        assertThat(web.open("/settings").body()).contains("A confirmation link was sent to " + BOB)
                .contains("waiting for the link mailed to it");
        List<String> bobs = texts(BOB, null);
        assertThat(bobs).hasSize(1);
        String mail = bobs.getFirst();
        assertThat(mail).contains("Subject: Confirm forwarding from " + ALICE).contains("Auto-Submitted: auto-generated");
        var m = java.util.regex.Pattern.compile("https://\\S+(/forwarding/confirm\\?token=[A-Za-z0-9_-]+)").matcher(mail);
        assertThat(m.find()).isTrue();

        // Not confirmed yet: forwarding cannot go on.
        assertThat(web.post("/settings", Map.of("forward", "on", "forward-to", BOB)).statusCode()).isEqualTo(400);

        // Bob follows the link in his own browser, not signed in.
        WebClient bob = new WebClient(base());
        assertThat(bob.get(m.group(1)).body()).contains("Confirm forwarding");
        assertThat(bob.post("/forwarding/confirm", Map.of("token", "forged-token")).statusCode()).isEqualTo(404);
        String token = m.group(1).substring(m.group(1).indexOf('=') + 1);
        HttpResponse<String> ok = bob.post("/forwarding/confirm", Map.of("token", token));
        assertThat(ok.body()).contains(ALICE + " may now forward mail to " + BOB);
        assertThat(bob.post("/forwarding/confirm", Map.of("token", token)).statusCode()).as("a link works once").isEqualTo(404);

        assertThat(web.post("/settings", Map.of("forward", "on", "forward-to", BOB, "forward-keep", "archive")).statusCode()).isEqualTo(303);
        deliver(ALICE, "forward me");
        assertThat(texts(BOB, null)).anyMatch(t -> t.contains("forward me"));
        assertThat(texts(ALICE, null)).noneMatch(t -> t.contains("forward me"));
        assertThat(texts(ALICE, SpecialUse.ARCHIVE)).anyMatch(t -> t.contains("forward me"));

        web.post("/settings/forwarding/remove", Map.of("address", BOB));
        assertThat(server.services().directory().forwarding(id(ALICE)).on()).isFalse();
    }

    @Test
    void anAddressThatIsNotOneIsRefused() throws Exception {
        web.post("/settings/forwarding/add", Map.of("forward-address", "not an address"));
        assertThat(web.open("/settings").body()).contains("That is not an email address: not an address");
        assertThat(server.services().directory().forwarding(id(ALICE)).addresses()).isEmpty();
    }

    void deliver(String to, String text) throws Exception {
        String message = "From: carol@example.net\r\nTo: " + to + "\r\nSubject: " + text + "\r\n\r\n" + text + "\r\n";
        server.services().delivery().deliver(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)), List.of(to),
                LocalDelivery.Folder.INBOX);
    }

    /** The messages in a folder of an account ({@code use} null: INBOX). */
    List<String> texts(String email, SpecialUse use) throws Exception {
        MailStore store = server.services().store();
        long account = id(email);
        Mailbox box = use == null ? store.mailbox(account, Mailbox.INBOX).orElseThrow()
                : store.mailboxes(account).stream().filter(x -> x.specialUse() == use).findFirst().orElseThrow();
        List<String> out = new ArrayList<>();
        for (StoredMessage m : store.messages(box.id())) {
            out.add(Files.readString(store.blobs().path(m.blob()), StandardCharsets.ISO_8859_1));
        }
        return out;
    }
}
