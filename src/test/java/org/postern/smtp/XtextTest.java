package org.postern.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** xtext (RFC 3461 §4) both ways, and what it refuses. */
class XtextTest {
    @Test
    void decodesHexcharsAndKeepsPlainCharacters() {
        assertThat(Xtext.decode("QQ314159")).contains("QQ314159");
        assertThat(Xtext.decode("a+2Bb+3Dc+20d")).contains("a+b=c d");
        assertThat(Xtext.decode("a+2bb")).contains("a+b"); // lower-case hex accepted: unambiguous
        assertThat(Xtext.decode("")).contains("");
    }

    @Test
    void refusesWhatIsNotXtextOrNotPrintableAscii() {
        assertThat(Xtext.decode("a=b")).isEmpty();       // '=' must be encoded
        assertThat(Xtext.decode("a b")).isEmpty();       // so must SP
        assertThat(Xtext.decode("ab+")).isEmpty();       // a cut-off hexchar
        assertThat(Xtext.decode("ab+4")).isEmpty();
        assertThat(Xtext.decode("ab+G1")).isEmpty();
        assertThat(Xtext.decode("a+0D+0Ab")).isEmpty();  // CR LF: no header injection through ENVID or ORCPT
        assertThat(Xtext.decode("a+FFb")).isEmpty();     // not ASCII
        assertThat(Xtext.decode("j\u00f6rg")).isEmpty();
    }

    @Test
    void encodesWhatMustBeEncodedAndRoundTrips() {
        assertThat(Xtext.encode("id 1+2=3")).isEqualTo("id+201+2B2+3D3");
        String s = "Some <odd> id: +=~ \"quoted\"";
        assertThat(Xtext.decode(Xtext.encode(s))).contains(s);
    }
}
