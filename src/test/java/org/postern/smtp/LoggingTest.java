package org.postern.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testing.SmtpClient;
import org.postern.testing.TestServer;
import org.slf4j.LoggerFactory;

/** One log line per transaction (sender, recipient count, size, result); never a password or a body. */
class LoggingTest {
    @TempDir
    Path dir;

    @Test
    void oneLinePerTransactionAndNoSecrets() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level level = root.getLevel();
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        root.addAppender(events);
        root.setLevel(Level.INFO);
        try (TestServer server = TestServer.start(dir, false, "alice@postern.test")) {
            try (SmtpClient c = SmtpClient.tls(server.submissionsPort())) {
                c.ehlo();
                c.authPlain("alice@postern.test", "Wrong-Secret-77").expect(535);
                c.authPlain("alice@postern.test", TestServer.PASSWORD).expect(235);
                c.mail("alice@postern.test", List.of("alice@postern.test", "friend@remote.example"),
                        "From: alice@postern.test\r\nSubject: Top-Secret-Subject\r\n\r\nTop-Secret-Body\r\n").expect(250);
                c.send("MAIL FROM:<alice@postern.test>").expect(250);
                c.send("RCPT TO:<alice@postern.test>").expect(250);
                c.data("From: mallory@evil.example\r\n\r\nx\r\n").expect(553);
            }
        } finally {
            root.detachAppender(events);
            root.setLevel(level);
        }
        List<String> lines = events.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        List<String> transactions = lines.stream().filter(l -> l.contains(" transaction from=")).toList();
        assertThat(transactions).hasSize(2);
        assertThat(transactions.get(0)).matches("\\[smtp] submissions-127\\.0\\.0\\.1:\\d+ transaction "
                + "from=<alice@postern\\.test> recipients=2 size=\\d+ result=250 2\\.0\\.0 OK \\w+");
        assertThat(transactions.get(1)).contains("recipients=1").contains("result=553 5.7.1");
        assertThat(lines).noneMatch(l -> l.contains(TestServer.PASSWORD) || l.contains("Wrong-Secret-77")
                || l.contains("Top-Secret") || l.contains("mallory"));
    }
}
