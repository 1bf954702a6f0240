package org.postern.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Invariants that must hold for any parsed message, whatever its input. */
final class StructureChecks {

    private StructureChecks() {
    }

    static ParsedMessage parse(byte[] raw) {
        try {
            return MessageParser.parse(new ByteArrayInputStream(raw));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Offsets, line counts and nesting agree with the raw bytes. */
    static void checkSpans(ParsedMessage m, byte[] raw) {
        assertThat(m.size()).isEqualTo(raw.length);
        assertThat(m.root().span().headerStart()).isZero();
        assertThat(m.root().span().bodyEnd()).isEqualTo(raw.length);
        checkPart(m.root(), raw, 0, raw.length);
    }

    private static void checkPart(BodyPart part, byte[] raw, long from, long to) {
        Span s = part.span();
        assertThat(s.headerStart()).as("header start of %s", part.fields()).isGreaterThanOrEqualTo(from);
        assertThat(s.bodyEnd()).as("body end").isLessThanOrEqualTo(to);
        assertThat(s.bodyLines()).as("line count").isEqualTo(count(raw, s.bodyStart(), s.bodyEnd(), (byte) '\n'));
        if (s.bodySize() > 0 && s.headerSize() > 0) {
            // a header followed by a body ends with its blank line
            assertThat(raw[(int) s.bodyStart() - 1]).isEqualTo((byte) '\n');
            int before = (int) s.bodyStart() - 2;
            if (before >= s.headerStart() && raw[before] == '\r') {
                before--;
            }
            assertThat(before < s.headerStart() || raw[before] == '\n').as("blank line ends the header").isTrue();
        }
        switch (part) {
            case BodyPart.Leaf leaf -> {
                assertThat(leaf.fields().isMultipart() || leaf.fields().isMessage()).isFalse();
            }
            case BodyPart.Message msg -> {
                assertThat(msg.body().span().headerStart()).isEqualTo(s.bodyStart());
                assertThat(msg.body().span().bodyEnd()).isEqualTo(s.bodyEnd());
                checkPart(msg.body(), raw, s.bodyStart(), s.bodyEnd());
            }
            case BodyPart.Multipart mp -> {
                long at = s.bodyStart();
                for (BodyPart child : mp.children()) {
                    long start = child.span().headerStart();
                    assertThat(start).isGreaterThanOrEqualTo(at);
                    // the line before a part is its boundary line: "--" at the start of a line
                    int lineStart = (int) start - 1;
                    while (lineStart > 0 && raw[lineStart - 1] != '\n') {
                        lineStart--;
                    }
                    if (start > 0 && raw[(int) start - 1] == '\n') {
                        assertThat(new String(raw, lineStart, 2, java.nio.charset.StandardCharsets.ISO_8859_1))
                                .as("boundary line before part at %d", start).isEqualTo("--");
                    }
                    checkPart(child, raw, at, s.bodyEnd());
                    at = child.span().bodyEnd();
                }
            }
        }
        if (s.bodyEnd() < to) {
            // a body that stops early is followed by a line break and a boundary line
            int i = (int) s.bodyEnd();
            if (raw[i] == '\r') {
                i++;
            }
            if (raw[i] == '\n') {
                i++;
            } else {
                // the boundary may follow directly only when a header's blank line, just before,
                // already took the line break (an empty last part)
                assertThat(i == 0 || raw[i - 1] == '\n').as("line break after body at %d", s.bodyEnd()).isTrue();
            }
            assertThat(i + 2 <= raw.length && raw[i] == '-' && raw[i + 1] == '-')
                    .as("boundary after body ending at %d", s.bodyEnd()).isTrue();
        }
    }

    static long count(byte[] raw, long from, long to, byte b) {
        long n = 0;
        for (long i = from; i < to; i++) {
            if (raw[(int) i] == b) {
                n++;
            }
        }
        return n;
    }

    /** Every part path of the message in IMAP numbering, depth first. */
    static List<int[]> paths(ParsedMessage m) {
        List<int[]> out = new ArrayList<>();
        collect(m.root(), new int[0], out, true);
        return out;
    }

    private static void collect(BodyPart messageRoot, int[] prefix, List<int[]> out, boolean isMessage) {
        List<BodyPart> children = messageRoot instanceof BodyPart.Multipart mp ? mp.children() : List.of(messageRoot);
        for (int i = 0; i < children.size(); i++) {
            int[] path = Arrays.copyOf(prefix, prefix.length + 1);
            path[prefix.length] = i + 1;
            out.add(path);
            BodyPart child = children.get(i);
            if (child instanceof BodyPart.Message msg) {
                collect(msg.body(), path, out, true);
            } else if (child instanceof BodyPart.Multipart && child != messageRoot) {
                collect(child, path, out, false);
            }
        }
    }

    static byte[] bytes(SectionContent content) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            content.writeTo(out);
            assertThat((long) out.size()).isEqualTo(content.length());
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] slice(byte[] raw, long from, long to) {
        return Arrays.copyOfRange(raw, (int) from, (int) to);
    }

    /** Every section of every part equals the matching slice of the raw message. */
    static void checkSections(ParsedMessage m, byte[] raw) throws IOException {
        MessageSource source = MessageSource.of(raw);
        assertThat(bytes(Sections.fetch(m, source, SectionSpec.parse("")))).isEqualTo(raw);
        byte[] header = bytes(Sections.fetch(m, source, SectionSpec.parse("HEADER")));
        byte[] text = bytes(Sections.fetch(m, source, SectionSpec.parse("TEXT")));
        assertThat(header.length + text.length).isEqualTo(raw.length);
        for (int[] path : paths(m)) {
            BodyPart part = m.part(path).orElseThrow();
            Span s = part.span();
            String p = dotted(path);
            assertThat(bytes(Sections.fetch(m, source, SectionSpec.parse(p))))
                    .isEqualTo(slice(raw, s.bodyStart(), s.bodyEnd()));
            assertThat(bytes(Sections.fetch(m, source, SectionSpec.parse(p + ".MIME"))))
                    .isEqualTo(slice(raw, s.headerStart(), s.bodyStart()));
            SectionContent h = Sections.fetch(m, source, SectionSpec.parse(p + ".HEADER"));
            SectionContent t = Sections.fetch(m, source, SectionSpec.parse(p + ".TEXT"));
            if (part instanceof BodyPart.Message msg) {
                Span e = msg.body().span();
                assertThat(bytes(h)).isEqualTo(slice(raw, e.headerStart(), e.bodyStart()));
                assertThat(bytes(t)).isEqualTo(slice(raw, e.bodyStart(), e.bodyEnd()));
            } else {
                assertThat(h.exists()).isFalse();
                assertThat(t.exists()).isFalse();
                assertThat(h.length()).isZero();
            }
        }
        int[] beyond = {paths(m).stream().filter(x -> x.length == 1).mapToInt(x -> x[0]).max().orElse(0) + 1};
        assertThat(Sections.fetch(m, source, SectionSpec.parse(dotted(beyond))).exists()).isFalse();
    }

    static String dotted(int[] path) {
        StringBuilder sb = new StringBuilder();
        for (int n : path) {
            if (!sb.isEmpty()) {
                sb.append('.');
            }
            sb.append(n);
        }
        return sb.toString();
    }
}
