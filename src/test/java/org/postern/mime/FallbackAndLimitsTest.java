package org.postern.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** Delivery never fails on bad MIME, and hostile inputs stay cheap. */
class FallbackAndLimitsTest {

    private static final byte[] RAW = TrickyMessagesTest.crlf(TrickyMessagesTest.NESTED);

    @Test
    void unexpectedFailureGivesOneTextPart() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        ParsedMessage m = MessageParser.parse(new ByteArrayInputStream(RAW), MimeLimits.DEFAULT, (header, defaults) -> {
            MimeFields fields = MimeFieldsParser.parse(header, defaults);
            if (calls.incrementAndGet() == 3) {
                throw new IllegalStateException("simulated parser bug");
            }
            return fields;
        });
        assertThat(m.status()).isEqualTo(ParsedMessage.Status.FALLBACK);
        assertThat(m.root()).isInstanceOf(BodyPart.Leaf.class);
        assertThat(m.root().fields()).isEqualTo(MimeFields.defaultText());
        StructureChecks.checkSpans(m, RAW);
        // the header read before the failure still gives the envelope and decoded fields
        assertThat(m.subject()).isEqualTo("Grüße aus Berlin");
        assertThat(m.envelope().messageId()).isEqualTo("<outer@example.de>");
        String text = new String(StructureChecks.bytes(Sections.fetch(m, MessageSource.of(RAW), SectionSpec.parse("1"))),
                StandardCharsets.UTF_8);
        assertThat(text).startsWith("preamble\r\n--outer").endsWith("--outer--\r\n");
        assertThat(ParsedMessage.decode(m.encode())).isEqualTo(m);
        ImapGrammar.checkBody(ImapValue.parse(ImapRender.bodyStructure(m, true)), true);
    }

    @Test
    void failureInTheTopHeaderStillStoresTheMessage() throws IOException {
        ParsedMessage m = MessageParser.parse(new ByteArrayInputStream(RAW), MimeLimits.DEFAULT, (header, defaults) -> {
            throw new IllegalStateException("simulated");
        });
        assertThat(m.status()).isEqualTo(ParsedMessage.Status.FALLBACK);
        StructureChecks.checkSpans(m, RAW);
        assertThat(m.root().span().bodySize()).isEqualTo(RAW.length - m.headerSize());
    }

    @Test
    void streamErrorsPropagate() {
        InputStream failing = new SequenceInputStream(new ByteArrayInputStream(RAW), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("disk gone");
            }
        });
        assertThatThrownBy(() -> MessageParser.parse(failing)).isInstanceOf(IOException.class).hasMessage("disk gone");
    }

    @Test
    void deepNestingIsCut() throws IOException {
        int depth = 10_000;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            sb.append("Content-Type: multipart/mixed; boundary=b").append(i).append("\r\n\r\n--b").append(i).append("\r\n");
        }
        sb.append("Content-Type: text/plain\r\n\r\ndeep\r\n");
        byte[] raw = sb.toString().getBytes(StandardCharsets.US_ASCII);
        ParsedMessage m = MessageParser.parse(new ByteArrayInputStream(raw));
        assertThat(m.status()).isEqualTo(ParsedMessage.Status.LIMITED);
        StructureChecks.checkSpans(m, raw);
        int levels = 0;
        BodyPart p = m.root();
        while (p instanceof BodyPart.Multipart mp) {
            levels++;
            p = mp.children().get(0);
        }
        assertThat(levels).isEqualTo(MimeLimits.DEFAULT.maxDepth());
        assertThat(p.fields().subtype()).isEqualTo("octet-stream");
        ImapGrammar.checkBody(ImapValue.parse(ImapRender.bodyStructure(m, true)), true);
        assertThat(ParsedMessage.decode(m.encode())).isEqualTo(m);
    }

    @Test
    void deepMessageNestingIsCut() throws IOException {
        byte[] raw = "Content-Type: message/rfc822\r\n\r\n".repeat(5_000).getBytes(StandardCharsets.US_ASCII);
        ParsedMessage m = MessageParser.parse(new ByteArrayInputStream(raw));
        assertThat(m.status()).isEqualTo(ParsedMessage.Status.LIMITED);
        StructureChecks.checkSpans(m, raw);
    }

    @Test
    void manyPartsAreCutAndTheRestStaysReadable() throws IOException {
        int parts = 10_000;
        StringBuilder sb = new StringBuilder("Content-Type: multipart/mixed; boundary=b\r\n\r\n");
        for (int i = 0; i < parts; i++) {
            sb.append("--b\r\n\r\npart ").append(i).append("\r\n");
        }
        sb.append("--b--\r\n");
        byte[] raw = sb.toString().getBytes(StandardCharsets.US_ASCII);
        ParsedMessage m = MessageParser.parse(new ByteArrayInputStream(raw));
        assertThat(m.status()).isEqualTo(ParsedMessage.Status.LIMITED);
        StructureChecks.checkSpans(m, raw);
        BodyPart.Multipart root = (BodyPart.Multipart) m.root();
        assertThat(root.children()).hasSize(MimeLimits.DEFAULT.maxParts() - 1);
        String last = new String(StructureChecks.bytes(Sections.fetch(m, MessageSource.of(raw),
                SectionSpec.parse(Integer.toString(root.children().size())))), StandardCharsets.US_ASCII);
        assertThat(last).startsWith("part 4998\r\n--b\r\n").endsWith("part 9999\r\n--b--\r\n");
    }

    @Test
    void hugeHeadersAreBounded() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            sb.append("X-Noise-").append(i).append(": some value that nobody needs\r\n");
        }
        sb.append("Subject: ").append("y".repeat(200_000)).append("\r\n");
        sb.append("From: late@example.com\r\n\r\nbody\r\n");
        byte[] raw = sb.toString().getBytes(StandardCharsets.US_ASCII);
        ParsedMessage m = MessageParser.parse(new ByteArrayInputStream(raw));
        StructureChecks.checkSpans(m, raw);
        assertThat(m.from().address()).isEqualTo("late@example.com");
        assertThat(m.subject()).hasSize(RawHeader.MAX_FIELD - 1); // cut, without the leading space
        assertThat(m.headerSize()).isEqualTo(raw.length - 6);
    }

    @Test
    void garbageNeverThrows() throws IOException {
        java.util.Random random = new java.util.Random(42);
        String[] pieces = {"--b\r\n", "--b--\r\n", "Content-Type: multipart/mixed; boundary=b\r\n",
            "Content-Type: message/rfc822\r\n", "\r\n", "\n", "\r", "x: y\r\n", "--", "From: <@a:b@c>,,;:\r\n",
            "Content-Type: multipart/digest; boundary=\"b\"\r\n", " folded\r\n", "\0", "\u00ff"};
        for (int round = 0; round < 500; round++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(60);
            for (int i = 0; i < n; i++) {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            byte[] raw = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
            ParsedMessage m = MessageParser.parse(new ByteArrayInputStream(raw));
            assertThat(m.status()).isNotEqualTo(ParsedMessage.Status.FALLBACK);
            StructureChecks.checkSpans(m, raw);
            StructureChecks.checkSections(m, raw);
            ImapGrammar.checkBody(ImapValue.parse(ImapRender.bodyStructure(m, true)), true);
            ImapGrammar.checkEnvelope(ImapValue.parse(ImapRender.envelope(m)));
            assertThat(ParsedMessage.decode(m.encode())).isEqualTo(m);
        }
    }
}
