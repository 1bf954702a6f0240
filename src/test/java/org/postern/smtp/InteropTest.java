package org.postern.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.store.SpecialUse;
import org.postern.testing.TestServer;

/**
 * Real clients against a real server: Angus Mail (Jakarta Mail) through 587 with STARTTLS and
 * 465, Python's smtplib and swaks. A missing program skips its test, unless
 * POSTERN_REQUIRE_INTEROP=1 (CI), where it fails.
 */
class InteropTest {
    static final String ALICE = "alice@postern.test";
    static final String BOB = "bob@postern.test";
    static final String PW = TestServer.PASSWORD;

    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, false, ALICE, BOB);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static void angus(Properties p, String subject) throws Exception {
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.auth", "true");
        p.put("mail.smtp.ssl.trust", "*");
        p.put("mail.smtp.connectiontimeout", "10000");
        p.put("mail.smtp.timeout", "10000");
        Session session = Session.getInstance(p);
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(ALICE, "Alice"));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(BOB));
        m.setSubject(subject);
        m.setText("Hello from Angus Mail, caf\u00e9.", "UTF-8");
        Transport.send(m, ALICE, PW);
    }

    @Test
    void angusMailThroughSubmissionWithStarttls() throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.port", Integer.toString(server.submissionPort()));
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
        angus(p, "angus 587");
        assertDelivered("Subject: angus 587");
    }

    @Test
    void angusMailThroughSubmissionsWithImplicitTls() throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.port", Integer.toString(server.submissionsPort()));
        p.put("mail.smtp.ssl.enable", "true");
        angus(p, "angus 465");
        assertDelivered("Subject: angus 465");
    }

    @Test
    void angusMailWithAWrongPasswordGets535() throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", Integer.toString(server.submissionsPort()));
        p.put("mail.smtp.ssl.enable", "true");
        p.put("mail.smtp.ssl.trust", "*");
        p.put("mail.smtp.auth", "true");
        Session session = Session.getInstance(p);
        try (Transport t = session.getTransport("smtp")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> t.connect(ALICE, "wrong-password"))
                    .hasMessageContaining("535 5.7.8 Username and Password not accepted");
        }
    }

    @Test
    void pythonSmtplib() throws Exception {
        String script = String.join("\n",
                "import smtplib, ssl, sys",
                "ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE",
                "msg = 'From: " + ALICE + "\\r\\nTo: " + BOB + "\\r\\nSubject: python SUBJ\\r\\n\\r\\nHello from smtplib.\\r\\n'",
                "with smtplib.SMTP('127.0.0.1', int(sys.argv[1]), timeout=20) as s:",
                "    s.starttls(context=ctx); s.login('" + ALICE + "', '" + PW + "')",
                "    s.sendmail('" + ALICE + "', ['" + BOB + "'], msg.replace('SUBJ', '587'))",
                "with smtplib.SMTP_SSL('127.0.0.1', int(sys.argv[2]), context=ctx, timeout=20) as s:",
                "    s.login('" + ALICE + "', '" + PW + "')",
                "    s.sendmail('" + ALICE + "', ['" + BOB + "'], msg.replace('SUBJ', '465'))",
                "with smtplib.SMTP('127.0.0.1', int(sys.argv[3]), timeout=20) as s:",
                "    s.ehlo(); assert s.has_extn('chunking') and s.has_extn('smtputf8') and not s.has_extn('auth')",
                "    s.sendmail('someone@remote.example', ['" + BOB + "'], msg.replace('SUBJ', 'mx'))",
                "    try:",
                "        s.sendmail('someone@remote.example', ['victim@remote.example'], msg)",
                "        sys.exit('relayed')",
                "    except smtplib.SMTPRecipientsRefused as e:",
                "        assert e.recipients['victim@remote.example'][0] == 550",
                "print('ok')");
        Result r = run("python3", "-c", script, Integer.toString(server.submissionPort()),
                Integer.toString(server.submissionsPort()), Integer.toString(server.smtpPort()));
        assertThat(r.exit()).as(r.output()).isZero();
        assertDelivered("Subject: python 587");
        assertDelivered("Subject: python 465");
        assertDelivered("Subject: python mx");
    }

    @Test
    void swaks() throws Exception {
        Result sub = run("swaks", "--server", "127.0.0.1:" + server.submissionPort(), "--tls", "--auth", "PLAIN",
                "--auth-user", ALICE, "--auth-password", PW, "--from", ALICE, "--to", BOB,
                "--header", "Subject: swaks 587", "--body", "Hello from swaks.", "--pipeline", "--timeout", "20");
        assertThat(sub.exit()).as(sub.output()).isZero();
        assertThat(sub.output()).contains("250 2.0.0 OK");
        Result tlsc = run("swaks", "--server", "127.0.0.1:" + server.submissionsPort(), "--tlsc", "--auth", "LOGIN",
                "--auth-user", ALICE, "--auth-password", PW, "--from", ALICE, "--to", BOB,
                "--header", "Subject: swaks 465", "--timeout", "20");
        assertThat(tlsc.exit()).as(tlsc.output()).isZero();
        Result relay = run("swaks", "--server", "127.0.0.1:" + server.smtpPort(), "--from", "a@remote.example",
                "--to", "victim@remote.example", "--timeout", "20");
        assertThat(relay.exit()).as(relay.output()).isNotZero();
        assertThat(relay.output()).contains("550 5.7.1 <victim@remote.example>: Relay access denied");
        assertDelivered("Subject: swaks 587");
        assertDelivered("Subject: swaks 465");
    }

    static void assertDelivered(String subjectLine) throws Exception {
        assertThat(Mailboxes.inbox(server, BOB)).anyMatch(m -> m.contains(subjectLine));
        if (!subjectLine.endsWith("mx")) {
            assertThat(Mailboxes.texts(server, ALICE, SpecialUse.SENT)).anyMatch(m -> m.contains(subjectLine));
        }
    }

    record Result(int exit, String output) {}

    static Result run(String... command) throws Exception {
        boolean required = "1".equals(System.getenv("POSTERN_REQUIRE_INTEROP"));
        if (!onPath(command[0])) {
            assertThat(required).as(command[0] + " is required (POSTERN_REQUIRE_INTEROP=1) but not installed").isFalse();
            assumeTrue(false, command[0] + " is not installed");
        }
        List<String> cmd = new ArrayList<>(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                p.getInputStream().transferTo(out); // read while it runs: a full pipe would stall it
            } catch (java.io.IOException ignored) {
                // the process was killed
            }
        });
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
            throw new AssertionError(command[0] + " did not finish within 60 s");
        }
        reader.join(5000);
        synchronized (out) {
            return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
        }
    }

    static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(d, program).canExecute()) {
                return true;
            }
        }
        return false;
    }
}
