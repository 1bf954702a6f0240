package org.postern.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compares the part tree of every stalwart-mail-parser sample (line ends made CRLF) with its
 * NNN.crlf.json: same parts in the same depth-first order, same kind (multipart, message, leaf),
 * same content type, same header and body offsets. mail-parser counts the line break before a
 * boundary into the body it ends; RFC 2046 §5.1.1 gives it to the delimiter, as we do, so an end
 * offset may differ by exactly that line break.
 */
class StalwartExpectationsTest {

    static Stream<Path> samples() {
        return Conformance.files(Conformance.root().resolve("stalwart-mail-parser/eml"), ".eml").stream();
    }

    /** One part as mail-parser lists it. */
    record Expected(String kind, String type, String subtype, long header, long body, long end, Object message) {
    }

    /** One part as we see it, flattened the same way. */
    record Actual(String kind, BodyPart part) {
    }

    /**
     * Samples where mail-parser's repair of broken input differs from ours. Ours follows Dovecot
     * (the source of the malformed/ and thirdparty/ samples); {@link DovecotParserCasesTest}
     * checks several of these against Dovecot's own expectations. The invariants of
     * {@link ConformanceCorpusTest} still hold for all of them.
     */
    static final Map<String, String> DIVERGENT = Map.ofEntries(
            Map.entry("rfc/008.eml", "base64-encoded message/rfc822: we do not decode to parse it (offsets must map to the raw)"),
            Map.entry("thirdparty/005.eml", "'--1--' in the middle of a line is not a boundary (RFC 2046 §5.1.1)"),
            Map.entry("thirdparty/015.eml", "an outer boundary ends a truncated embedded message; 3 message parts, not 1"),
            Map.entry("malformed/000.eml", "4 truncated parts, as Dovecot"),
            Map.entry("malformed/001.eml", "outer boundary ends the inner multipart, as Dovecot"),
            Map.entry("malformed/002.eml", "multipart without boundary lines stays a multipart with no parts, as Dovecot"),
            Map.entry("malformed/004.eml", "'--ab' is a delimiter of 'a' with garbage after it; the part starts on the next line"),
            Map.entry("malformed/007.eml", "truncated inner header: its parts go to the outer multipart, as Dovecot"),
            Map.entry("malformed/008.eml", "the longer outer boundary wins over the inner prefix, as Dovecot"),
            Map.entry("malformed/009.eml", "an outer boundary ends the inner multipart (mail-parser ignores it)"),
            Map.entry("malformed/011.eml", "an outer boundary ends the inner multipart (mail-parser ignores it)"),
            Map.entry("malformed/012.eml", "an outer boundary ends the inner multipart (mail-parser ignores it)"),
            Map.entry("malformed/013.eml", "a repeated boundary belongs to the innermost multipart, as Dovecot"),
            Map.entry("malformed/014.eml", "a last open delimiter starts an empty part"),
            Map.entry("malformed/016.eml", "boundaries longer than RFC 2046's 70 characters: prefix matching differs"),
            Map.entry("malformed/019.eml", "a body at the end of input keeps its last line break"),
            Map.entry("malformed/020.eml", "the first of two Content-Type fields wins, as Dovecot"),
            Map.entry("malformed/021.eml", "the first of two Content-Type fields wins, as Dovecot"),
            Map.entry("malformed/022.eml", "an invalid message/rfc822 is still parsed as a message, as Dovecot"));

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void partTreeAndOffsetsMatch(Path eml) {
        String name = eml.getParent().getFileName() + "/" + eml.getFileName();
        assumeFalse(DIVERGENT.containsKey(name), () -> "known divergence: " + DIVERGENT.get(name));
        byte[] raw = Conformance.crlf(Conformance.read(eml));
        Path json = eml.resolveSibling(eml.getFileName().toString().replace(".eml", ".crlf.json"));
        Object expected = Json.parse(new String(Conformance.read(json), StandardCharsets.UTF_8));
        ParsedMessage m = StructureChecks.parse(raw);
        compare(name, expected, m.root(), raw);
    }

