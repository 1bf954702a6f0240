package org.postern.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command's happy path and error path, through the real command line. */
class CommandLineTest {
    @TempDir
    Path dir;
    String data;

    @BeforeEach
    void init() {
        data = dir.resolve("data").toString();
    }

    private void initialise() {
        Cli.Result r = Cli.run("init", "--data", data, "--hostname", "mail.example.org");
        assertThat(r.exitCode()).as(r.err()).isZero();
    }

    @Test
    void initWritesTheConfigurationCertificateAndDatabaseAndIsRepeatable() throws Exception {
        Cli.Result r = Cli.run("init", "--data", data, "--hostname", "mail.example.org");
        assertThat(r.exitCode()).as(r.err()).isZero();
        Path d = Path.of(data);
        assertThat(d.resolve("postern.conf")).content().contains("hostname = mail.example.org");
        assertThat(d.resolve("tls/fullchain.pem")).content().contains("BEGIN CERTIFICATE");
        assertThat(d.resolve("tls/privkey.pem")).exists();
        assertThat(d.resolve("postern.db")).exists();
        Cli.Result again = Cli.run("init", "--data", data);
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("kept " + d.resolve("postern.conf")).contains("kept the certificate");
    }

    @Test
    void initRefusesABadHostname() {
        Cli.Result r = Cli.run("init", "--data", data, "--hostname", "not a host!");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--hostname").contains("not a host name");
    }

    @Test
    void accountsAreAddedListedChangedAndRemoved() {
        initialise();
        Cli.Result add = Cli.runWithInput("Secret-Pass-1\n", "account", "add", "alice@example.org", "--password-stdin", "--data", data);
        assertThat(add.exitCode()).as(add.err()).isZero();
        assertThat(add.out()).contains("added alice@example.org").doesNotContain("Secret-Pass-1");

        Cli.Result generated = Cli.runWithInput("", "account", "add", "bob@example.org", "--data", data);
        assertThat(generated.exitCode()).as(generated.err()).isZero();
        assertThat(generated.out()).containsPattern("password: [A-Za-z2-9]{5}-");

        Cli.Result list = Cli.run("account", "list", "--data", data);
        assertThat(list.out()).contains("alice@example.org").contains("bob@example.org").contains("IMAP");

        Cli.Result set = Cli.run("account", "set", "alice@example.org", "imap=off", "quota=2G", "--data", data);
        assertThat(set.exitCode()).as(set.err()).isZero();
        assertThat(set.out()).contains("imap=off").contains("pop=all").contains("pop-after=keep").contains("quota=2.0 G");

        Cli.Result passwd = Cli.runWithInput("Another-Pass-2\n", "account", "passwd", "alice@example.org", "--password-stdin", "--data", data);
        assertThat(passwd.exitCode()).as(passwd.err()).isZero();

        Cli.Result remove = Cli.run("account", "remove", "bob@example.org", "--data", data);
        assertThat(remove.exitCode()).isZero();
        assertThat(Cli.run("account", "list", "--data", data).out()).doesNotContain("bob@example.org");
    }

    @Test
    void accountErrorsSayWhatIsWrong() {
        initialise();
        Cli.runWithInput("Secret-Pass-1\n", "account", "add", "alice@example.org", "--password-stdin", "--data", data);
        Cli.Result dup = Cli.runWithInput("Secret-Pass-1\n", "account", "add", "ALICE@example.org", "--password-stdin", "--data", data);
        assertThat(dup.exitCode()).isEqualTo(1);
        assertThat(dup.err()).contains("already exists");

        Cli.Result weak = Cli.runWithInput("short\n", "account", "add", "carol@example.org", "--password-stdin", "--data", data);
        assertThat(weak.exitCode()).isEqualTo(2);
        assertThat(weak.err()).contains("at least 8 characters");

        Cli.Result bad = Cli.runWithInput("Secret-Pass-1\n", "account", "add", "not-an-address", "--password-stdin", "--data", data);
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains("not a valid mail address");

        Cli.Result missing = Cli.run("account", "remove", "nobody@example.org", "--data", data);
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("no such account");

        Cli.Result badSetting = Cli.run("account", "set", "alice@example.org", "imap=maybe", "--data", data);
        assertThat(badSetting.exitCode()).isEqualTo(2);
        assertThat(badSetting.err()).contains("imap=maybe").contains("on or off");

        Cli.Result unknownSetting = Cli.run("account", "set", "alice@example.org", "smtp=on", "--data", data);
        assertThat(unknownSetting.exitCode()).isEqualTo(2);
        assertThat(unknownSetting.err()).contains("unknown setting");
    }

