package org.postern.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Command lines to records, and the Path grammar of RFC 5321 §4.1.2 / RFC 6531 §3.3, as tables. */
class ParserTest {

    static Command parse(String line) throws SmtpException {
        return CommandParser.parse(line, "mx.example");
    }

    @Test
    void commandsParseToRecords() throws Exception {
        assertThat(parse("EHLO client.example")).isEqualTo(new Command.Ehlo("client.example"));
        assertThat(parse("ehlo [192.0.2.1]")).isEqualTo(new Command.Ehlo("[192.0.2.1]"));
        assertThat(parse("HELO x")).isEqualTo(new Command.Helo("x"));
        assertThat(parse("MAIL FROM:<>")).isEqualTo(new Command.Mail(null, List.of()));
        assertThat(parse("mail from: <a@b.example> SIZE=10 body=8bitmime SMTPUTF8"))
                .isEqualTo(new Command.Mail(new MailPath(List.of(), "a", false, "b.example", false), List.of(
                        new Command.Param("SIZE", "10"), new Command.Param("BODY", "8bitmime"), new Command.Param("SMTPUTF8", null))));
        assertThat(parse("RCPT TO:<@r1.example,@r2.example:u@d.example>"))
                .isEqualTo(new Command.Rcpt(new MailPath(List.of("r1.example", "r2.example"), "u", false, "d.example", false), List.of()));
        assertThat(parse("RCPT TO:<Postmaster>"))
                .isEqualTo(new Command.Rcpt(new MailPath(List.of(), "Postmaster", false, "mx.example", false), List.of()));
        assertThat(parse("BDAT 0 LAST")).isEqualTo(new Command.Bdat(0, true));
        assertThat(parse("bdat 1000")).isEqualTo(new Command.Bdat(1000, false));
        assertThat(parse("AUTH plain dGVzdA==")).isEqualTo(new Command.Auth("PLAIN", "dGVzdA=="));
        assertThat(parse("AUTH LOGIN")).isEqualTo(new Command.Auth("LOGIN", null));
        assertThat(parse("AUTH PLAIN dGVzdA==").toString()).doesNotContain("dGVzdA");
        assertThat(parse("starttls")).isEqualTo(new Command.StartTls());
        assertThat(parse("DATA")).isEqualTo(new Command.Data());
        assertThat(parse("QUIT")).isEqualTo(new Command.Quit());
        assertThat(parse("NOOP x")).isEqualTo(new Command.Noop());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "EHLO                         | 501 5.5.4",
            "EHLO a b                     | 501 5.5.4",
            "MAIL TO:<a@b.example>        | 501 5.5.4",
            "MAIL FROM:a@b.example        | 501 5.1.7",
            "MAIL FROM:<a@b.example       | 501 5.1.7",
            "MAIL FROM:<a@b.example>SIZE=1 | 501 5.5.4",
            "MAIL FROM:<a@b.example> SIZE= | 501 5.5.4",
            "MAIL FROM:<a@b.example> =1   | 501 5.5.4",
            "RCPT TO:<>                   | 501 5.1.3",
            "RCPT TO:<a@b.example.>       | 501 5.1.3",
            "RCPT TO:<a..b@c.example>     | 501 5.1.3",
            "RCPT TO:<.a@c.example>       | 501 5.1.3",
            "RCPT TO:<a.@c.example>       | 501 5.1.3",
            "RCPT TO:<a@-c.example>       | 501 5.1.3",
            "RCPT TO:<\"a@c.example>      | 501 5.1.3",
            "RCPT TO:<a@[1.2.3.4>         | 501 5.1.3",
            "RCPT TO:<@a.example:>        | 501 5.1.3",
            "RCPT TO:<@a.example b@c.example> | 501 5.1.3",
            "BDAT                         | 501 5.5.4",
            "BDAT -1                      | 501 5.5.4",
            "BDAT 1 FIRST                 | 501 5.5.4",
            "BDAT 9999999999999999999     | 501 5.5.4",
            "AUTH                         | 501 5.5.4",
            "STARTTLS now                 | 501 5.5.4",
            "DATA x                       | 501 5.5.4",
            "QUIT x                       | 501 5.5.4",
            "HTTP/1.1                     | 500 5.5.1",
            "GET / HTTP/1.1               | 500 5.5.1",
    })
    void badLinesGetTheirReply(String line, String expected) {
        assertThatThrownBy(() -> parse(line)).isInstanceOfSatisfying(SmtpException.class,
                e -> assertThat(e.reply().code() + " " + e.reply().status()).isEqualTo(expected));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "<user@example.org>                  | user@example.org             | true",
            "<\"john doe\"@example.org>          | \"john doe\"@example.org     | true",
            "<\"a\\\"b\"@example.org>            | \"a\\\"b\"@example.org       | true",
            "<user@[192.0.2.1]>                  | user@[192.0.2.1]             | true",
            "<user@[IPv6:2001:db8::1]>           | user@[IPv6:2001:db8::1]      | true",
            "<j\u00f6rg@b\u00fccher.example>     | j\u00f6rg@b\u00fccher.example | false",
            "<!#$%&'*+-/=?^_`{}~@example.org>    | !#$%&'*+-/=?^_`{}~@example.org | true",
    })
    void pathsRoundTrip(String text, String address, boolean ascii) throws Exception {
        MailPath p = PathParser.parse(text, false, null).path();
        assertThat(p.address()).isEqualTo(address);
        assertThat(p.isAscii()).isEqualTo(ascii);
    }
}
