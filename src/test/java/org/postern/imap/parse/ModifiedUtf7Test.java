package org.postern.imap.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ModifiedUtf7Test {

    static Stream<Arguments> pairs() {
        return Stream.of(
                // RFC 3501 §5.1.3 example
                Arguments.of("~peter/mail/\u53f0\u5317/\u65e5\u672c\u8a9e", "~peter/mail/&U,BTFw-/&ZeVnLIqe-"),
                Arguments.of("INBOX", "INBOX"),
                Arguments.of("", ""),
                Arguments.of("&", "&-"),
                Arguments.of("Tom & Jerry", "Tom &- Jerry"),
                Arguments.of("&&", "&-&-"),
                Arguments.of("p\u00e4\u00e4", "p&AOQA5A-"), // dovecot-imaptest tests/mutf7
                Arguments.of("\u00e9", "&AOk-"),
                Arguments.of("\u00e4", "&AOQ-"),
                Arguments.of("Entw\u00fcrfe", "Entw&APw-rfe"),
                Arguments.of("Gel\u00f6schte Elemente", "Gel&APY-schte Elemente"),
                Arguments.of("\u0417\u0430\u043f\u0438\u0441\u0438", "&BBcEMAQ,BDgEQQQ4-"),
                Arguments.of("\ud83d\ude00", "&2D3eAA-"), // a supplementary character: a surrogate pair
                Arguments.of("a\ud83d\ude00b&c", "a&2D3eAA-b&-c"),
                Arguments.of("[Gmail]/Sent Mail", "[Gmail]/Sent Mail"),
                Arguments.of("~/+,-", "~/+,-"));
    }

    @ParameterizedTest
    @MethodSource("pairs")
    void encodesAndDecodes(String unicode, String wire) {
        assertThat(ModifiedUtf7.encode(unicode)).isEqualTo(wire);
        assertThat(ModifiedUtf7.decode(wire)).isEqualTo(unicode);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "&",              // unterminated
        "&U,BTFw",        // unterminated run
        "&AGE-",          // encodes printable ASCII "a"
        "&ACY-",          // encodes "&" instead of "&-"
        "&U,BTFw-&ZeVnLIqe-", // adjacent runs must be merged
        "&AOR-",          // the bits left over are not zero
        "&AO-",           // not a whole UTF-16 unit
        "&A-",            // 6 bits only
        "&AOk=-",         // '=' padding is not modified base64
        "&AO/-",          // '/' is written ',' in modified base64
        "&2D0-",          // unpaired high surrogate
        "&3gA-",          // unpaired low surrogate
        "&2D0-x&3gA-",    // a pair split across two runs
        "p\u00e4",        // raw 8-bit: not modified UTF-7
        "a\tb",           // control character
        "a\u007fb"})
    void rejectsWhatIsNotCanonical(String wire) {
        assertThatThrownBy(() -> ModifiedUtf7.decode(wire)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("\n");
    }

    @Test
    void randomTextRoundTrips() {
        Random random = new Random(7);
        for (int i = 0; i < 5000; i++) {
            StringBuilder b = new StringBuilder();
            int n = random.nextInt(12);
            for (int k = 0; k < n; k++) {
                int kind = random.nextInt(4);
                int cp = switch (kind) {
                    case 0 -> 0x20 + random.nextInt(0x5f);
                    case 1 -> 0xa0 + random.nextInt(0x700);
                    case 2 -> 0x4e00 + random.nextInt(0x5000);
                    default -> 0x1f300 + random.nextInt(0x300);
                };
                b.appendCodePoint(cp);
            }
            String s = b.toString();
            String wire = ModifiedUtf7.encode(s);
            assertThat(wire).matches("[\\x20-\\x7e]*");
            assertThat(ModifiedUtf7.decode(wire)).isEqualTo(s);
        }
    }

    @Test
    void mailboxNamesNormaliseInboxAndRefuseControlCharacters() {
        assertThat(MailboxName.fromWire("inbox", false)).isEqualTo(MailboxName.INBOX);
        assertThat(MailboxName.fromWire("InBoX", true).isInbox()).isTrue();
        assertThat(MailboxName.fromWire("INBOX.Sent", false).name()).isEqualTo("INBOX.Sent");
        assertThat(MailboxName.fromWire("inbox.Sent", false).name()).isEqualTo("inbox.Sent");
        assertThat(MailboxName.fromWire("Entw&APw-rfe", false).name()).isEqualTo("Entw\u00fcrfe");
        assertThat(MailboxName.fromWire("Entw\u00fcrfe", true).name()).isEqualTo("Entw\u00fcrfe");
        assertThat(MailboxName.fromWire("a&b", true).name()).isEqualTo("a&b"); // UTF-8 mode: '&' is itself
        assertThat(new MailboxName("Entw\u00fcrfe").toWire(false)).isEqualTo("Entw&APw-rfe");
        assertThatThrownBy(() -> MailboxName.fromWire("a\u0085b", true)).hasMessageContaining("U+0085");
        assertThatThrownBy(() -> MailboxName.fromWire("a\u2028b", true)).hasMessageContaining("U+2028");
        assertThatThrownBy(() -> MailboxName.fromWire("&AAE-", false)).hasMessageContaining("U+0001");
    }
}