    @Test
    void gmailsPopSettingsAreSetAndListed() {
        initialise();
        Cli.runWithInput("Secret-Pass-1\n", "account", "add", "alice@example.org", "--password-stdin", "--data", data);
        assertThat(Cli.run("account", "list", "--data", data).out())
                .containsPattern("ACCOUNT +IMAP +POP +POP-AFTER").containsPattern("alice@example.org +on +all +keep ");

        Cli.Result fromNow = Cli.run("account", "set", "alice@example.org", "pop=new", "pop-after=archive", "--data", data);
        assertThat(fromNow.exitCode()).as(fromNow.err()).isZero();
        assertThat(fromNow.out()).contains("pop=new pop-after=archive").containsPattern("POP offers mail received from 20\\d\\d-");
        assertThat(Cli.run("account", "list", "--data", data).out()).containsPattern("alice@example.org +on +new +archive ");

        assertThat(Cli.run("account", "set", "alice@example.org", "pop=off", "--data", data).out())
                .contains("pop=off pop-after=archive");
        assertThat(Cli.run("account", "set", "alice@example.org", "pop=on", "pop-after=TRASH", "--data", data).out())
                .contains("pop=all pop-after=trash"); // "on" keeps its old meaning: all mail
        assertThat(Cli.run("account", "set", "alice@example.org", "pop=all", "pop-after=read", "--data", data).out())
                .contains("pop=all pop-after=read");

        Cli.Result badPop = Cli.run("account", "set", "alice@example.org", "pop=sometimes", "--data", data);
        assertThat(badPop.exitCode()).isEqualTo(2);
        assertThat(badPop.err()).contains("pop=sometimes").contains("off, all or new");
        Cli.Result badAfter = Cli.run("account", "set", "alice@example.org", "pop-after=shred", "--data", data);
        assertThat(badAfter.exitCode()).isEqualTo(2);
        assertThat(badAfter.err()).contains("pop-after=shred").contains("keep, read, archive or trash");
    }

    @Test
    void commandsOnAFolderThatIsNotInitialisedSaySo() {
        Cli.Result r = Cli.run("account", "list", "--data", data);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("postern.conf").contains("postern init");
    }

