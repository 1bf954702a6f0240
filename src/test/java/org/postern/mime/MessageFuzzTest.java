package org.postern.mime;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Coverage-guided fuzzing (Jazzer) of what delivery does with any message: {@link MessageParser}
 * (mime4j underneath), then what IMAP shows of it. Whatever the bytes: the parse succeeds (a bad
 * message is still delivered, as one text part at worst), every span and section agrees with the
 * raw bytes, the stored form decodes to the same value, and ENVELOPE and BODYSTRUCTURE (plain
 * and extensible, with and without UTF8=ACCEPT) are valid IMAP by the grammar of RFC 9051 §9.
 */
class MessageFuzzTest {
    /** Small limits, so the fuzzer reaches the LIMITED paths with small inputs. */
    static final MimeLimits LIMITS = new MimeLimits(8, 40, 2048);

    @FuzzTest(maxDuration = "20s")
    void parseStoreAndRender(byte[] raw) throws IOException {
        for (MimeLimits limits : new MimeLimits[] {MimeLimits.DEFAULT, LIMITS}) {
            ParsedMessage m = MessageParser.parse(new ByteArrayInputStream(raw), limits);
            StructureChecks.checkSpans(m, raw);
            StructureChecks.checkSections(m, raw);
            assertThat(ParsedMessage.decode(m.encode())).isEqualTo(m);
            for (boolean utf8 : new boolean[] {false, true}) {
                ImapGrammar.checkEnvelope(ImapValue.parse(ImapRender.envelope(m.envelope(), utf8)));
                ImapGrammar.checkBody(ImapValue.parse(ImapRender.bodyStructure(m, false, utf8)), false);
                ImapGrammar.checkBody(ImapValue.parse(ImapRender.bodyStructure(m, true, utf8)), true);
            }
        }
    }
}
