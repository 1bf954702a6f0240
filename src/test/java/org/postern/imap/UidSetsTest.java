package org.postern.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UidSetsTest {
    static List<String> absent(long[] wanted, long[] present, int perPiece) throws Exception {
        List<String> pieces = new ArrayList<>();
        UidSets.absent(wanted, present.length, i -> present[i], perPiece, pieces::add);
        return pieces;
    }

    @Test
    void theGapsBetweenPresentUidsAreRanges() throws Exception {
        long[] present = {3, 4, 8, 10};
        assertThat(absent(new long[] {1, 12}, present, 100)).containsExactly("1:2,5:7,9,11:12");
        assertThat(absent(new long[] {3, 4}, present, 100)).isEmpty();
        assertThat(absent(new long[] {4, 9, 11, 11}, present, 100)).containsExactly("5:7,9,11");
        assertThat(absent(new long[] {1, 5}, new long[0], 100)).containsExactly("1:5");
        assertThat(absent(new long[0], present, 100)).isEmpty();
    }

    @Test
    void manyGapsComeInPiecesAndTheWorkFollowsTheMailboxNotTheRange() throws Exception {
        // 100,000 messages with odd UIDs: 99,999 single-UID gaps, and one range above them to 2^32-1.
        long[] present = new long[100_000];
        for (int i = 0; i < present.length; i++) {
            present[i] = 2L * i + 1;
        }
        List<String> pieces = absent(new long[] {1, 0xffff_ffffL}, present, 1_000);
        assertThat(pieces).hasSize(100);
        assertThat(pieces.getFirst()).startsWith("2,4,6,").endsWith(",2000");
        assertThat(pieces.getLast()).endsWith(",199998,200000:4294967295");
        assertThat(pieces).allMatch(p -> p.split(",").length == 1_000);
    }

    @Test
    void clipKeepsOnlyWhatIsInsideTheBounds() {
        assertThat(UidSets.clip(new long[] {1, 3, 5, 9, 12, 20}, 4, 15)).containsExactly(5, 9, 12, 15);
        assertThat(UidSets.clip(new long[] {1, 10}, 11, 10)).isEmpty();
    }
}