    @Test
    void badFlagsAndValuesGiveOneLineAndExitCodeTwo() {
        initialise();
        for (String[] args : new String[][] {
                {"bogus-command"},
                {"account", "add", "alice@example.org", "--pasword-stdin", "--data", data},
                {"serve", "--data", data, "--imaps", "127.0.0.1:99999"},
                {"serve", "--data", data, "--imaps", "nonsense"},
                {"account"},
                {}}) {
            Cli.Result r = Cli.run(args);
            assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
        }
        assertThat(Cli.run("serve", "--data", data, "--imaps", "127.0.0.1:99999").err()).contains("99999").contains("0-65535");
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] args : new String[][] {{"--help"}, {"init", "--help"}, {"serve", "--help"}, {"demo", "--help"},
                {"account", "--help"}, {"account", "add", "--help"}, {"account", "list", "--help"},
                {"account", "remove", "--help"}, {"account", "passwd", "--help"}, {"account", "set", "--help"},
                {"alias", "--help"}, {"alias", "add", "--help"}, {"domain", "--help"}, {"deliver", "--help"}, {"check", "--help"},
                {"app-password", "--help"}, {"app-password", "add", "--help"}, {"app-password", "list", "--help"},
                {"app-password", "revoke", "--help"}, {"account", "2sv", "--help"}, {"account", "activity", "--help"},
                {"account", "devices", "--help"}, {"oauth", "--help"}, {"oauth", "token", "--help"}, {"queue", "--help"},
                {"queue", "list", "--help"}, {"queue", "retry", "--help"}, {"queue", "delete", "--help"}, {"dkim", "--help"},
                {"dkim", "show", "--help"}}) {
            Cli.Result r = Cli.run(args);
            assertThat(r.exitCode()).as(String.join(" ", args)).isZero();
            assertThat(r.out()).as(String.join(" ", args)).contains("Usage:");
        }
        assertThat(Cli.run("serve", "--help").out()).contains("--imaps").contains("--submission").contains("--data");
    }

    @Test
    void aliasesAndCatchAllRouteDeliveries() {
        initialise();
        Cli.runWithInput("Secret-Pass-1\n", "account", "add", "bob@example.org", "--password-stdin", "--data", data);
        assertThat(Cli.run("alias", "add", "sales@example.org", "bob@example.org", "--data", data).exitCode()).isZero();
        assertThat(Cli.run("alias", "list", "bob@example.org", "--data", data).out()).contains("sales@example.org");
        String message = "From: a@example.net\nTo: sales@example.org\nSubject: hi\n\nHello\n";
        Cli.Result d = Cli.runWithInput(message, "deliver", "sales+q4@example.org", "nobody@example.org", "--data", data);
        assertThat(d.exitCode()).isEqualTo(1);
        assertThat(d.out()).contains("delivered to sales+q4@example.org (bob@example.org): UID 1")
                .contains("refused nobody@example.org: no such user here");
        assertThat(Cli.run("domain", "catch-all", "example.org", "bob@example.org", "--data", data).exitCode()).isZero();
        Cli.Result d2 = Cli.runWithInput(message, "deliver", "nobody@example.org", "--data", data);
        assertThat(d2.exitCode()).as(d2.err()).isZero();
        assertThat(d2.out()).contains("UID 2");
        assertThat(Cli.run("domain", "list", "--data", data).out()).contains("example.org").contains("bob@example.org");
        assertThat(Cli.run("alias", "remove", "sales@example.org", "--data", data).exitCode()).isZero();
        assertThat(Cli.run("domain", "catch-all", "example.org", "off", "--data", data).exitCode()).isZero();
    }

    @Test
    void checkReportsRepairsAndFailsWhileAProblemRemains() throws Exception {
        initialise();
        Cli.runWithInput("Secret-Pass-1\n", "account", "add", "bob@example.org", "--password-stdin", "--data", data);
        Cli.runWithInput("Subject: hi\n\nHello\n", "deliver", "bob@example.org", "--data", data);
        Cli.Result clean = Cli.run("check", "--data", data);
        assertThat(clean.exitCode()).as(clean.err()).isZero();
        assertThat(clean.out()).contains("checked 1 messages, 1 message files, 6 mailboxes: no problems").endsWith("no problems" + System.lineSeparator());
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + Path.of(data, "postern.db"));
             java.sql.Statement s = c.createStatement()) {
            s.execute("UPDATE mailboxes SET uidnext=1 WHERE name='INBOX'");
        }
        Cli.Result found = Cli.run("check", "--data", data);
        assertThat(found.exitCode()).isEqualTo(1);
        assertThat(found.out()).contains("problem: mailbox ").contains("(INBOX): UIDNEXT 1 but UID 1 is taken")
                .contains("0 repaired, 1 problem(s) left (try --repair)");
        Cli.Result repaired = Cli.run("check", "--repair", "--data", data);
        assertThat(repaired.exitCode()).isZero();
        assertThat(repaired.out()).contains("-> UIDNEXT raised to 2").contains("1 repaired, 0 problem(s) left");
        try (var files = Files.walk(Path.of(data, "blobs"))) {
            Files.delete(files.filter(p -> p.getFileName().toString().length() == 64).findFirst().orElseThrow());
        }
        Cli.Result lost = Cli.run("check", "--repair", "--data", data);
        assertThat(lost.exitCode()).isEqualTo(1);
        assertThat(lost.out()).contains("is missing; the message cannot be read");
    }

    @Test
    void aBadConfigurationFileIsRefusedWithFileLineAndKey() throws Exception {
        initialise();
        Path conf = Path.of(data, "postern.conf");
        Files.writeString(conf, Files.readString(conf).replace("limits.message-size = 35M", "limits.message-size = 35Q"));
        Cli.Result r = Cli.run("account", "list", "--data", data);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains(conf + ":").contains("limits.message-size").contains("35Q");
    }

    @Test
    void everyListenerOfTheCommandLineIsServed() {
        // With the web side (http, https) in, serve has no listener left to refuse as "not in this version yet".
        for (ListenerName n : ListenerName.values()) {
            assertThat(Server.builtIn().containsKey(n) || Server.isWeb(n)).as(n.word()).isTrue();
        }
    }

    @Test
    void appPasswordsTwoStepVerificationActivityDevicesAndTokens() {
        initialise();
        Cli.runWithInput("Secret-Pass-1\n", "account", "add", "alice@example.org", "--password-stdin", "--data", data);
        Cli.Result add = Cli.run("app-password", "add", "alice@example.org", "Outlook IMAP", "--data", data);
        assertThat(add.exitCode()).as(add.err()).isZero();
        assertThat(add.out()).containsPattern("\\n    [a-z]{4} [a-z]{4} [a-z]{4} [a-z]{4}\\n");
        assertThat(Cli.run("app-password", "add", "alice@example.org", "Outlook IMAP", "--data", data).err()).contains("already");
        assertThat(Cli.run("app-password", "list", "alice@example.org", "--data", data).out()).contains("Outlook IMAP").contains("never");

        Cli.Result on = Cli.run("account", "2sv", "alice@example.org", "on", "--data", data);
        assertThat(on.exitCode()).as(on.err()).isZero();
        assertThat(on.out()).contains("otpauth://totp/").containsPattern("\\d{8}    \\d{8}");
        assertThat(Cli.run("account", "2sv", "alice@example.org", "status", "--data", data).out())
                .contains("2-Step Verification on, 10 backup codes left, 1 app passwords");
        assertThat(Cli.run("account", "2sv", "alice@example.org", "sometimes", "--data", data).exitCode()).isEqualTo(2);
        assertThat(Cli.run("account", "2sv", "alice@example.org", "off", "--data", data).exitCode()).isZero();

        assertThat(Cli.run("account", "activity", "alice@example.org", "--data", data).out()).contains("no sign-ins");
        assertThat(Cli.run("account", "devices", "alice@example.org", "--data", data).out()).contains("no devices");
        assertThat(Cli.run("account", "devices", "alice@example.org", "--sign-out", "99", "--data", data).err()).contains("no device");

        Cli.Result token = Cli.run("oauth", "token", "alice@example.org", "--client", "Thunderbird", "--expires", "2h", "--data", data);
        assertThat(token.exitCode()).as(token.err()).isZero();
        assertThat(token.out()).startsWith("pst_");
        assertThat(Cli.run("oauth", "list", "alice@example.org", "--data", data).out()).contains("Thunderbird").contains("valid");
        assertThat(Cli.run("oauth", "revoke", "alice@example.org", "1", "--data", data).exitCode()).isZero();
        assertThat(Cli.run("oauth", "list", "alice@example.org", "--data", data).out()).contains("revoked");
        assertThat(Cli.run("oauth", "token", "alice@example.org", "--expires", "forever", "--data", data).exitCode()).isEqualTo(2);

        assertThat(Cli.run("app-password", "revoke", "alice@example.org", "Outlook IMAP", "--data", data).exitCode()).isZero();
        assertThat(Cli.run("app-password", "revoke", "alice@example.org", "Outlook IMAP", "--data", data).err()).contains("no app password");
        assertThat(Cli.run("app-password", "list", "nobody@example.org", "--data", data).err()).contains("no such account");
    }
}
