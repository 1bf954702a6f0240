package org.postern.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testing.ImapClient;
import org.postern.testing.TestServer;

/** BINARY (RFC 3516): decoded FETCH, BINARY.SIZE, UNKNOWN-CTE and APPEND with literal8. */
@Timeout(60)
class BinaryTest {
    @TempDir
    static Path dir;
    static TestServer server;
    static final String MIXED = "Subject: parts\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
            + "--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            + "Caf=C3=A9 =\r\nau lait\r\n"
            + "--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\nAAECAw==\r\n"
            + "--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\nbegin 644 x\r\n"
            + "--b--\r\n";

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, false, "bin@example.org");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void decodesTransferEncodingsAndTakesLiteral8() throws Exception {
        try (ImapClient c = ImapClient.tls(server.imapsPort())) {
            c.readLine();
            c.login("bin@example.org", TestServer.PASSWORD);
            c.command("a0 CAPABILITY").expectUntaggedMatching("CAPABILITY .* BINARY.*");
            c.command("a1 APPEND INBOX {" + MIXED.length() + "+}\r\n" + MIXED).expectOk();
            byte[] head = "Subject: raw\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII);
            byte[] body = {0, 1, 2, (byte) 0xff, '\r', '\n'};
            c.sendRaw(("a2 APPEND INBOX ~{" + (head.length + body.length) + "+}\r\n").getBytes(StandardCharsets.US_ASCII));
            c.sendRaw(head);
            c.sendRaw(body);
            c.sendRaw("\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(c.readUntilTagged("a2").tagged).startsWith("a2 OK");
            c.command("a3 APPEND INBOX {8+}\r\nx: \u0000\r\n\r\n").expectBad(); // NUL only in a literal8 (RFC 9051 §4.3)
            c.command("a4 SELECT INBOX").expectUntagged("2 EXISTS");
            c.command("a5 FETCH 1 (BINARY.SIZE[1] BINARY.PEEK[1])")
                    .expectUntagged("1 FETCH (BINARY.SIZE[1] 13 BINARY[1] {13}\r\nCafé au lait)");
            c.command("a6 FETCH 1 (BINARY.PEEK[2] BINARY.SIZE[2])")
                    .expectUntagged("1 FETCH (BINARY[2] ~{4}\r\n\u0000\u0001\u0002\u0003 BINARY.SIZE[2] 4)");
            c.command("a7 FETCH 1 BINARY.PEEK[2]<1.2>").expectUntagged("1 FETCH (BINARY[2]<1> {2}\r\n\u0001\u0002)"); // no NUL: a plain literal
            c.command("a7b FETCH 1 BINARY.PEEK[2]<0.2>").expectUntagged("1 FETCH (BINARY[2]<0> ~{2}\r\n\u0000\u0001)");
            c.command("a8 FETCH 1 BINARY.PEEK[3]").expectNo("[UNKNOWN-CTE]");
            c.command("a9 FETCH 1 BINARY.SIZE[3]").expectNo("[UNKNOWN-CTE]");
            c.command("b1 FETCH 1 FLAGS").expectUntagged("1 FETCH (FLAGS ())"); // .PEEK left \Seen alone
            c.command("b2 FETCH 1 BINARY[1]").expectUntaggedMatching("1 FETCH \\(BINARY\\[1] \\{13}\r\nCafé au lait FLAGS \\(\\\\Seen\\)\\)");
            c.command("b3 FETCH 2 BINARY.SIZE[1]").expectUntagged("2 FETCH (BINARY.SIZE[1] 6)");
            var r = c.command("b4 FETCH 2 BINARY.PEEK[]").expectOk();
            assertThat(r.untagged.getFirst()).startsWith("* 2 FETCH (BINARY[] ~{" + (head.length + body.length) + "}\r\nSubject: raw");
            c.command("b5 FETCH 1 BINARY.PEEK[9]").expectOk();
        }
    }
}
