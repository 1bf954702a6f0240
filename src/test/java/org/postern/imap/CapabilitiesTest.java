package org.postern.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testing.ImapClient;
import org.postern.testing.TestServer;

/** What CAPABILITY lists after login, and the literal forms it promises. */
class CapabilitiesTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, false, "alice@example.org");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void literalPlusWithoutLiteralMinus() throws Exception {
        try (ImapClient c = ImapClient.tls(server.imapsPort())) {
            c.readLine();
            c.login("alice@example.org", TestServer.PASSWORD);
            List<String> caps = List.of(c.command("a1 CAPABILITY").expectOk().untagged.getFirst().split(" "));
            assertThat(caps).contains("LITERAL+", "CONDSTORE", "QRESYNC", "ESEARCH", "SEARCHRES", "UTF8=ACCEPT")
                    .doesNotContain("LITERAL-"); // RFC 7888 §5: never both; LITERAL+ is the larger promise
            // A non-synchronizing literal above LITERAL-'s 4096 bytes is taken without a continuation.
            String message = "Subject: x\r\n\r\n" + "x".repeat(5000);
            c.command("a2 APPEND INBOX {" + message.length() + "+}\r\n" + message).expectOk();
        }
    }
}
