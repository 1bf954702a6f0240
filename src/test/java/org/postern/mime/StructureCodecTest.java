package org.postern.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** The stored form: round trips, stays compact, and rejects anything corrupt with a clear exception. */
class StructureCodecTest {

    private static final byte[] RAW = TrickyMessagesTest.crlf(TrickyMessagesTest.NESTED);

    @Test
    void roundTripsEverything() {
        ParsedMessage m = StructureChecks.parse(RAW);
        byte[] encoded = m.encode();
        assertThat(ParsedMessage.decode(encoded)).isEqualTo(m);
        assertThat(encoded.length).as("compact").isLessThan(RAW.length);
        assertThat(ParsedMessage.decode(encoded).encode()).isEqualTo(encoded);
    }

    @Test
    void roundTripsFallbackAndEmpty() {
        ParsedMessage empty = StructureChecks.parse(new byte[0]);
        assertThat(ParsedMessage.decode(empty.encode())).isEqualTo(empty);
    }

    @Test
    void rejectsEveryFlippedBit() {
        byte[] encoded = StructureChecks.parse(RAW).encode();
        for (int i = 0; i < encoded.length; i++) {
            for (int bit = 0; bit < 8; bit += 3) {
                byte[] corrupt = encoded.clone();
                corrupt[i] ^= (byte) (1 << bit);
                assertThatThrownBy(() -> ParsedMessage.decode(corrupt)).as("byte %d bit %d", i, bit)
                        .isInstanceOf(StructureDecodeException.class);
            }
        }
    }

    @Test
    void rejectsTruncationAndGarbage() {
        byte[] encoded = StructureChecks.parse(RAW).encode();
        for (int n = 0; n < encoded.length; n += 7) {
            byte[] cut = Arrays.copyOf(encoded, n);
            assertThatThrownBy(() -> ParsedMessage.decode(cut)).isInstanceOf(StructureDecodeException.class);
        }
        assertThatThrownBy(() -> ParsedMessage.decode(null)).isInstanceOf(StructureDecodeException.class);
        assertThatThrownBy(() -> ParsedMessage.decode("hello, this is not it".getBytes()))
                .isInstanceOf(StructureDecodeException.class).hasMessageContaining("magic");
    }

    @Test
    void rejectsUnknownVersion() {
        byte[] encoded = StructureChecks.parse(RAW).encode();
        encoded[3] = 99;
        assertThatThrownBy(() -> ParsedMessage.decode(encoded))
                .isInstanceOf(StructureDecodeException.class).hasMessageContaining("version 99");
    }

    @Test
    void rejectsValidChecksumOverInconsistentContent() {
        // A well-formed payload whose root does not cover the message: re-sign it and expect a
        // structural error, not a checksum one.
        ParsedMessage m = StructureChecks.parse(RAW);
        ParsedMessage lying = new ParsedMessage(m.size() + 1, m.root(), m.envelope(), m.subject(), m.sentDate(),
                m.from(), m.messageId(), m.inReplyTo(), m.references(), m.status());
        assertThatThrownBy(() -> ParsedMessage.decode(lying.encode()))
                .isInstanceOf(StructureDecodeException.class).hasMessageContaining("root does not cover");
    }
}
