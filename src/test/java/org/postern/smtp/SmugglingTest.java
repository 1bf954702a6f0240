package org.postern.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.postern.mime.Json;
import org.postern.testing.SmtpClient;
import org.postern.testing.TestServer;

/**
 * conformance/smtp-smuggling: one test per vector of vectors.json (run as its README says) and
 * per SMTP case of starttls-injection.json. Postern's policy for bare CR, bare LF and NUL in a
 * message is to refuse it (550 5.6.0), never to pass it on.
 */
class SmugglingTest {
    static final Path FOLDER = Path.of("conformance", "smtp-smuggling");
    static final String RCPT = "alice@postern.test";
    static final Pattern REPLY = Pattern.compile("(?m)^(\\d{3})[ -]");

    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir.resolve("strict"), true, RCPT);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static List<Map<String, Object>> cases(String file) throws Exception {
        Object json = Json.parse(Files.readString(FOLDER.resolve(file), StandardCharsets.UTF_8));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object c : Json.arr(Json.obj(json).get("cases"))) {
            out.add(Json.obj(c));
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> everyDataVector() throws Exception {
        List<Map<String, Object>> cases = cases("vectors.json");
        assertThat(cases).hasSize(18);
        return cases.stream().map(c -> DynamicTest.dynamicTest((String) c.get("id"), () -> run(c)));
    }

    static void run(Map<String, Object> c) throws Exception {
        String id = (String) c.get("id");
        String kind = (String) c.get("kind");
        byte[] data = ((String) c.get("data")).replace("${rcpt}", RCPT).replace("${id}", id)
                .getBytes(StandardCharsets.ISO_8859_1);
        int before = Mailboxes.inbox(server, RCPT).size();
        String replies;
        try (SmtpClient s = SmtpClient.plain(server.smtpPort())) {
            s.send("EHLO client.example").expect(250);
            s.send("MAIL FROM:<sender@client.example>").expect(250);
            s.send("RCPT TO:<" + RCPT + ">").expect(250);
            s.send("DATA").expect(354);
            if (Boolean.TRUE.equals(c.get("send_as_one_write"))) {
                s.writeRaw(data);
            } else {
                // all but the real terminator's ".\r\n": nothing may be answered yet
                int split = data.length - 3;
                s.writeRaw(java.util.Arrays.copyOf(data, split));
                assertThat(s.drain(500)).as("a reply before the real end of data").isEmpty();
                s.writeRaw(java.util.Arrays.copyOfRange(data, split, data.length));
            }
            replies = s.drain(1000);
            s.write("QUIT\r\n");
        }
        List<String> codes = new ArrayList<>();
        Matcher m = REPLY.matcher(replies);
        while (m.find()) {
            codes.add(m.group(1));
        }
        List<String> inbox = Mailboxes.inbox(server, RCPT);
        // a second message would have "SMUGGLED id" as its subject; as body text of the one message it is harmless
        assertThat(inbox).as("smuggled message").noneMatch(t -> t.substring(0, t.indexOf("\r\n\r\n"))
                .contains("Subject: SMUGGLED " + id));
        switch (kind) {
            case "control" -> {
                if (id.equals("control_pipelined_quit")) {
                    assertThat(codes).containsExactly("250", "221");
                } else {
                    assertThat(codes).containsExactly("250");
                }
                assertThat(inbox).hasSize(before + 1);
                String body = inbox.getLast().substring(inbox.getLast().indexOf("\r\n\r\n") + 4);
                assertThat(body).isEqualTo(id.equals("control_dot_stuffing")
                        ? "first body line\r\n.\r\n..leading dots\r\n. \r\nlast\r\n" : "first body line\r\n");
            }
            case "smuggling" -> {
                assertThat(codes).as(replies).hasSize(1);
                assertThat(codes.getFirst()).as(replies).isIn("250", "550");
                if (codes.getFirst().equals("250")) { // only the ". " and NUL-free cases can be accepted
                    assertThat(inbox).hasSize(before + 1);
                    assertThat(inbox.getLast()).contains("\r\nMAIL FROM:<smuggled@client.example>\r\n");
                } else {
                    assertThat(replies).startsWith("550 5.6.0 ");
                    assertThat(inbox).hasSize(before);
                }
            }
            case "policy" -> { // Postern refuses
                assertThat(replies).startsWith("550 5.6.0 ").contains("bare CR, bare LF or NUL");
                assertThat(codes).hasSize(1);
                assertThat(inbox).hasSize(before);
            }
            default -> throw new AssertionError("unknown kind " + kind);
        }
    }

    @TestFactory
    Stream<DynamicTest> everySmtpStarttlsInjectionCase() throws Exception {
        List<Map<String, Object>> smtp = cases("starttls-injection.json").stream()
                .filter(c -> c.get("protocol").equals("smtp")).toList();
        assertThat(smtp).extracting(c -> c.get("id")).containsExactly("smtp_starttls_pipelined_command", "smtp_starttls_after_auth");
        return smtp.stream().map(c -> DynamicTest.dynamicTest((String) c.get("id"), () -> {
            String write = (String) c.get("write");
            switch ((String) c.get("id")) {
                case "smtp_starttls_pipelined_command" -> {
                    try (SmtpClient s = SmtpClient.plain(server.smtpPort())) {
                        s.send("EHLO client.example").expect(250).contains("STARTTLS");
                        s.write(write); // STARTTLS and RSET in one write
                        s.read().expect(220);
                        s.upgrade();
                        assertThat(s.drain(1000)).as("a reply to the plaintext RSET inside TLS").isEmpty();
                        s.send("EHLO client.example").expect(250);
                    }
                }
                case "smtp_starttls_after_auth" -> {
                    try (SmtpClient s = SmtpClient.plain(server.submissionPort())) {
                        s.send("EHLO client.example").expect(250);
                        s.authPlain(RCPT, TestServer.PASSWORD).expect(235);
                        SmtpClient.Reply r = s.send(write.strip());
                        assertThat(r.code()).isBetween(500, 599);
                    }
                }
                default -> throw new AssertionError();
            }
        }));
    }
}
