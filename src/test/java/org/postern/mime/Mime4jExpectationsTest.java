package org.postern.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compares with Apache James mime4j's expectations for its torture messages (testmsgs/ and the
 * MIME-tools set): X.xml gives the entity tree and the raw bytes of every leaf body, which must be
 * what BODY[n] serves; X_decoded.xml names the files holding every leaf's decoded content, which
 * must be what BINARY[n] serves.
 */
class Mime4jExpectationsTest {

    /** Where mime4j's reading of broken input differs from ours (Dovecot's). */
    static final Map<String, String> DIVERGENT = Map.ofEntries(
            Map.entry("base64encoded-rfc822message.msg", "mime4j decodes a base64 message/rfc822 to parse it; offsets must map to the raw"),
            Map.entry("base64encoded-rfc822message-nested.msg", "mime4j decodes a base64 message/rfc822 to parse it; offsets must map to the raw"),
            Map.entry("bad-newlines-multiple-parts-base64.msg", "mime4j decodes a base64 message/rfc822 to parse it; offsets must map to the raw"),
            Map.entry("multi-2gifs-base64.msg", "mime4j decodes a base64 message/rfc822 to parse it; offsets must map to the raw"),
            Map.entry("malformedHeaderStartsBody-nocrlfcrlf.msg", "run upstream with a non-default option (a bad header line starts the body)"),
            Map.entry("malformedHeaderStartsBody-noheader.msg", "run upstream with a non-default option (a bad header line starts the body)"));

    static Stream<Path> samples() {
        Path root = Conformance.root();
        return Stream.concat(Conformance.files(root.resolve("mime4j/testmsgs"), ".msg").stream(),
                Conformance.files(root.resolve("mime4j/mimetools-testmsgs"), ".msg").stream());
    }

