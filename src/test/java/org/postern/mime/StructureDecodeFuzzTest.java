package org.postern.mime;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing (Jazzer) of {@link ParsedMessage#decode}: the stored structure comes
 * back from the database, where a damaged row must give {@link StructureDecodeException} (which
 * the store reports) and never another exception, a hang or a huge allocation. What does decode
 * encodes to bytes that decode to the same value.
 */
class StructureDecodeFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void decode(byte[] stored) {
        ParsedMessage m;
        try {
            m = ParsedMessage.decode(stored);
        } catch (StructureDecodeException e) {
            return;
        }
        assertThat(ParsedMessage.decode(m.encode())).isEqualTo(m);
    }
}
