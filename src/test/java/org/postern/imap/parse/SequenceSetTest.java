package org.postern.imap.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SequenceSetTest {

    @Test
    void parsesElementsInTheClientsOrder() {
        SequenceSet s = SequenceSet.parse("5,1:3,*,9:7,4294967295,10:*");
        assertThat(s.ranges()).containsExactly(
                new SequenceSet.Range(5, 5), new SequenceSet.Range(1, 3), new SequenceSet.Range(SequenceSet.STAR, SequenceSet.STAR),
                new SequenceSet.Range(9, 7), new SequenceSet.Range(4294967295L, 4294967295L),
                new SequenceSet.Range(10, SequenceSet.STAR));
        assertThat(s.saved()).isFalse();
        assertThat(s.usesStar()).isTrue();
        assertThat(s.maxExplicit()).isEqualTo(4294967295L);
        assertThat(s).hasToString("5,1:3,*,9:7,4294967295,10:*");
    }

    @Test
    void dollarIsTheSavedResult() {
        assertThat(SequenceSet.parse("$")).isEqualTo(SequenceSet.savedResult());
        SequenceSet mixed = SequenceSet.parse("1,$");
        assertThat(mixed.saved()).isTrue();
        assertThat(mixed.ranges()).containsExactly(new SequenceSet.Range(1, 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "0:5", "5:0", "01", "4294967296", "99999999999999999999", "1,", ",1", "1,,2",
        "1:", ":1", "1:2:3", "a", "1-5", "-1", "1.5", "**", "*:", "$$", " 1", "1 "})
    void rejectsInvalidSets(String text) {
        assertThatThrownBy(() -> SequenceSet.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void normalisesWithStar() {
        assertThat(SequenceSet.parse("5,1:3,*,9:7").normalized(20)).containsExactly(1, 3, 5, 5, 7, 9, 20, 20);
        assertThat(SequenceSet.parse("1:2,3,4:6").normalized(10)).containsExactly(1, 6);
        assertThat(SequenceSet.parse("*:4").normalized(2)).containsExactly(2, 4);
        assertThat(SequenceSet.parse("1:*").normalized(0)).isEmpty(); // empty mailbox: * names nothing
    }

    @Test
    void selectsUidsOfTheMailbox() {
        long[] uids = {3, 7, 8, 20, 559 - 400, 1000};
        java.util.Arrays.sort(uids);
        assertThat(SequenceSet.parse("1:7").selectUids(uids, null)).containsExactly(3, 7);
        assertThat(SequenceSet.parse("*").selectUids(uids, null)).containsExactly(1000);
        // RFC 9051 §6.4.8: 559:* always includes the largest UID, even when 559 is above it
        assertThat(SequenceSet.parse("5000:*").selectUids(uids, null)).containsExactly(1000);
        assertThat(SequenceSet.parse("1:4294967295").selectUids(uids, null)).containsExactly(uids);
        assertThat(SequenceSet.parse("1:*").selectUids(new long[0], null)).isEmpty();
        assertThat(SequenceSet.parse("$").selectUids(uids, new long[] {7, 20, 999})).containsExactly(7, 20);
        assertThat(SequenceSet.parse("$").selectUids(uids, null)).isEmpty();
        assertThat(SequenceSet.parse("3,$").selectUids(uids, new long[] {1000})).containsExactly(3, 1000);
    }

    @Test
    void selectsSequenceNumbers() {
        assertThat(SequenceSet.parse("2:4,*").selectSequenceNumbers(10, null)).containsExactly(2, 3, 4, 10);
        assertThat(SequenceSet.parse("*:8").selectSequenceNumbers(10, null)).containsExactly(8, 9, 10);
        assertThat(SequenceSet.parse("5:20").selectSequenceNumbers(7, null)).containsExactly(5, 6, 7);
        assertThat(SequenceSet.parse("1:*").selectSequenceNumbers(0, null)).isEmpty();
        assertThat(SequenceSet.parse("$,2").selectSequenceNumbers(5, new long[] {2, 5, 9})).containsExactly(2, 5);
    }

    @Test
    void containsReadsStar() {
        SequenceSet s = SequenceSet.parse("2:4,10:*");
        assertThat(s.contains(3, 50)).isTrue();
        assertThat(s.contains(5, 50)).isFalse();
        assertThat(s.contains(50, 50)).isTrue();
        assertThat(s.contains(10, 0)).isFalse();
        assertThat(List.of(SequenceSet.parse("1:*").contains(1, 0), SequenceSet.parse("1").contains(1, 0)))
                .containsExactly(false, true);
    }
}
