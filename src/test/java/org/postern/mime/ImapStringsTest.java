package org.postern.mime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** RFC 3501 §4.3 / RFC 9051 §4.3 strings: quoted when safe, literal otherwise. */
class ImapStringsTest {

    @Test
    void quotesPlainText() {
        assertThat(ImapStrings.string("hello world", false)).isEqualTo("\"hello world\"");
        assertThat(ImapStrings.string("", false)).isEqualTo("\"\"");
        assertThat(ImapStrings.string("tab\there", false)).isEqualTo("\"tab\there\"");
    }

    @Test
    void escapesQuoteAndBackslash() {
        assertThat(ImapStrings.string("a\"b\\c", false)).isEqualTo("\"a\\\"b\\\\c\"");
    }

    @Test
    void nilForNull() {
        assertThat(ImapStrings.nstring(null, false)).isEqualTo("NIL");
        assertThat(ImapStrings.nstring("NIL", false)).isEqualTo("\"NIL\"");
    }

    @Test
    void literalForLineBreaksControlsAndLength() {
        assertThat(ImapStrings.string("a\r\nb", false)).isEqualTo("{4}\r\na\r\nb");
        assertThat(ImapStrings.string("a\nb", true)).isEqualTo("{3}\r\na\nb");
        assertThat(ImapStrings.string("bell\u0007", false)).isEqualTo("{5}\r\nbell\u0007");
        String max = "x".repeat(ImapStrings.MAX_QUOTED);
        assertThat(ImapStrings.string(max, false)).startsWith("\"");
        assertThat(ImapStrings.string(max + "x", false)).startsWith("{1025}\r\n");
    }

    @Test
    void eightBitIsLiteralUnlessUtf8Accept() {
        // literal length counts UTF-8 octets: "é" is two
        assertThat(ImapStrings.string("café", false)).isEqualTo("{5}\r\ncafé");
        assertThat(ImapStrings.string("café", true)).isEqualTo("\"café\"");
        assertThat(ImapStrings.string("日本", true)).isEqualTo("\"日本\"");
        assertThat(ImapStrings.isQuotable("é".repeat(600), true)).isFalse(); // 1200 octets
    }

    @Test
    void nulIsDropped() {
        assertThat(ImapStrings.string("a\0b", false)).isEqualTo("\"ab\"");
    }
}
