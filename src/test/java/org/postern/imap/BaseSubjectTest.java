package org.postern.imap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 5256 §2.1: the base subject SORT and THREAD compare. */
class BaseSubjectTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            Lunch                                     | Lunch        | false
            Re: Lunch                                 | Lunch        | true
            RE:   Re: re:Lunch                        | Lunch        | true
            Fwd: Lunch                                | Lunch        | true
            FW: Lunch                                 | Lunch        | true
            Lunch (fwd)                               | Lunch        | true
            '[foo] Fwd: [bar] Re: fw: b (fWd)  (fwd)' | b            | true
            Re: [FWD: c]                              | c            | true
            [xyz]                                     | [xyz]        | false
            [list] Lunch                              | Lunch        | false
            '[list]   '                               | [list]       | false
            Re [x]: Lunch                             | Lunch        | true
            Rex: Lunch                                | Rex: Lunch   | false
            '  spaced    out	 subject  '          | spaced out subject | false
            [fwd: [fwd: inner]]                       | inner        | true
            ''                                        | ''           | false
            Re:                                       | ''           | true
            """)
    void baseSubject(String subject, String base, boolean replyOrForward) {
        BaseSubject b = BaseSubject.of(subject);
        assertThat(b.text()).isEqualTo(base);
        assertThat(b.replyOrForward()).isEqualTo(replyOrForward);
    }

    @org.junit.jupiter.api.Test
    void asciiCasemapFoldsOnlyAsciiLetters() {
        assertThat(BaseSubject.compareAsciiCasemap("abc", "ABC")).isZero();
        assertThat(BaseSubject.compareAsciiCasemap("a", "B")).isNegative();
        assertThat(BaseSubject.compareAsciiCasemap("Z", "_")).isNegative(); // 'Z' 0x5A < '_' 0x5F
        assertThat(BaseSubject.compareAsciiCasemap("ab", "abc")).isNegative();
        assertThat(BaseSubject.compareAsciiCasemap("é", "É")).isNotZero();
    }
}
