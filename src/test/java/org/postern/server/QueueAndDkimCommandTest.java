package org.postern.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.store.OutboundQueue;

/** postern queue list|retry|delete and postern dkim show, through the real command line. */
class QueueAndDkimCommandTest {
    @TempDir
    Path dir;
    String data;

    @BeforeEach
    void initialise() {
        data = dir.resolve("data").toString();
        Cli.Result r = Cli.run("init", "--data", data, "--hostname", "mail.example.org");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("made DKIM keys (RSA-2048 and Ed25519) for example.org");
        Cli.runWithInput("Secret-Pass-1\n", "account", "add", "alice@example.org", "--password-stdin", "--data", data);
    }

    long enqueue(String from, List<String> to) throws Exception {
        try (Services s = Services.open(Config.load(Path.of(data)), Clock.systemUTC())) {
            var blob = s.store().blobs().put("Subject: hi\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII));
            return s.queue().enqueue(blob, new OutboundQueue.Envelope(from, to, OutboundQueue.Body.SEVEN_BIT, false, null),
                    System.currentTimeMillis() + 3_600_000);
        }
    }

    @Test
    void theQueueIsListedRetriedAndDeleted() throws Exception {
        assertThat(Cli.run("queue", "list", "--data", data).out()).contains("the queue is empty");
        long id = enqueue("alice@example.org", List.of("bob@remote.test", "carol@remote.test"));
        long bounce = enqueue("", List.of("dave@remote.test"));
        Cli.Result list = Cli.run("queue", "list", "--data", data);
        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).containsPattern("(?m)^" + id + " +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d +\\d+ B +alice@example.org$")
                .contains("    bob@remote.test: pending, 0 attempts, next ").contains("    carol@remote.test: pending")
                .containsPattern("(?m)^" + bounce + " .*<> \\(a notice\\)$").contains("2 messages");

        Cli.Result retry = Cli.run("queue", "retry", String.valueOf(id), "--data", data);
        assertThat(retry.exitCode()).as(retry.err()).isZero();
        assertThat(retry.out()).contains("message " + id + " will be tried again now");
        try (Services s = Services.open(Config.load(Path.of(data)), Clock.systemUTC())) {
            assertThat(s.queue().entry(id).orElseThrow().recipients())
                    .allSatisfy(r -> assertThat(r.nextAttempt()).isLessThanOrEqualTo(System.currentTimeMillis()));
        }

        Cli.Result delete = Cli.run("queue", "delete", String.valueOf(id), "--data", data);
        assertThat(delete.exitCode()).isZero();
        assertThat(delete.out()).contains("removed");
        assertThat(Cli.run("queue", "list", "--data", data).out()).doesNotContain("alice@example.org").contains("1 message");

        Cli.Result again = Cli.run("queue", "delete", String.valueOf(id), "--data", data);
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("no message " + id + " in the queue");
        assertThat(Cli.run("queue", "retry", "999", "--data", data).err()).contains("no message 999 waits in the queue");
    }

    @Test
    void badQueueArgumentsExitWith2() {
        for (String[] args : new String[][] {{"queue", "retry", "abc"}, {"queue", "delete"}, {"queue", "retry", "0"},
                {"queue"}, {"queue", "flush"}, {"queue", "list", "extra"}}) {
            String[] withData = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--data", data))
                    .toArray(String[]::new);
            Cli.Result r = Cli.run(withData);
            assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", args)).isNotBlank();
        }
    }

    @Test
    void dkimShowPrintsTheRecordsToPublishForTheKeysThatSign() throws Exception {
        Cli.Result r = Cli.run("dkim", "show", "Example.ORG", "--data", data);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("; DNS records for example.org (DKIM keys: ")
                .contains("example.org. IN MX 10 mail.example.org.\n")
                .contains("example.org. IN TXT \"v=spf1 mx -all\"\n")
                .contains("_dmarc.example.org. IN TXT \"v=DMARC1; p=quarantine; adkim=r; aspf=r\"\n");
        Matcher ed = Pattern.compile("postern-ed25519\\._domainkey\\.example\\.org\\. IN TXT \"v=DKIM1; k=ed25519; p=([A-Za-z0-9+/=]+)\"\n")
                .matcher(r.out());
        assertThat(ed.find()).isTrue();
        assertThat(Base64.getDecoder().decode(ed.group(1))).hasSize(32); // RFC 8463 §4: the raw key
        // RSA-2048 does not fit one 255-byte string: several, in parentheses
        Matcher rsa = Pattern.compile("postern-rsa\\._domainkey\\.example\\.org\\. IN TXT \\( ((\"[^\"]{1,255}\" ?)+)\\)\n")
                .matcher(r.out());
        assertThat(rsa.find()).isTrue();
        String joined = rsa.group(1).replaceAll("\" ?\"?", "");
        assertThat(joined).startsWith("v=DKIM1; k=rsa; p=");
        byte[] spki = Base64.getDecoder().decode(joined.substring("v=DKIM1; k=rsa; p=".length()));
        var key = (java.security.interfaces.RSAPublicKey) java.security.KeyFactory.getInstance("RSA")
                .generatePublic(new java.security.spec.X509EncodedKeySpec(spki));
        assertThat(key.getModulus().bitLength()).isEqualTo(2048);
        // the same keys every time
        assertThat(Cli.run("dkim", "show", "example.org", "--data", data).out()).isEqualTo(r.out());
    }

    @Test
    void dkimShowRefusesWhatIsNotADomainOfThisServer() {
        Cli.Result other = Cli.run("dkim", "show", "example.com", "--data", data);
        assertThat(other.exitCode()).isEqualTo(1);
        assertThat(other.err()).contains("example.com is not a domain of this server");
        Cli.Result bad = Cli.run("dkim", "show", "not a domain", "--data", data);
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("is not a domain name");
        assertThat(Cli.run("dkim", "--data", data).exitCode()).isEqualTo(2);
        assertThat(Cli.run("dkim", "show", "--data", data).exitCode()).isEqualTo(2);
    }
}
