package org.postern.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class LineTest {

    @Test
    void decodesUtf8AndDetectsMalformedInput() throws Exception {
        Line good = new Line("A1 SELECT Entwürfe".getBytes(StandardCharsets.UTF_8), Line.Ending.CRLF, false, false);
        assertThat(good.isValidUtf8()).isTrue();
        assertThat(good.utf8()).isEqualTo("A1 SELECT Entwürfe");

        Line latin1 = new Line("Entwürfe".getBytes(StandardCharsets.ISO_8859_1), Line.Ending.CRLF, false, false);
        assertThat(latin1.isValidUtf8()).isFalse();
        assertThatThrownBy(latin1::utf8).isInstanceOf(CharacterCodingException.class);
        assertThat(latin1.utf8Lenient()).isEqualTo("Entw\uFFFDrfe");
        assertThat(latin1.latin1()).isEqualTo("Entwürfe");

        Line overlong = new Line(new byte[] {(byte) 0xC0, (byte) 0xAF}, Line.Ending.CRLF, false, false);
        assertThat(overlong.isValidUtf8()).as("overlong encoding of '/'").isFalse();
    }

    @Test
    void toStringNeverShowsTheContent() {
        Line secret = new Line("A1 LOGIN alice hunter2".getBytes(StandardCharsets.US_ASCII), Line.Ending.LF, false, false);
        assertThat(secret.toString()).doesNotContain("hunter2").doesNotContain("alice").contains("22 bytes", "LF");
    }

    @Test
    void equalityIsByContent() {
        Line a = new Line(new byte[] {'x'}, Line.Ending.CRLF, false, false);
        Line b = new Line(new byte[] {'x'}, Line.Ending.CRLF, false, false);
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(new Line(new byte[] {'x'}, Line.Ending.LF, false, false));
    }
}
