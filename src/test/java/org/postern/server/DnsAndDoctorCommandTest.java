package org.postern.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code postern dns show DOMAIN} and {@code postern doctor EMAIL}, as an administrator types them. */
class DnsAndDoctorCommandTest {
    @TempDir
    Path dir;

    String data;

    @BeforeEach
    void init() {
        data = dir.toString();
        assertThat(Cli.run("init", "--data", data, "--hostname", "mail.example.org").exitCode()).isZero();
        assertThat(Cli.runWithInput("Secret-Pass-1\n", "account", "add", "alice@example.org", "--password-stdin", "--data", data)
                .exitCode()).isZero();
    }

    @Test
    void dnsShowPrintsEveryRecordAndSaysHowToMakeDkimKeys() {
        Cli.Result r = Cli.run("dns", "show", "example.org", "--data", data);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out())
                .containsPattern("(?m)^example\\.org\\. +3600 IN MX +10 mail\\.example\\.org\\.$")
                .containsPattern("(?m)^example\\.org\\. +3600 IN TXT +\"v=spf1 mx ~all\"$")
                .containsPattern("(?m)^_dmarc\\.example\\.org\\. +3600 IN TXT +\"v=DMARC1; p=quarantine")
                .containsPattern("(?m)^_mta-sts\\.example\\.org\\. +3600 IN TXT +\"v=STSv1; id=")
                .containsPattern("(?m)^_smtp\\._tls\\.example\\.org\\. +3600 IN TXT +\"v=TLSRPTv1; ")
                .containsPattern("(?m)^_imaps\\._tcp\\.example\\.org\\. +3600 IN SRV +0 1 993 mail\\.example\\.org\\.$")
                .containsPattern("(?m)^_submissions\\._tcp\\.example\\.org\\. +3600 IN SRV +0 1 465 mail\\.example\\.org\\.$")
                .containsPattern("(?m)^_submission\\._tcp\\.example\\.org\\. +3600 IN SRV +10 1 587 mail\\.example\\.org\\.$")
                .containsPattern("(?m)^_pop3s\\._tcp\\.example\\.org\\. +3600 IN SRV +20 1 995 mail\\.example\\.org\\.$")
                .containsPattern("(?m)^autoconfig\\.example\\.org\\. +3600 IN CNAME +mail\\.example\\.org\\.$")
                .containsPattern("(?m)^autodiscover\\.example\\.org\\. +3600 IN CNAME +mail\\.example\\.org\\.$")
                .contains("; DKIM: no key for example.org")
                .contains("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out " + dir.resolve("dkim/example.org.rsa.pem"))
                .doesNotContain("_domainkey.example.org. ");
        // Every line is a comment or a record: the output can be pasted into a zone file.
        assertThat(r.out().lines()).allMatch(l -> l.startsWith(";") || l.matches("\\S+\\. +3600 IN [A-Z]+ +.+"));
    }

    @Test
    void dnsShowPrintsTheDkimRecordsOfTheKeysInTheDataFolder() throws Exception {
        Files.createDirectories(dir.resolve("dkim"));
        KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Files.writeString(dir.resolve("dkim/example.org.rsa.pem"), pem(rsa.getPrivate().getEncoded()));
        Files.writeString(dir.resolve("dkim/example.org.ed25519.pem"), pem(ed.getPrivate().getEncoded()));
        Cli.Result r = Cli.run("dns", "show", "example.org", "--data", data);
        assertThat(r.exitCode()).as(r.err()).isZero();
        String rsaP = Base64.getEncoder().encodeToString(rsa.getPublic().getEncoded());
        // RFC 8463 §4: the raw 32-byte key, which is the tail of the 44-byte SubjectPublicKeyInfo.
        byte[] spki = ed.getPublic().getEncoded();
        String edP = Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(spki, spki.length - 32, spki.length));
        String joined = r.out().replace("\" \"", "");
        assertThat(joined).contains("postern-rsa._domainkey.example.org.").contains("\"v=DKIM1; k=rsa; p=" + rsaP + "\"")
                .contains("postern-ed25519._domainkey.example.org.").contains("\"v=DKIM1; k=ed25519; p=" + edP + "\"")
                .doesNotContain("no key for");
        // RFC 1035 §3.3.14: no character-string longer than 255.
        assertThat(r.out()).doesNotContainPattern("\"[^\"\\n]{256,}\"");
    }

    @Test
    void dnsShowRefusesAnUnknownDomain() {
        Cli.Result r = Cli.run("dns", "show", "example.net", "--data", data);
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("no domain example.net");
    }

    @Test
    void doctorExplainsAnAccountWithImapAndPopOffAndEndsWithOneSentence() {
        assertThat(Cli.run("account", "set", "alice@example.org", "imap=off", "pop=off", "--data", data).exitCode()).isZero();
        Cli.Result r = Cli.run("doctor", "alice@example.org", "--data", data);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Connection doctor for alice@example.org\n")
                .contains("ok       The account alice@example.org exists")
                .contains("warning  IMAP is switched off for this account.")
                .contains("warning  POP is switched off for this account.")
                .contains("The certificate names mail.example.org.")
                .contains("Not listening: imaps")
                .containsPattern("\nWhat to change: Turn on IMAP [^\n]*\\.\n$");
    }

    @Test
    void doctorSaysWhenThereIsNoSuchAccount() {
        Cli.Result r = Cli.run("doctor", "bob@example.org", "--data", data);
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("PROBLEM  There is no account bob@example.org on this server.")
                .contains("What to change: Check the email address in the mail client");
    }

    private static String pem(byte[] pkcs8) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pkcs8) + "\n-----END PRIVATE KEY-----\n";
    }
}
