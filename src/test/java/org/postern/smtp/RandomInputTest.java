package org.postern.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testing.SmtpClient;
import org.postern.testing.TestServer;

/** Random input never breaks the parser or a session: a reply for every line, or a 421 and a close. */
class RandomInputTest {
    static final String ALPHABET = "MAILFROM:RCPTTO<>@\"\\.,%![]: =-SIZEBODYAUTHBDATLAST0123456789abcxyz\u00e9\u00ff\t";
    static final String[] VERBS = {"MAIL FROM:", "RCPT TO:", "EHLO ", "BDAT ", "AUTH ", "DATA", "STARTTLS", ""};

    static String randomLine(Random r) {
        StringBuilder sb = new StringBuilder(VERBS[r.nextInt(VERBS.length)]);
        int n = r.nextInt(40);
        for (int i = 0; i < n; i++) {
            sb.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    @Test
    void theParserAnswersEveryLineWithACommandOrAReply() {
        Random r = new Random(4);
        for (int i = 0; i < 50_000; i++) {
            String line = randomLine(r);
            try {
                assertThat(CommandParser.parse(line, "mx.example")).isNotNull();
            } catch (SmtpException e) {
                assertThat(e.reply().code()).as(line).isBetween(500, 599);
            }
        }
    }

    @TempDir
    Path dir;

    @Test
    void sessionsSurviveRandomCommands() throws Exception {
        Random r = new Random(7);
        try (TestServer server = TestServer.start(dir, false, "alice@postern.test")) {
            for (int session = 0; session < 20; session++) {
                try (SmtpClient c = SmtpClient.plain(server.smtpPort())) {
                    c.ehlo();
                    c.send("MAIL FROM:<a@remote.example>").expect(250);
                    for (int i = 0; i < 15; i++) {
                        String line = randomLine(r);
                        if (line.startsWith("BDAT") || line.startsWith("DATA") || line.startsWith("STARTTLS")) {
                            continue; // these change the framing; covered by their own tests
                        }
                        SmtpClient.Reply reply = c.send(line);
                        assertThat(reply.code()).as(line).isIn(250, 334, 501, 502, 503, 500, 550, 553, 555, 552);
                        if (reply.code() == 334) {
                            c.send("*").expect(501);
                        }
                    }
                    c.send("RSET").expect(250);
                }
            }
        }
    }
}
