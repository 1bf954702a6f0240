package org.postern.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigTest {
    private static final Path DIR = Path.of("/srv/postern");
    private static final Path FILE = DIR.resolve("postern.conf");

    private static Config parse(String text) throws ConfigException {
        return Config.parse(DIR, FILE, text);
    }

    @Test
    void theTemplateParsesAndEveryKeyHasItsDefault() throws Exception {
        Config c = parse(Config.template("mail.example.org"));
        assertThat(c.hostname()).isEqualTo("mail.example.org");
        assertThat(c.listener(ListenerName.IMAPS)).isEqualTo(new ListenAddress("*", 993));
        assertThat(c.listener(ListenerName.SUBMISSION).port()).isEqualTo(587);
        assertThat(c.maxMessageSize()).isEqualTo(35L << 20);
        assertThat(c.defaultQuota()).isEqualTo(15L << 30);
        assertThat(c.tlsCertificate()).isEqualTo(DIR.resolve("tls/fullchain.pem"));
        assertThat(c.plaintextOnLoopback()).isFalse();
        Config empty = parse("");
        assertThat(empty.describe()).hasSize(Config.SETTINGS.size());
        assertThat(empty.hostname()).isEqualTo("localhost");
        for (Setting s : Config.SETTINGS) {
            assertThat(Config.template("x.example")).contains(s.key() + " = ");
        }
    }

    @Test
    void valuesAreRead() throws Exception {
        Config c = parse("""
                # comment
                hostname = MX.Example.ORG
                listen.imaps = 127.0.0.1:1993
                listen.smtp = off
                listen.imap = [::1]:1143
                limits.message-size = 50M
                auth.plaintext-on-loopback = yes
                tls.certificate = /etc/letsencrypt/live/mx/fullchain.pem
                """);
        assertThat(c.hostname()).isEqualTo("mx.example.org");
        assertThat(c.listener(ListenerName.IMAPS)).isEqualTo(new ListenAddress("127.0.0.1", 1993));
        assertThat(c.listener(ListenerName.SMTP).isOff()).isTrue();
        assertThat(c.listener(ListenerName.IMAP).toString()).isEqualTo("[::1]:1143");
        assertThat(c.maxMessageSize()).isEqualTo(50L << 20);
        assertThat(c.plaintextOnLoopback()).isTrue();
        assertThat(c.tlsCertificate()).isEqualTo(Path.of("/etc/letsencrypt/live/mx/fullchain.pem"));
        c.overrideListener(ListenerName.IMAPS, ListenAddress.OFF);
        assertThat(c.listener(ListenerName.IMAPS).isOff()).isTrue();
    }

    @Test
    void errorsNameTheFileLineAndKey() {
        assertThatThrownBy(() -> parse("hostname = a.example\nlisten.imapss = *:993\n"))
                .hasMessage(FILE + ":2: unknown key 'listen.imapss' (did you mean 'listen.imaps'?)");
        assertThatThrownBy(() -> parse("\n\nlimits.quota = lots\n"))
                .hasMessageStartingWith(FILE + ":3: key 'limits.quota': 'lots' is not a size");
        assertThatThrownBy(() -> parse("listen.imaps = *:99999"))
                .hasMessageStartingWith(FILE + ":1: key 'listen.imaps':").hasMessageContaining("0-65535");
        assertThatThrownBy(() -> parse("hostname = a.example\nhostname = b.example"))
                .hasMessage(FILE + ":2: key 'hostname' is already set on line 1");
        assertThatThrownBy(() -> parse("just words"))
                .hasMessage(FILE + ":1: expected 'key = value', found 'just words'");
        assertThatThrownBy(() -> parse("log.level = loud"))
                .hasMessageContaining("'loud' is not one of error, warn, info, debug, trace");
        assertThatThrownBy(() -> parse("auth.plaintext-on-loopback = perhaps")).hasMessageContaining("not yes or no");
        assertThatThrownBy(() -> parse("completely.unknown = 1")).hasMessage(FILE + ":1: unknown key 'completely.unknown'");
    }

    @Test
    void listenAddressesParse() {
        assertThat(ListenAddress.parse("993")).isEqualTo(new ListenAddress("*", 993));
        assertThat(ListenAddress.parse("OFF").isOff()).isTrue();
        assertThat(ListenAddress.parse("localhost:0")).isEqualTo(new ListenAddress("localhost", 0));
        assertThatThrownBy(() -> ListenAddress.parse("::1:993")).hasMessageContaining("[::1]:993");
        assertThatThrownBy(() -> ListenAddress.parse(":993")).hasMessageContaining("no host");
        assertThatThrownBy(() -> ListenAddress.parse("host:port")).hasMessageContaining("not a port number");
    }

    @Test
    void sizesAndDurations() {
        assertThat(Setting.parseSize("35M")).isEqualTo(35L << 20);
        assertThat(Setting.parseSize("64k")).isEqualTo(64L << 10);
        assertThat(Setting.parseSize("1000")).isEqualTo(1000);
        assertThat(Setting.parseSize("2GB")).isEqualTo(2L << 30);
        assertThatThrownBy(() -> Setting.parseSize("-1")).hasMessageContaining("negative");
        assertThatThrownBy(() -> Setting.parseSize("99999999999T")).hasMessageContaining("not a size");
        assertThat(Setting.parseDuration("30m")).hasMinutes(30);
        assertThat(Setting.parseDuration("500ms")).hasMillis(500);
        assertThatThrownBy(() -> Setting.parseDuration("soon")).hasMessageContaining("not a duration");
    }
}
