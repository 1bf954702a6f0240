package org.postern.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.eclipse.angus.mail.pop3.POP3Folder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testing.Pop3Client;
import org.postern.testing.TestServer;

/**
 * Real clients against a real server with a 500-message INBOX: Angus Mail's POP3 provider, and
 * the programs people use — Python's poplib, curl and fetchmail — run as processes.
 */
class Pop3InteropTest {
    static final int N = 500;
    static final String PW = TestServer.PASSWORD;
    static final Duration LIMIT = Duration.ofMinutes(3);
    static final Set<Integer> ALL = IntStream.rangeClosed(1, N).boxed().collect(Collectors.toSet());

    @TempDir
    static Path dir;
    static TestServer server;
    static String angus;
    static String angusTls;
    static String python;
    static String curl;
    static String fetchmail;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir.resolve("server"), false);
        angus = Pop3Fixtures.account(server, "angus");
        angusTls = Pop3Fixtures.account(server, "angustls");
        python = Pop3Fixtures.account(server, "python");
        curl = Pop3Fixtures.account(server, "curl");
        fetchmail = Pop3Fixtures.account(server, "fetchmail");
        Pop3Fixtures.deliverMany(server, "bulk", 1, N, angus, python, curl, fetchmail);
        Pop3Fixtures.deliver(server, "Subject: dots\r\n\r\n.first\r\n..second\r\nlast\r\n", angusTls);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The bulk numbers in the subjects found in {@code text}. */
    static Set<Integer> bulkNumbers(String text) {
        Set<Integer> out = new HashSet<>();
        Matcher m = Pattern.compile("(?m)^Subject: bulk (\\d+)\\r?$").matcher(text);
        while (m.find()) {
            out.add(Integer.parseInt(m.group(1)));
        }
        return out;
    }

    static int offeredNow(String account) throws Exception {
        try (Pop3Client c = Pop3Client.tlsGreeted(server.pop3sPort())) {
            c.login(account, PW);
            return Integer.parseInt(c.ok("STAT").split(" ")[1]);
        }
    }

    static Session angusSession(String protocol) {
        Properties p = new Properties();
        p.put("mail." + protocol + ".ssl.trust", "*");
        p.put("mail." + protocol + ".connectiontimeout", "10000");
        p.put("mail." + protocol + ".timeout", "30000");
        if (protocol.equals("pop3")) {
            p.put("mail.pop3.starttls.enable", "true");
            p.put("mail.pop3.starttls.required", "true");
        }
        return Session.getInstance(p);
    }

    @Test
    void angusMailListsReadsAndDeletes() throws Exception {
        Store store = angusSession("pop3s").getStore("pop3s");
        store.connect("127.0.0.1", server.pop3sPort(), angus, PW);
        Folder inbox = store.getFolder("INBOX");
        inbox.open(Folder.READ_WRITE);
        assertThat(inbox.getMessageCount()).isEqualTo(N);
        Message[] messages = inbox.getMessages();
        Set<Integer> subjects = new HashSet<>();
        Set<String> uids = new HashSet<>();
        for (Message m : messages) {
            subjects.add(Integer.parseInt(m.getSubject().substring("bulk ".length()))); // headers only: TOP
            uids.add(((POP3Folder) inbox).getUID(m));
        }
        assertThat(subjects).isEqualTo(ALL);
        assertThat(uids).hasSize(N);
        for (int i = 0; i < 20; i++) { // the whole message: RETR
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            messages[i].writeTo(raw);
            assertThat(raw.toString(StandardCharsets.UTF_8)).contains("This is message ");
        }
        for (int i = 20; i < 25; i++) {
            messages[i].setFlag(Flags.Flag.DELETED, true);
        }
        inbox.close(true); // DELE ... QUIT
        store.close();
        assertThat(offeredNow(angus)).as("20 retrieved and 5 deleted are not offered again").isEqualTo(N - 25);
        assertThat(server.services().store().messages(Pop3Fixtures.inbox(server, angus))).hasSize(N); // kept in INBOX
    }

    @Test
    void angusMailOverStlsReadsDotStuffedLines() throws Exception {
        Store store = angusSession("pop3").getStore("pop3");
        store.connect("127.0.0.1", server.pop3Port(), angusTls, PW);
        Folder inbox = store.getFolder("INBOX");
        inbox.open(Folder.READ_ONLY);
        assertThat(inbox.getMessageCount()).isEqualTo(1);
        assertThat(inbox.getMessage(1).getContent().toString()).isEqualTo(".first\r\n..second\r\nlast\r\n");
        inbox.close(false);
        store.close();
    }

    @Test
    void pythonPoplibRetrievesTheMailbox() throws Exception {
        String py = ExternalProgram.require("python3");
        String script = """
                import poplib, ssl, sys
                ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
                p = poplib.POP3_SSL("127.0.0.1", int(sys.argv[1]), context=ctx, timeout=30)
                caps = p.capa()
                assert "UIDL" in caps and "TOP" in caps and "USER" in caps, caps
                p.user(sys.argv[2]); p.pass_(sys.argv[3])
                count, octets = p.stat()
                print("STAT", count, octets)
                uids = set(line.split()[1] for line in p.uidl()[1])
                print("UIDS", len(uids))
                for n in range(1, count + 1):
                    resp, lines, size = p.retr(n)
                    for line in lines:
                        if line.startswith(b"Subject: "):
                            print(line.decode())
                print("QUIT", p.quit().decode())
                """;
        ExternalProgram.Result r = ExternalProgram.run(List.of(py, "-", String.valueOf(server.pop3sPort()), python, PW),
                script, dir, Map.of(), LIMIT);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("STAT " + N + " ").contains("UIDS " + N).contains("QUIT +OK");
        assertThat(bulkNumbers(r.out())).isEqualTo(ALL);
        assertThat(offeredNow(python)).isZero();
    }

    @Test
    void curlListsAndRetrievesTheMailbox() throws Exception {
        String bin = ExternalProgram.require("curl");
        Path out = Files.createDirectories(dir.resolve("curl"));
        String base = "pop3s://127.0.0.1:" + server.pop3sPort() + "/";
        List<String> common = List.of(bin, "-sS", "-k", "--max-time", "120", "-u", curl + ":" + PW);
        ExternalProgram.Result list = ExternalProgram.run(concat(common, base), null, out, Map.of(), LIMIT);
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out().lines()).hasSize(N).allMatch(l -> l.matches("\\d+ \\d+"));
        // One process, one connection reused for all 500 (a second one would get [IN-USE]).
        ExternalProgram.Result retr = ExternalProgram.run(concat(common, base + "[1-" + N + "]", "-o", "msg_#1"),
                null, out, Map.of(), LIMIT);
        assertThat(retr.exitCode()).as(retr.err()).isZero();
        StringBuilder all = new StringBuilder();
        for (int i = 1; i <= N; i++) {
            all.append(Files.readString(out.resolve("msg_" + i), StandardCharsets.UTF_8));
        }
        assertThat(bulkNumbers(all.toString())).isEqualTo(ALL);
    }

    @Test
    void fetchmailDownloadsTheMailboxIntoAnMda() throws Exception {
        String bin = ExternalProgram.require("fetchmail");
        Path home = Files.createDirectories(dir.resolve("fetchmail"));
        Path mbox = home.resolve("mbox");
        Path rc = home.resolve("fetchmailrc");
        Files.writeString(rc, """
                set no syslog
                poll 127.0.0.1 service %d protocol pop3 uidl timeout 60:
                  user "%s" there with password "%s" is "localuser" here
                  ssl no sslcertck
                  fetchall
                  mda "/bin/sh -c 'cat >> %s'"
                """.formatted(server.pop3sPort(), fetchmail, PW, mbox));
        Files.setPosixFilePermissions(rc, PosixFilePermissions.fromString("rw-------")); // fetchmail insists
        ExternalProgram.Result r = ExternalProgram.run(List.of(bin, "-f", rc.toString(), "--nodetach", "-v"),
                null, home, Map.of("FETCHMAILHOME", home.toString(), "HOME", home.toString()), LIMIT);
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(bulkNumbers(Files.readString(mbox, StandardCharsets.UTF_8))).isEqualTo(ALL);
        assertThat(r.out() + r.err()).contains("DELE " + N).contains("QUIT");
        assertThat(offeredNow(fetchmail)).isZero();
        // fetchmail deleted everything; with "keep" (the default) Postern's INBOX still has it all.
        assertThat(server.services().store().messages(Pop3Fixtures.inbox(server, fetchmail))).hasSize(N);
    }

    private static List<String> concat(List<String> a, String... more) {
        return java.util.stream.Stream.concat(a.stream(), java.util.Arrays.stream(more)).toList();
    }
}
