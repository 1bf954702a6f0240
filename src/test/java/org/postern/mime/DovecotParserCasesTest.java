package org.postern.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Broken multiparts from Dovecot's message-parser test suite (the inputs are the
 * stalwart-mail-parser malformed/NNN.eml files, LF line ends). The expected offsets and sizes are
 * the ones Dovecot's own tests assert for these inputs; they follow RFC 2046 §5.1.1 (the line
 * break before a boundary line belongs to the delimiter, a boundary only has to match the start
 * of a line, the longest matching boundary wins) with Dovecot's repairs for missing pieces.
 */
class DovecotParserCasesTest {

    private static ParsedMessage parse(String file, MimeLimits limits) throws IOException {
        byte[] raw = Conformance.read(Conformance.root().resolve("stalwart-mail-parser/eml/malformed/" + file));
        ParsedMessage m = MessageParser.parse(new ByteArrayInputStream(raw), limits);
        StructureChecks.checkSpans(m, raw);
        return m;
    }

    private static ParsedMessage parse(String file) throws IOException {
        return parse(file, MimeLimits.DEFAULT);
    }

    /** Asserts kind, position, header size, body size and line count of a part. */
    private static void part(BodyPart p, Class<? extends BodyPart> kind, long pos, long header, long body, long lines) {
        assertThat(p).isInstanceOf(kind);
        assertThat(p.span().headerStart()).as("position").isEqualTo(pos);
        assertThat(p.span().headerSize()).as("header size").isEqualTo(header);
        assertThat(p.span().bodySize()).as("body size").isEqualTo(body);
        assertThat(p.span().bodyLines()).as("body lines").isEqualTo(lines);
    }

    private static List<BodyPart> children(BodyPart p) {
        return ((BodyPart.Multipart) p).children();
    }

    @Test
    void truncatedMimeHeaders() throws IOException {
        // empty part, then headers cut by the next boundary (CRLF and LF), then the close delimiter
        ParsedMessage m = parse("000.eml");
        part(m.root(), BodyPart.Multipart.class, 0, 48, 112, 8);
        List<BodyPart> c = children(m.root());
        assertThat(c).hasSize(4);
        part(c.get(0), BodyPart.Leaf.class, 55, 0, 0, 0);
        part(c.get(1), BodyPart.Leaf.class, 62, 24, 0, 0);
        part(c.get(2), BodyPart.Leaf.class, 94, 24, 0, 0);
        part(c.get(3), BodyPart.Leaf.class, 127, 23, 0, 0);
    }

    @Test
    void outerBoundaryEndsInnerMultipartBeforeItsFirstPart() throws IOException {
        ParsedMessage m = parse("001.eml");
        part(m.root(), BodyPart.Multipart.class, 0, 46, 86, 8);
        List<BodyPart> c = children(m.root());
        assertThat(c).hasSize(2);
        part(c.get(0), BodyPart.Multipart.class, 51, 44, 0, 0);
        assertThat(children(c.get(0))).isEmpty();
        part(c.get(1), BodyPart.Leaf.class, 101, 26, 5, 2);
    }

    @Test
    void multipartWithoutAnyBoundaryLineHasNoParts() throws IOException {
        ParsedMessage m = parse("002.eml");
        part(m.root(), BodyPart.Multipart.class, 0, 46, 5, 1);
        assertThat(children(m.root())).isEmpty();
        // RFC 3501 needs one part: an empty text/plain stands in
        assertThat(new String(ImapRender.bodyStructure(m, false), StandardCharsets.UTF_8))
                .isEqualTo("((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 0 0) \"MIXED\")");
    }

    @Test
    void duplicateBoundaryBelongsToTheInnermost() throws IOException {
        ParsedMessage m = parse("003.eml");
        part(m.root(), BodyPart.Multipart.class, 0, 45, 84, 7);
        BodyPart inner = children(m.root()).get(0);
        part(inner, BodyPart.Multipart.class, 49, 45, 35, 4);
        part(children(inner).get(0), BodyPart.Leaf.class, 98, 26, 5, 1);
    }

    @Test
    void garbageAfterBoundaryIsAllowed() throws IOException {
        ParsedMessage m = parse("004.eml");
        part(m.root(), BodyPart.Multipart.class, 0, 45, 86, 7);
        BodyPart inner = children(m.root()).get(0);
        part(inner, BodyPart.Multipart.class, 50, 45, 36, 4);
        part(children(inner).get(0), BodyPart.Leaf.class, 100, 26, 5, 1);
    }