    private static void compare(String where, Object expectedMessage, BodyPart root, byte[] raw) {
        List<Expected> expected = expectedParts(expectedMessage);
        List<Actual> actual = new ArrayList<>();
        flatten(root, actual);
        assertThat(actual.stream().map(Actual::kind).toList()).as(where + " part kinds")
                .isEqualTo(expected.stream().map(Expected::kind).toList());
        for (int i = 0; i < expected.size(); i++) {
            Expected e = expected.get(i);
            BodyPart p = actual.get(i).part();
            String at = where + " part " + i;
            if (e.type() != null) {
                assertThat(p.fields().type()).as(at + " type").isEqualToIgnoringCase(e.type());
                if (e.subtype() != null) {
                    assertThat(p.fields().subtype()).as(at + " subtype").isEqualToIgnoringCase(e.subtype());
                }
            }
            Span s = p.span();
            assertThat(s.headerStart()).as(at + " header offset").isEqualTo(e.header());
            if (s.bodySize() == 0 && e.body() > s.bodyStart() && e.body() - s.bodyStart() <= 2) {
                // our delimiter took the header's blank line (see EntityParser); theirs did not
                String blank = new String(raw, (int) s.bodyStart(), (int) (e.body() - s.bodyStart()),
                        StandardCharsets.ISO_8859_1);
                assertThat(blank).as(at + " blank line before a boundary").isIn("\r\n", "\n");
            } else {
                assertThat(s.bodyStart()).as(at + " body offset").isEqualTo(e.body());
            }
            long delimiterBreak = e.end() - s.bodyEnd();
            assertThat(delimiterBreak).as(at + " end offset " + s.bodyEnd() + " vs " + e.end()).isBetween(0L, 2L);
            if (delimiterBreak > 0) {
                String between = new String(raw, (int) s.bodyEnd(), (int) delimiterBreak, StandardCharsets.ISO_8859_1);
                assertThat(between).as(at + " bytes between our end and theirs").isIn("\r\n", "\n");
            }
            if (e.message() != null) {
                compare(at, e.message(), ((BodyPart.Message) p).body(), raw);
            }
        }
    }

    private static void flatten(BodyPart p, List<Actual> out) {
        switch (p) {
            case BodyPart.Leaf l -> out.add(new Actual("Leaf", p));
            case BodyPart.Message m -> out.add(new Actual("Message", p));
            case BodyPart.Multipart mp -> {
                out.add(new Actual("Multipart", p));
                mp.children().forEach(c -> flatten(c, out));
            }
        }
    }

    private static List<Expected> expectedParts(Object message) {
        List<Expected> out = new ArrayList<>();
        for (Object o : Json.arr(Json.obj(message).get("parts"))) {
            Map<String, Object> part = Json.obj(o);
            Object body = part.get("body");
            String kind = "Leaf";
            Object nested = null;
            if (body instanceof Map<?, ?> b) {
                if (b.containsKey("Multipart")) {
                    kind = "Multipart";
                } else if (b.containsKey("Message")) {
                    kind = "Message";
                    nested = b.get("Message");
                }
            }
            String type = null;
            String subtype = null;
            for (Object h : Json.arr(part.get("headers"))) {
                Map<String, Object> header = Json.obj(h);
                if ("content_type".equals(header.get("name")) && header.get("value") instanceof Map<?, ?> v
                        && v.get("ContentType") instanceof Map<?, ?> ct) {
                    type = (String) ct.get("c_type");
                    subtype = (String) ct.get("c_subtype");
                }
            }
            out.add(new Expected(kind, type, subtype, (Long) part.get("offset_header"),
                    (Long) part.get("offset_body"), (Long) part.get("offset_end"), nested));
        }
        return out;
    }
}
