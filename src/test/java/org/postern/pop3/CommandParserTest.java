package org.postern.pop3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postern.net.Line;

/** Wire line → command record, and the -ERR for everything else. */
class CommandParserTest {

    static Command parse(String s) {
        return CommandParser.parse(new Line(s.getBytes(StandardCharsets.UTF_8), Line.Ending.CRLF, false, false));
    }

    @Test
    void everyCommandParses() {
        assertThat(parse("CAPA")).isEqualTo(new Command.Capa());
        assertThat(parse("stls")).isEqualTo(new Command.Stls());
        assertThat(parse("User alice@example.org")).isEqualTo(new Command.User("alice@example.org"));
        assertThat(parse("USER  recent:alice@example.org ")).isEqualTo(new Command.User("recent:alice@example.org"));
        assertThat(parse("PASS  secret with spaces ")).isEqualTo(new Command.Pass(" secret with spaces "));
        assertThat(parse("PASS pässwörd")).isEqualTo(new Command.Pass("pässwörd"));
        assertThat(parse("AUTH")).isEqualTo(new Command.Auth(null, null));
        assertThat(parse("auth plain")).isEqualTo(new Command.Auth("PLAIN", null));
        assertThat(parse("AUTH PLAIN AGFAYg==")).isEqualTo(new Command.Auth("PLAIN", "AGFAYg=="));
        assertThat(parse("AUTH PLAIN =")).isEqualTo(new Command.Auth("PLAIN", "="));
        assertThat(parse("STAT")).isEqualTo(new Command.Stat());
        assertThat(parse("LIST")).isEqualTo(new Command.ListMessages(OptionalLong.empty()));
        assertThat(parse("LIST 3")).isEqualTo(new Command.ListMessages(OptionalLong.of(3)));
        assertThat(parse("LIST ")).isEqualTo(new Command.ListMessages(OptionalLong.empty()));
        assertThat(parse("RETR 12")).isEqualTo(new Command.Retr(12));
        assertThat(parse("DELE 0")).isEqualTo(new Command.Dele(0));
        assertThat(parse("NOOP")).isEqualTo(new Command.Noop());
        assertThat(parse("RSET")).isEqualTo(new Command.Rset());
        assertThat(parse("QUIT")).isEqualTo(new Command.Quit());
        assertThat(parse("TOP 1 0")).isEqualTo(new Command.Top(1, 0));
        assertThat(parse("top  2   10")).isEqualTo(new Command.Top(2, 10));
        assertThat(parse("UIDL")).isEqualTo(new Command.Uidl(OptionalLong.empty()));
        assertThat(parse("UIDL 7")).isEqualTo(new Command.Uidl(OptionalLong.of(7)));
        assertThat(parse("RETR 999999999999999999")).isEqualTo(new Command.Retr(999_999_999_999_999_999L));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "''                        | Unknown command.",
        "' '                       | Unknown command.",
        "'APOP alice 1234'         | Unknown command.",
        "'XTND XMIT'               | Unknown command.",
        "'RETRX 1'                 | Unknown command.",
        "'STAT 1'                  | STAT takes no arguments.",
        "'QUIT now'                | QUIT takes no arguments.",
        "'CAPA x'                  | CAPA takes no arguments.",
        "'RETR'                    | RETR needs one message number.",
        "'RETR 1 2'                | RETR needs one message number.",
        "'DELE one'                | Invalid message number.",
        "'DELE +1'                 | Invalid message number.",
        "'DELE 1.0'                | Invalid message number.",
        "'RETR 9999999999999999999' | Invalid message number.",
        "'LIST 1 2'                | LIST takes at most one message number.",
        "'UIDL x'                  | Invalid message number.",
        "'TOP 1'                   | TOP needs a message number and a number of lines.",
        "'TOP 1 2 3'               | TOP needs a message number and a number of lines.",
        "'TOP 1 x'                 | Invalid number of lines.",
        "'USER'                    | USER needs a user name: your full email address.",
        "'USER   '                 | USER needs a user name: your full email address.",
        "'PASS'                    | PASS needs a password.",
        "'PASS '                   | PASS needs a password.",
        "'AUTH PLAIN a b'          | AUTH takes a mechanism and at most an initial response.",
    })
    void malformedLinesAreErrNeverExceptions(String line, String expected) {
        assertThatThrownBy(() -> parse(line)).isInstanceOf(Pop3Exception.class)
                .satisfies(e -> assertThat(((Pop3Exception) e).responseLine()).isEqualTo("-ERR " + expected));
    }

    @Test
    void passwordsNeverShowInToString() {
        assertThat(parse("PASS hunter2").toString()).doesNotContain("hunter2");
        assertThat(parse("AUTH PLAIN AGFAYg==").toString()).doesNotContain("AGFAYg==");
    }

    @Test
    void randomBytesNeverThrowAnythingButPop3Exception() {
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[r.nextInt(40)];
            r.nextBytes(b);
            if (r.nextBoolean() && b.length > 5) {
                String[] kw = {"RETR ", "TOP ", "LIST ", "USER ", "PASS ", "AUTH ", "UIDL ", "DELE "};
                byte[] k = kw[r.nextInt(kw.length)].getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(k, 0, b, 0, Math.min(k.length, b.length));
            }
            try {
                CommandParser.parse(new Line(b, Line.Ending.CRLF, false, false));
            } catch (Pop3Exception expected) {
                assertThat(expected.responseLine()).startsWith("-ERR ");
            }
        }
    }
}