    @Test
    void longerInnerBoundaryWinsOverItsPrefix() throws IOException {
        ParsedMessage m = parse("006.eml");
        part(m.root(), BodyPart.Multipart.class, 0, 45, 86, 7);
        BodyPart inner = children(m.root()).get(0);
        part(inner, BodyPart.Multipart.class, 49, 46, 36, 4);
        part(children(inner).get(0), BodyPart.Leaf.class, 100, 26, 5, 1);
    }

    @Test
    void truncatedInnerHeaderLeavesItsPartsToTheOuterMultipart() throws IOException {
        ParsedMessage m = parse("007.eml");
        part(m.root(), BodyPart.Multipart.class, 0, 45, 112, 9);
        List<BodyPart> c = children(m.root());
        assertThat(c).hasSize(3);
        part(c.get(0), BodyPart.Multipart.class, 49, 62, 0, 0);
        part(c.get(1), BodyPart.Leaf.class, 117, 25, 0, 0);
        part(c.get(2), BodyPart.Leaf.class, 150, 0, 0, 0);
    }

    @Test
    void shorterInnerBoundaryDoesNotHideTheOuterOne() throws IOException {
        ParsedMessage m = parse("008.eml");
        part(m.root(), BodyPart.Multipart.class, 0, 46, 121, 11);
        List<BodyPart> c = children(m.root());
        assertThat(c).hasSize(2);
        part(c.get(0), BodyPart.Multipart.class, 51, 45, 34, 3);
        part(children(c.get(0)).get(0), BodyPart.Leaf.class, 100, 26, 4, 0);
        part(c.get(1), BodyPart.Leaf.class, 136, 25, 6, 1);
    }

    @Test
    void nestingLimitLeavesTheDeepMultipartOpaque() throws IOException {
        ParsedMessage m = parse("009.eml", new MimeLimits(1, 1000, 1 << 20));
        assertThat(m.status()).isEqualTo(ParsedMessage.Status.LIMITED);
        part(m.root(), BodyPart.Multipart.class, 0, 45, 148, 15);
        List<BodyPart> c = children(m.root());
        assertThat(c).hasSize(2);
        part(c.get(0), BodyPart.Leaf.class, 49, 45, 64, 7);
        assertThat(c.get(0).fields().type() + "/" + c.get(0).fields().subtype()).isEqualTo("application/octet-stream");
        part(c.get(1), BodyPart.Leaf.class, 163, 26, 4, 1);
    }

    @Test
    void partLimitLeavesTheRestInTheLastBody() throws IOException {
        ParsedMessage m = parse("009.eml", new MimeLimits(64, 4, 1 << 20));
        assertThat(m.status()).isEqualTo(ParsedMessage.Status.LIMITED);
        part(m.root(), BodyPart.Multipart.class, 0, 45, 148, 15);
        List<BodyPart> c = children(m.root());
        assertThat(c).hasSize(1);
        part(c.get(0), BodyPart.Multipart.class, 49, 45, 99, 12);
        List<BodyPart> inner = children(c.get(0));
        assertThat(inner).hasSize(2);
        assertThat(inner.get(0).span().headerSize()).isEqualTo(26);
        assertThat(inner.get(0).span().bodySize()).isEqualTo(1);
        assertThat(inner.get(1).span().headerSize()).isEqualTo(26);
        assertThat(inner.get(1).span().bodySize()).isEqualTo(37);
        assertThat(inner.get(1).span().bodyLines()).isEqualTo(5);
    }

    @Test
    void withinLimitsTheSameMessageIsFullyExpanded() throws IOException {
        ParsedMessage m = parse("009.eml");
        assertThat(m.status()).isEqualTo(ParsedMessage.Status.COMPLETE);
        List<BodyPart> c = children(m.root());
        assertThat(c).hasSize(2);
        assertThat(children(c.get(0))).hasSize(2);
        assertThat(c.get(1).span().bodySize()).isEqualTo(4);
    }

    @Test
    void nestingLimitAppliesToEmbeddedMessages() throws IOException {
        ParsedMessage m = parse("010.eml", new MimeLimits(1, 1000, 1 << 20));
        part(m.root(), BodyPart.Message.class, 0, 30, 58, 5);
        BodyPart embedded = ((BodyPart.Message) m.root()).body();
        part(embedded, BodyPart.Leaf.class, 30, 30, 28, 3);
        assertThat(embedded.fields().subtype()).isEqualTo("octet-stream");
    }

    @Test
    void headerWithoutBlankLine() throws IOException {
        ParsedMessage m = MessageParser.parse(new ByteArrayInputStream("a:b\n".getBytes(StandardCharsets.US_ASCII)));
        part(m.root(), BodyPart.Leaf.class, 0, 4, 0, 0);
    }
}