    /** An entity of mime4j's event tree: its content is "L" (a body), "M" (multipart) or "R" (message). */
    record Node(String kind, List<Node> children, String body, String decodedFile) {
        String shape() {
            StringBuilder sb = new StringBuilder(kind);
            if (!children.isEmpty()) {
                sb.append('(');
                children.forEach(c -> sb.append(c.shape()));
                sb.append(')');
            }
            return sb.toString();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void treeLeafBodiesAndDecodedContentMatch(Path msg) throws IOException {
        String name = msg.getFileName().toString();
        assumeFalse(DIVERGENT.containsKey(name), () -> "known divergence: " + DIVERGENT.get(name));
        byte[] raw = Conformance.read(msg);
        ParsedMessage m = StructureChecks.parse(raw);
        Path xml = msg.resolveSibling(name.replace(".msg", ".xml"));
        Path decodedXml = msg.resolveSibling(name.replace(".msg", "_decoded.xml"));
        Node expected = new XmlReader(read(xml)).message();
        Node decoded = new XmlReader(read(decodedXml)).message();

        assertThat(shape(m.root())).as("entity tree").isEqualTo(expected.shape());
        List<Node> leaves = new ArrayList<>();
        collectLeaves(expected, leaves);
        List<Node> decodedLeaves = new ArrayList<>();
        collectLeaves(decoded, decodedLeaves);
        List<BodyPart> ours = new ArrayList<>();
        collectLeaves(m.root(), ours);
        assertThat(ours).hasSameSizeAs(leaves);
        MessageSource source = MessageSource.of(raw);
        for (int i = 0; i < ours.size(); i++) {
            Span s = ours.get(i).span();
            String body = new String(raw, (int) s.bodyStart(), (int) s.bodySize(), StandardCharsets.ISO_8859_1);
            assertThat(body).as("raw body of leaf %d", i).isEqualTo(leaves.get(i).body());
            String file = decodedLeaves.get(i).decodedFile();
            if (file != null) {
                byte[] want = Files.readAllBytes(msg.resolveSibling(file));
                int[] path = pathOf(m, ours.get(i));
                BinaryResult result = Sections.binary(m, source, path);
                if (result instanceof BinaryResult.UnknownEncoding unknown) {
                    // mime4j passes an encoding it does not know through; RFC 3516 §4.3 says UNKNOWN-CTE
                    assertThat(unknown.encoding()).isEqualTo(ours.get(i).fields().encoding());
                    assertThat(new String(want, StandardCharsets.ISO_8859_1)).isEqualTo(body);
                    continue;
                }
                assertThat(result).as("BINARY of leaf %d", i).isInstanceOf(BinaryResult.Decoded.class);
                byte[] got = StructureChecks.bytes(((BinaryResult.Decoded) result).content());
                assertThat(got).as("decoded content of leaf %d (%s)", i, file).isEqualTo(want);
            }
        }
    }

    private static String read(Path p) {
        return new String(Conformance.read(p), StandardCharsets.ISO_8859_1);
    }

    private static String shape(BodyPart p) {
        return switch (p) {
            case BodyPart.Leaf l -> "L";
            case BodyPart.Message msg -> "R(" + shape(msg.body()) + ")";
            case BodyPart.Multipart mp -> {
                StringBuilder sb = new StringBuilder("M");
                if (!mp.children().isEmpty()) {
                    sb.append('(');
                    mp.children().forEach(c -> sb.append(shape(c)));
                    sb.append(')');
                }
                yield sb.toString();
            }
        };
    }

    private static void collectLeaves(Node n, List<Node> out) {
        if (n.kind().equals("L")) {
            out.add(n);
        }
        n.children().forEach(c -> collectLeaves(c, out));
    }

    private static void collectLeaves(BodyPart p, List<BodyPart> out) {
        switch (p) {
            case BodyPart.Leaf l -> out.add(l);
            case BodyPart.Message msg -> collectLeaves(msg.body(), out);
            case BodyPart.Multipart mp -> mp.children().forEach(c -> collectLeaves(c, out));
        }
    }

    private static int[] pathOf(ParsedMessage m, BodyPart leaf) {
        for (int[] path : StructureChecks.paths(m)) {
            if (m.part(path).orElseThrow() == leaf) {
                return path;
            }
        }
        throw new AssertionError("no IMAP part number for " + leaf);
    }

    /** Reads mime4j's event XML: fixed tags, CRLF after each opening tag, escaped text. */
    static final class XmlReader {
        private final String s;
        private int pos;

        XmlReader(String s) {
            this.s = s;
        }

        Node message() {
            expect("<message>");
            skipHeader();
            Node content = content();
            expect("</message>");
            return content;
        }

        /** What follows a header: a body, a multipart or a message. */
        private Node content() {
            skipWs();
            if (s.startsWith("<multipart>", pos)) {
                expect("<multipart>");
                List<Node> parts = new ArrayList<>();
                while (true) {
                    skipWs();
                    if (s.startsWith("<preamble>", pos) || s.startsWith("<epilogue>", pos)) {
                        text(s.startsWith("<preamble>", pos) ? "preamble" : "epilogue");
                    } else if (s.startsWith("<body-part>", pos)) {
                        expect("<body-part>");
                        skipHeader();
                        parts.add(content());
                        expect("</body-part>");
                    } else {
                        expect("</multipart>");
                        return new Node("M", parts, null, null);
                    }
                }
            }
            if (s.startsWith("<message>", pos)) {
                return new Node("R", List.of(message()), null, null);
            }
            if (s.startsWith("<body>", pos)) {
                return new Node("L", List.of(), text("body"), null);
            }
            int end = s.indexOf("/>", pos) + 2;
            String tag = s.substring(pos, end);
            pos = end;
            int q = tag.indexOf('"');
            return new Node("L", List.of(), null, tag.substring(q + 1, tag.indexOf('"', q + 1)));
        }

        private void skipHeader() {
            skipWs();
            expect("<header>");
            while (true) {
                skipWs();
                if (s.startsWith("</header>", pos)) {
                    expect("</header>");
                    return;
                }
                text("field");
            }
        }

        /** The text of {@code <tag>CRLF ... </tag>}, unescaped. */
        private String text(String tag) {
            expect("<" + tag + ">");
            if (s.startsWith("\r\n", pos)) {
                pos += 2;
            }
            int end = s.indexOf("</" + tag + ">", pos);
            String t = s.substring(pos, end).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
            pos = end + tag.length() + 3;
            return t;
        }

        private void expect(String tag) {
            skipWs();
            if (!s.startsWith(tag, pos)) {
                throw new IllegalStateException("expected " + tag + " at " + pos + ": "
                        + s.substring(pos, Math.min(s.length(), pos + 40)));
            }
            pos += tag.length();
        }

        private void skipWs() {
            while (pos < s.length() && (s.charAt(pos) == '\r' || s.charAt(pos) == '\n')) {
                pos++;
            }
        }
    }
}
