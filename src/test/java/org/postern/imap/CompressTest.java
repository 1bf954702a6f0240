package org.postern.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testing.ImapClient;
import org.postern.testing.TestServer;

/** COMPRESS=DEFLATE (RFC 4978) with a client that deflates and inflates. */
@Timeout(60)
class CompressTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, false, "zip@example.org");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void bothDirectionsAreDeflatedAfterTheOk() throws Exception {
        String body = "All work and no play makes Jack a dull boy.\r\n".repeat(2000); // 90,000 bytes
        String message = "Subject: long\r\n\r\n" + body;
        try (ImapClient c = ImapClient.tls(server.imapsPort())) {
            c.readLine();
            c.command("a0 COMPRESS DEFLATE").expectBad(); // not before login
            c.login("zip@example.org", TestServer.PASSWORD);
            c.command("a1 CAPABILITY").expectUntaggedMatching("CAPABILITY .*COMPRESS=DEFLATE.*");
            c.command("a2 COMPRESS GZIP").expectBad();
            c.command("a3 COMPRESS DEFLATE").expectOk();
            AtomicLong compressedIn = c.compress();
            c.command("a4 APPEND INBOX {" + message.length() + "+}\r\n" + message).expectOk();
            c.command("a5 SELECT INBOX").expectUntagged("1 EXISTS").expectOk();
            var r = c.command("a6 FETCH 1 BODY.PEEK[TEXT]").expectOk();
            assertThat(r.untagged.getFirst()).isEqualTo("* 1 FETCH (BODY[TEXT] {" + body.length() + "}\r\n" + body + ")");
            assertThat(compressedIn.get()).as("compressed bytes read").isPositive().isLessThan(body.length() / 10);
            c.command("a7 COMPRESS DEFLATE").expectNo("[COMPRESSIONACTIVE]");
            // pipelined commands inflate one after another
            c.send("b1 NOOP\r\nb2 SEARCH BODY Jack\r\nb3 NOOP");
            c.readUntilTagged("b1").expectOk();
            c.readUntilTagged("b2").expectUntagged("SEARCH 1").expectOk();
            c.readUntilTagged("b3").expectOk();
            c.command("b4 LOGOUT").expectUntaggedMatching("BYE .*").expectOk();
        }
    }
}
