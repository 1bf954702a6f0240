package org.postern.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every sample message of conformance/, as stored and with line ends made CRLF: parses
 * without an exception, keeps the span invariants, round-trips through encode/decode, renders
 * grammatical ENVELOPE/BODY/BODYSTRUCTURE, and serves every section as the raw slice it names.
 */
class ConformanceCorpusTest {

    static Stream<Conformance.Sample> samples() {
        List<Conformance.Sample> all = Conformance.allMessages();
        assertThat(all).hasSizeGreaterThan(150);
        return all.stream().flatMap(s -> Stream.of(s,
                new Conformance.Sample(s.name() + " (CRLF)", Conformance.crlf(s.raw()))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void parsesAndServesEverySection(Conformance.Sample sample) throws Exception {
        try {
            check(sample.raw());
        } catch (AssertionError e) {
            throw new AssertionError(sample.name() + ": " + e.getMessage(), e);
        }
    }

    private static void check(byte[] raw) throws Exception {
        ParsedMessage m = StructureChecks.parse(raw);
        assertThat(m.status()).isNotEqualTo(ParsedMessage.Status.FALLBACK);
        StructureChecks.checkSpans(m, raw);

        ParsedMessage decoded = ParsedMessage.decode(m.encode());
        assertThat(decoded).isEqualTo(m);

        for (boolean utf8 : new boolean[] {false, true}) {
            ImapGrammar.checkEnvelope(ImapValue.parse(ImapRender.envelope(m.envelope(), utf8)));
            ImapGrammar.checkBody(ImapValue.parse(ImapRender.bodyStructure(m, false, utf8)), false);
            ImapGrammar.checkBody(ImapValue.parse(ImapRender.bodyStructure(m, true, utf8)), true);
        }
        StructureChecks.checkSections(m, raw);
    }
}
