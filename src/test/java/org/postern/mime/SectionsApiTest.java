package org.postern.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Section specifications, sources and the RFC 3501 §6.4.5 edge cases. */
class SectionsApiTest {

    private static final byte[] SINGLE = TrickyMessagesTest.crlf("From: a@b\nSubject: s\n\nline one\nline two\n");
    private static final byte[] MULTI = TrickyMessagesTest.crlf(TrickyMessagesTest.NESTED);

    private static String fetch(byte[] raw, String spec) throws IOException {
        ParsedMessage m = StructureChecks.parse(raw);
        return new String(StructureChecks.bytes(Sections.fetch(m, MessageSource.of(raw), SectionSpec.parse(spec))),
                StandardCharsets.UTF_8);
    }

    @Test
    void partOneOfASinglePartMessageIsItsBody() throws IOException {
        assertThat(fetch(SINGLE, "1")).isEqualTo("line one\r\nline two\r\n");
        assertThat(fetch(SINGLE, "TEXT")).isEqualTo("line one\r\nline two\r\n");
        assertThat(fetch(SINGLE, "1.MIME")).isEqualTo("From: a@b\r\nSubject: s\r\n\r\n");
    }

    @Test
    void missingPartsAreEmptyAndSaySo() throws IOException {
        ParsedMessage m = StructureChecks.parse(SINGLE);
        MessageSource source = MessageSource.of(SINGLE);
        for (String spec : List.of("2", "1.1", "1.HEADER", "1.TEXT", "3.1", "1.2.3.MIME")) {
            SectionContent c = Sections.fetch(m, source, SectionSpec.parse(spec));
            assertThat(c.exists()).as(spec).isFalse();
            assertThat(c.length()).as(spec).isZero();
        }
        assertThat(Sections.binary(m, source, 2)).isInstanceOf(BinaryResult.Missing.class);
        assertThat(Sections.fetch(m, source, SectionSpec.parse("1")).exists()).isTrue();
    }

    @Test
    void headerOfAPartThatIsNotAMessageIsMissing() throws IOException {
        ParsedMessage m = StructureChecks.parse(MULTI);
        assertThat(Sections.fetch(m, MessageSource.of(MULTI), SectionSpec.parse("3.HEADER")).exists()).isFalse();
        assertThat(Sections.fetch(m, MessageSource.of(MULTI), SectionSpec.parse("2.HEADER")).exists()).isTrue();
    }

    @Test
    void partialFetches() throws IOException {
        ParsedMessage m = StructureChecks.parse(SINGLE);
        SectionContent text = Sections.fetch(m, MessageSource.of(SINGLE), SectionSpec.parse("TEXT"));
        assertThat(new String(StructureChecks.bytes(text.partial(5, 3)), StandardCharsets.US_ASCII)).isEqualTo("one");
        assertThat(text.partial(15, 100).length()).isEqualTo(5);
        assertThat(text.partial(20, 1).length()).isZero();
        assertThat(text.partial(1000, 1).length()).isZero();
        assertThat(text.partial(5, 3).partial(1, 1).length()).isEqualTo(1);
        assertThatThrownBy(() -> text.partial(-1, 3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void binaryOfUnknownEncoding() {
        byte[] raw = TrickyMessagesTest.crlf("Content-Transfer-Encoding: x-uuencode\n\nbegin 644 x\n");
        ParsedMessage m = StructureChecks.parse(raw);
        assertThat(Sections.binary(m, MessageSource.of(raw), 1))
                .isEqualTo(new BinaryResult.UnknownEncoding("x-uuencode"));
    }

    @Test
    void binaryFindsNul() throws IOException {
        byte[] raw = TrickyMessagesTest.crlf("Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\nAAEC\n");
        ParsedMessage m = StructureChecks.parse(raw);
        SectionContent c = ((BinaryResult.Decoded) Sections.binary(m, MessageSource.of(raw), 1)).content();
        assertThat(c.length()).isEqualTo(3);
        assertThat(c.containsNul()).isTrue();
        assertThat(StructureChecks.bytes(c)).containsExactly(0, 1, 2);
    }

    @Test
    void sectionSpecSyntax() {
        assertThat(SectionSpec.parse("")).isEqualTo(SectionSpec.of(SectionSpec.Kind.ALL));
        assertThat(SectionSpec.parse("1.2.3")).isEqualTo(SectionSpec.of(SectionSpec.Kind.ALL, 1, 2, 3));
        assertThat(SectionSpec.parse("4.mime")).isEqualTo(SectionSpec.of(SectionSpec.Kind.MIME, 4));
        assertThat(SectionSpec.parse("2.Header.Fields.Not (To \"X-Odd Name\")"))
                .isEqualTo(SectionSpec.fields(true, List.of("To", "X-Odd Name"), 2));
        for (String bad : List.of("MIME", "1.", ".1", "0", "1..2", "HEADER.FIELDS", "HEADER.FIELDS ()", "FOO", "1x")) {
            assertThatThrownBy(() -> SectionSpec.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void headerFieldsKeepContinuationsAndTheirOrder() throws IOException {
        byte[] raw = TrickyMessagesTest.crlf("Received: a\n b\nSubject: s\nreceived: c\nX: y\n\nbody\n");
        assertThat(fetch(raw, "HEADER.FIELDS (RECEIVED)")).isEqualTo("Received: a\r\n b\r\nreceived: c\r\n\r\n");
        assertThat(fetch(raw, "HEADER.FIELDS.NOT (Received x)")).isEqualTo("Subject: s\r\n\r\n");
    }

    @Test
    void headerFieldsWithoutFinalLineBreak() throws IOException {
        byte[] raw = "Subject: s".getBytes(StandardCharsets.US_ASCII);
        assertThat(fetch(raw, "HEADER.FIELDS (Subject)")).isEqualTo("Subject: s\r\n\r\n");
    }

    @Test
    void fileAndChannelSources(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("message.eml");
        Files.write(file, MULTI);
        ParsedMessage m;
        try (InputStream in = Files.newInputStream(file)) {
            m = MessageParser.parse(in);
        }
        MessageSource fromPath = MessageSource.of(file);
        assertThat(fromPath.size()).isEqualTo(MULTI.length);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MessageSource fromChannel = MessageSource.of(channel);
            for (int[] path : StructureChecks.paths(m)) {
                SectionSpec spec = SectionSpec.parse(StructureChecks.dotted(path));
                byte[] expected = StructureChecks.bytes(Sections.fetch(m, MessageSource.of(MULTI), spec));
                assertThat(StructureChecks.bytes(Sections.fetch(m, fromPath, spec))).isEqualTo(expected);
                assertThat(StructureChecks.bytes(Sections.fetch(m, fromChannel, spec))).isEqualTo(expected);
            }
        }
        assertThatThrownBy(() -> fromPath.open(10, MULTI.length)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void sourceOfAnotherSizeIsRefused() {
        ParsedMessage m = StructureChecks.parse(SINGLE);
        assertThatThrownBy(() -> Sections.fetch(m, MessageSource.of(MULTI), SectionSpec.parse("1")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
