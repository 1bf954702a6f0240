package org.postern.imap.parse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** RFC 9394 §3.1: positions 1-based from the oldest result, or from the newest with "-". */
class PartialRangeTest {
    @Test
    void windowsFromTheStartAndFromTheEnd() {
        assertThat(new PartialRange(1, 5).window(19)).containsExactly(0, 5);
        assertThat(new PartialRange(-5, -1).window(19)).containsExactly(14, 19);
        assertThat(new PartialRange(15, 100).window(19)).containsExactly(14, 19); // what is there
        assertThat(new PartialRange(-100, -15).window(19)).containsExactly(0, 5);
        assertThat(new PartialRange(50, 100).window(19)).satisfies(w -> assertThat(w[0]).isEqualTo(w[1]));
        assertThat(new PartialRange(-100, -50).window(19)).satisfies(w -> assertThat(w[0]).isEqualTo(w[1]));
        assertThat(new PartialRange(1, 0xffff_ffffL).window(3)).containsExactly(0, 3);
        assertThat(new PartialRange(-1, -1).window(0)).containsExactly(0, 0);
    }

    @Test
    void writtenBackWithTheNearestPositionFirst() {
        assertThat(new PartialRange(1, 5).format()).isEqualTo("1:5");
        assertThat(new PartialRange(-5, -1).format()).isEqualTo("-1:-5");
        assertThat(new PartialRange(-100, -50).format()).isEqualTo("-50:-100");
    }
}
