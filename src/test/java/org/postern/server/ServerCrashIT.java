package org.postern.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postern.delivery.AcknowledgedMail;
import org.postern.delivery.DeliveryLoopMain;

/**
 * DESIGN.md, Durability, at the level of the real server: {@code java -jar target/postern.jar
 * serve} is killed with SIGKILL 50 times at random moments while two SMTP clients deliver and two
 * IMAP clients APPEND as fast as they can. After each kill {@link AcknowledgedMail} checks that
 * every message the server acknowledged (SMTP 250 after DATA, APPEND OK) is there, whole and
 * once, that no UID went to another message and that {@code postern check} finds nothing but the
 * files of deliveries nobody acknowledged.
 * Runs after {@code package} (failsafe), since it needs the jar.
 */
class ServerCrashIT {
    static final String ACCOUNT = "alice@example.org";
    static final String PASSWORD = "Secret-Pass-1";
    static final int ROUNDS = Integer.getInteger("crash.rounds", 50);
    /** Replies that were neither the expected one nor a vanished server. */
    static final java.util.Queue<String> UNEXPECTED = new java.util.concurrent.ConcurrentLinkedQueue<>();

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void killedServersLoseNothingAcknowledged() throws Exception {
        Path data = dir.resolve("data");
        assertThat(Cli.run("init", "--data", data.toString(), "--hostname", "localhost").exitCode()).isZero();
        assertThat(Cli.runWithInput(PASSWORD + "\n", "account", "add", ACCOUNT, "--password-stdin", "--data", data.toString())
                .exitCode()).isZero();
        Path conf = data.resolve("postern.conf");
        Files.writeString(conf, Files.readString(conf).replace("auth.plaintext-on-loopback = no", "auth.plaintext-on-loopback = yes"));
        int smtpPort = freePort();
        int imapPort = freePort();
        AcknowledgedMail acknowledged = new AcknowledgedMail(data, ACCOUNT);
        Random random = new Random(20261126);
        long started = System.nanoTime();
        int sent = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            Process server = startServer(data, smtpPort, imapPort, round);
            Set<String> acks = ConcurrentHashMap.newKeySet();
            CountDownLatch firstAck = new CountDownLatch(1);
            List<Thread> clients = new ArrayList<>();
            for (int c = 1; c <= 2; c++) {
                String prefix = "r" + round + "-s" + c + "-";
                clients.add(Thread.ofVirtual().start(() -> smtpLoad(smtpPort, prefix, acks, firstAck)));
                String appendPrefix = "r" + round + "-a" + c + "-";
                clients.add(Thread.ofVirtual().start(() -> appendLoad(imapPort, appendPrefix, acks, firstAck)));
            }
            assertThat(firstAck.await(60, TimeUnit.SECONDS)).as("round %d: the server acknowledged something", round).isTrue();
            Thread.sleep(random.nextInt(0, 800));
            server.destroyForcibly(); // SIGKILL on Linux
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
            for (Thread t : clients) {
                assertThat(t.join(java.time.Duration.ofSeconds(30))).as("round %d: a client noticed the kill", round).isTrue();
            }
            assertThat(UNEXPECTED).as("round %d: replies", round).isEmpty();
            acknowledged.add(acks);
            sent += acks.size();
            acknowledged.verify(round);
        }
        System.out.printf("ServerCrashIT: %d kills, %d acknowledged messages, all present, in %d s%n",
                ROUNDS, sent, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
        assertThat(acknowledged.count()).isGreaterThan(ROUNDS * 2);
    }

    private Process startServer(Path data, int smtpPort, int imapPort, int round) throws Exception {
        Path jar = Path.of(System.getProperty("postern.jar", "target/postern.jar"));
        assertThat(jar).as("the jar (built by package)").exists();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                // A class-data archive made on the first start and a quick JIT make the 50 starts cheaper.
                "-XX:SharedArchiveFile=" + dir.resolve("postern.jsa"), "-XX:+AutoCreateSharedArchive", "-XX:TieredStopAtLevel=1",
                "-jar", jar.toString(), "serve", "--data", data.toString(),
                "--smtp", "127.0.0.1:" + smtpPort, "--imap", "127.0.0.1:" + imapPort));
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("serve.log").toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            assertThat(p.isAlive()).as("round %d: the server runs (see %s)", round, dir.resolve("serve.log")).isTrue();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", imapPort), 1000);
                return p;
            } catch (IOException notYet) {
                assertThat(System.nanoTime()).as("round %d: the server listens within 90 s", round).isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }

    /** MX deliveries, one after another on one connection, until the server is gone. */
    private static void smtpLoad(int port, String prefix, Set<String> acks, CountDownLatch firstAck) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            expect(in, "220");
            send(out, "EHLO load.example.net\r\n");
            expect(in, "250");
            for (int i = 1; ; i++) {
                String id = prefix + i;
                send(out, "MAIL FROM:<load@example.net>\r\n");
                expect(in, "250");
                send(out, "RCPT TO:<" + ACCOUNT + ">\r\n");
                expect(in, "250");
                send(out, "DATA\r\n");
                expect(in, "354");
                out.write(DeliveryLoopMain.message(id, i));
                send(out, ".\r\n");
                expect(in, "250");
                acks.add(id);
                firstAck.countDown();
            }
        } catch (IOException gone) {
            // the server was killed
        }
    }

    /** IMAP APPENDs (LITERAL+) on one connection until the server is gone. */
    private static void appendLoad(int port, String prefix, Set<String> acks, CountDownLatch firstAck) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            expect(in, "* OK");
            send(out, "a0 LOGIN " + ACCOUNT + " " + PASSWORD + "\r\n");
            expectTagged(in, "a0");
            for (int i = 1; ; i++) {
                String id = prefix + i;
                byte[] message = DeliveryLoopMain.message(id, i);
                send(out, "a" + i + " APPEND INBOX {" + message.length + "+}\r\n");
                out.write(message);
                send(out, "\r\n");
                expectTagged(in, "a" + i);
                acks.add(id);
                firstAck.countDown();
            }
        } catch (IOException gone) {
            // the server was killed
        }
    }

    private static void send(OutputStream out, String line) throws IOException {
        out.write(line.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads a (multi-line) reply that must start with {@code code}; anything else ends the client. */
    private static void expect(BufferedReader in, String code) throws IOException {
        while (true) {
            String line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed");
            }
            if (!line.startsWith(code)) {
                UNEXPECTED.add("expected " + code + ", got: " + line);
                throw new IOException(line);
            }
            if (line.length() < 4 || line.charAt(3) != '-') {
                return;
            }
        }
    }

    private static void expectTagged(BufferedReader in, String tag) throws IOException {
        while (true) {
            String line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed");
            }
            if (line.startsWith(tag + " ")) {
                if (!line.startsWith(tag + " OK")) {
                    UNEXPECTED.add("expected " + tag + " OK, got: " + line);
                    throw new IOException(line);
                }
                return;
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
