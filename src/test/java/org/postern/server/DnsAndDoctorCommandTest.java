package org.postern.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.smtp.dkim.DkimKeys;

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
        // init made keys for the host's domain (example.org); example.net came later and has none.
        assertThat(Cli.runWithInput("Secret-Pass-1\n", "account", "add", "bob@example.net", "--password-stdin", "--data", data)
                .exitCode()).isZero();
        Cli.Result r = Cli.run("dns", "show", "example.net", "--data", data);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out())
                .containsPattern("(?m)^example\\.net\\. +3600 IN MX +10 mail\\.example\\.org\\.$")
                .containsPattern("(?m)^example\\.net\\. +3600 IN TXT +\"v=spf1 mx -all\"$")
                .containsPattern("(?m)^_dmarc\\.example\\.net\\. +3600 IN TXT +\"v=DMARC1; p=quarantine; adkim=r; aspf=r\"$")
                .containsPattern("(?m)^_mta-sts\\.example\\.net\\. +3600 IN TXT +\"v=STSv1; id=")
                .containsPattern("(?m)^_smtp\\._tls\\.example\\.net\\. +3600 IN TXT +\"v=TLSRPTv1; ")
                .containsPattern("(?m)^_imaps\\._tcp\\.example\\.net\\. +3600 IN SRV +0 1 993 mail\\.example\\.org\\.$")
                .containsPattern("(?m)^_submissions\\._tcp\\.example\\.net\\. +3600 IN SRV +0 1 465 mail\\.example\\.org\\.$")
                .containsPattern("(?m)^_submission\\._tcp\\.example\\.net\\. +3600 IN SRV +10 1 587 mail\\.example\\.org\\.$")
                .containsPattern("(?m)^_pop3s\\._tcp\\.example\\.net\\. +3600 IN SRV +20 1 995 mail\\.example\\.org\\.$")
                .containsPattern("(?m)^autoconfig\\.example\\.net\\. +3600 IN CNAME +mail\\.example\\.org\\.$")
                .containsPattern("(?m)^autodiscover\\.example\\.net\\. +3600 IN CNAME +mail\\.example\\.org\\.$")
                .contains("; DKIM: example.net has no signing keys yet")
                .contains("postern dkim show example.net")
                .doesNotContain("_domainkey.");
        assertThat(Files.exists(dir.resolve("dkim/example.net.rsa.pem"))).as("looking makes no keys").isFalse();
        // Every line is a comment or a record: the output can be pasted into a zone file.
        assertThat(r.out().lines()).allMatch(l -> l.startsWith(";") || l.matches("\\S+\\. +3600 IN [A-Z]+ +.+"));
    }

    @Test
    void dnsShowPrintsTheDkimRecordsOfTheKeysThatSignTheMail() throws Exception {
        Cli.Result r = Cli.run("dns", "show", "example.org", "--data", data);
        assertThat(r.exitCode()).as(r.err()).isZero();
        String joined = r.out().replace("\" \"", "");
        for (DkimKeys.Key k : new DkimKeys(dir.resolve("dkim"), "postern").keys("example.org")) {
            assertThat(joined).contains(k.selector() + "._domainkey.example.org.").contains("\"" + k.dnsRecord() + "\"");
        }
        assertThat(r.out()).contains("postern-rsa._domainkey").contains("postern-ed25519._domainkey").doesNotContain("no signing keys");
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
}
