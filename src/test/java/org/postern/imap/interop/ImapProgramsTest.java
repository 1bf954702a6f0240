package org.postern.imap.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.delivery.LocalDelivery;
import org.postern.store.Mailbox;
import org.postern.testing.Programs;
import org.postern.testing.TestServer;

/**
 * Real IMAP clients against a running Postern (issue 3): Python's imaplib, curl, and mbsync
 * syncing a 1,000-message mailbox both ways, then again with nothing to transfer.
 */
class ImapProgramsTest {
    @TempDir
    static Path dir;
    static TestServer server;
    static final String PW = TestServer.PASSWORD;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir.resolve("data"), false, "py@example.org", "curl@example.org", "sync@example.org");
        deliver("py@example.org", 3);
        deliver("curl@example.org", 2);
        deliver("sync@example.org", 1000);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /**
     * Delivers {@code n} distinct messages: a few in order (message k gets UID k), many at a
     * time (group commit) in any order.
     */
    static void deliver(String to, int n) throws Exception {
        try (ExecutorService pool = n <= 10 ? Executors.newSingleThreadExecutor() : Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                int k = i;
                futures.add(pool.submit(() -> {
                    String m = "From: Sender " + k + " <s" + k + "@example.net>\r\nTo: " + to + "\r\nSubject: Message " + k
                            + "\r\nMessage-ID: <m" + k + "." + to + ">\r\nDate: Thu, 26 Nov 2026 08:00:00 +0000\r\n\r\n"
                            + "Body of message " + k + ".\r\n" + "x".repeat(k % 50 * 40) + "\r\n";
                    server.services().delivery().deliver(new ByteArrayInputStream(m.getBytes(StandardCharsets.UTF_8)),
                            List.of(to), LocalDelivery.Folder.INBOX);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
    }

    @Test
    void pythonImaplibDoesItsOrdinaryJob() throws Exception {
        String script = """
                import imaplib, ssl, sys
                c = ssl.create_default_context(); c.check_hostname = False; c.verify_mode = ssl.CERT_NONE
                m = imaplib.IMAP4_SSL("127.0.0.1", int(sys.argv[1]), ssl_context=c, timeout=20)
                m.login("py@example.org", sys.argv[2])
                typ, boxes = m.list(); assert typ == "OK" and any(b'"Sent"' in b for b in boxes), boxes
                typ, n = m.select("INBOX"); assert n == [b"3"], n
                typ, hits = m.search(None, "SUBJECT", '"Message 2"'); assert hits == [b"2"], hits
                typ, data = m.fetch("2", "(RFC822)"); assert b"Body of message 2." in data[0][1]
                typ, data = m.store("1:2", "+FLAGS", "(\\\\Flagged)"); assert typ == "OK"
                typ, data = m.append("Drafts", "(\\\\Draft)", None, b"Subject: draft\\r\\n\\r\\nhello\\r\\n"); assert typ == "OK", data
                typ, data = m.uid("SEARCH", None, "FLAGGED"); assert data == [b"1 2"], data
                typ, data = m.uid("MOVE", "3", "Archive"); assert typ == "OK", data
                m.expunge(); m.close(); m.logout()
                print("imaplib ok")
                """;
        Programs.Result r = Programs.run(List.of("python3", "-", Integer.toString(server.imapsPort()), PW), script, null, 60);
        assertThat(r.output()).as(r.output()).contains("imaplib ok");
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void curlListsAndFetchesOverImaps() throws Exception {
        String base = "imaps://127.0.0.1:" + server.imapsPort() + "/";
        Programs.Result list = Programs.run(List.of("curl", "-sS", "-k", "--max-time", "30", "--user", "curl@example.org:" + PW, base),
                null, null, 60);
        assertThat(list.exitCode()).as(list.output()).isZero();
        assertThat(list.output()).contains("\"INBOX\"").contains("\"Sent\"");
        Programs.Result fetch = Programs.run(List.of("curl", "-sS", "-k", "--max-time", "30", "--user", "curl@example.org:" + PW,
                base + "INBOX;UID=2"), null, null, 60);
        assertThat(fetch.exitCode()).as(fetch.output()).isZero();
        assertThat(fetch.output()).contains("Subject: Message 2").contains("Body of message 2.");
        Programs.Result wrong = Programs.run(List.of("curl", "-sS", "-k", "--max-time", "30", "--user", "curl@example.org:wrong", base),
                null, null, 60);
        assertThat(wrong.exitCode()).isNotZero();
    }

    @Test
    void mbsyncSyncsAThousandMessagesBothWaysThenHasNothingToDo() throws Exception {
        Path home = dir.resolve("mbsync");
        Path maildir = home.resolve("mail");
        Files.createDirectories(maildir);
        Path rc = home.resolve("mbsyncrc");
        Files.writeString(rc, """
                IMAPAccount postern
                Host 127.0.0.1
                Port %d
                User sync@example.org
                Pass %s
                SSLType IMAPS
                CertificateFile %s
                SystemCertificates no

                IMAPStore remote
                Account postern

                MaildirStore local
                Path %s/
                Inbox %s/INBOX
                SubFolders Verbatim

                Channel sync
                Far :remote:
                Near :local:
                Patterns INBOX
                Create Both
                Expunge Both
                SyncState *
                """.formatted(server.imapsPort(), PW, server.dataDir.resolve("tls/fullchain.pem"), maildir, maildir));
        Programs.Result first = Programs.run(List.of("mbsync", "-c", rc.toString(), "-V", "sync"), null, home, 300);
        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(countFiles(maildir.resolve("INBOX"))).isEqualTo(1000);

        // Ten new messages on this side travel up with the next sync.
        Path cur = maildir.resolve("INBOX/cur");
        for (int i = 1; i <= 10; i++) {
            Files.writeString(cur.resolve("local" + i + ":2,S"), "From: me@example.org\r\nSubject: Written offline " + i + "\r\n\r\nhi\r\n");
        }
        Programs.Result second = Programs.run(List.of("mbsync", "-c", rc.toString(), "-V", "sync"), null, home, 300);
        assertThat(second.exitCode()).as(second.output()).isZero();
        long inbox = server.services().store().mailbox(
                server.services().directory().account("sync@example.org").orElseThrow().id(), Mailbox.INBOX).orElseThrow().id();
        assertThat(server.services().store().messages(inbox)).hasSize(1010);

        List<String> before = listing(maildir.resolve("INBOX"));
        long modSeqBefore = server.services().store().mailbox(inbox).highestModSeq();
        Programs.Result third = Programs.run(List.of("mbsync", "-c", rc.toString(), "-V", "sync"), null, home, 300);
        assertThat(third.exitCode()).as(third.output()).isZero();
        // Nothing to transfer: not a file changed here, not a message added or touched there.
        assertThat(listing(maildir.resolve("INBOX"))).isEqualTo(before).hasSize(1010);
        assertThat(server.services().store().messages(inbox)).hasSize(1010);
        assertThat(server.services().store().mailbox(inbox).highestModSeq()).isEqualTo(modSeqBefore);
    }

    /** The Maildir's files with their sizes and times, to see whether a sync changed anything. */
    private static List<String> listing(Path maildirFolder) throws Exception {
        List<String> out = new ArrayList<>();
        for (String sub : List.of("cur", "new")) {
            Path p = maildirFolder.resolve(sub);
            if (Files.isDirectory(p)) {
                try (Stream<Path> files = Files.list(p)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        out.add(sub + "/" + f.getFileName() + " " + Files.size(f) + " " + Files.getLastModifiedTime(f));
                    }
                }
            }
        }
        java.util.Collections.sort(out);
        return out;
    }

    private static long countFiles(Path maildirFolder) throws Exception {
        long n = 0;
        for (String sub : List.of("cur", "new")) {
            Path p = maildirFolder.resolve(sub);
            if (Files.isDirectory(p)) {
                try (Stream<Path> files = Files.list(p)) {
                    n += files.count();
                }
            }
        }
        return n;
    }
}
