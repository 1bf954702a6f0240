package org.postern.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 1939 §3 multi-line data: CR LF, dot-stuffing, the final ".", and TOP's cut. */
class MessageWriterTest {

    static String write(String message, long bodyLines) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MessageWriter.write(new ByteArrayInputStream(message.getBytes(StandardCharsets.ISO_8859_1)), out, bodyLines);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "'A: b\\r\\n\\r\\nbody\\r\\n'           | 'A: b\\r\\n\\r\\nbody\\r\\n.\\r\\n'",
        "'A: b\\r\\n\\r\\n.x\\r\\n.\\r\\n'      | 'A: b\\r\\n\\r\\n..x\\r\\n..\\r\\n.\\r\\n'",
        "'.A: b\\r\\n'                          | '..A: b\\r\\n.\\r\\n'",
        "'A: b\\n\\nbare\\nlf\\n'               | 'A: b\\r\\n\\r\\nbare\\r\\nlf\\r\\n.\\r\\n'",
        "'no end'                               | 'no end\\r\\n.\\r\\n'",
        "'cr at end\\r'                         | 'cr at end\\r\\n.\\r\\n'",
        "'bare\\rcr\\r\\n.after\\r\\n'          | 'bare\\rcr\\r\\n..after\\r\\n.\\r\\n'",
        "'x\\r\\r\\n'                           | 'x\\r\\r\\n.\\r\\n'",
        "''                                     | '.\\r\\n'",
        "'a.b\\r\\n x.\\r\\n'                   | 'a.b\\r\\n x.\\r\\n.\\r\\n'",
    })
    void retrTerminatesStuffsAndEndsLinesWithCrLf(String in, String expected) throws Exception {
        assertThat(write(unescape(in), MessageWriter.ALL)).isEqualTo(unescape(expected));
    }

    @ParameterizedTest(name = "[{index}] TOP {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "'H: 1\\r\\nI: 2\\r\\n\\r\\na\\r\\nb\\r\\nc\\r\\n' | 0   | 'H: 1\\r\\nI: 2\\r\\n\\r\\n.\\r\\n'",
        "'H: 1\\r\\nI: 2\\r\\n\\r\\na\\r\\nb\\r\\nc\\r\\n' | 2   | 'H: 1\\r\\nI: 2\\r\\n\\r\\na\\r\\nb\\r\\n.\\r\\n'",
        "'H: 1\\r\\nI: 2\\r\\n\\r\\na\\r\\nb\\r\\nc\\r\\n' | 3   | 'H: 1\\r\\nI: 2\\r\\n\\r\\na\\r\\nb\\r\\nc\\r\\n.\\r\\n'",
        "'H: 1\\r\\nI: 2\\r\\n\\r\\na\\r\\nb\\r\\nc\\r\\n' | 100 | 'H: 1\\r\\nI: 2\\r\\n\\r\\na\\r\\nb\\r\\nc\\r\\n.\\r\\n'",
        "'H: 1\\r\\n\\r\\n\\r\\n\\r\\nx\\r\\n'              | 2   | 'H: 1\\r\\n\\r\\n\\r\\n\\r\\n.\\r\\n'",
        "'H: 1\\r\\n\\r\\n.dot\\r\\nx\\r\\n'               | 1   | 'H: 1\\r\\n\\r\\n..dot\\r\\n.\\r\\n'",
        "'H: only a header\\r\\n'                          | 0   | 'H: only a header\\r\\n.\\r\\n'",
        "'H: 1\\n\\nlf body\\nmore\\n'                     | 1   | 'H: 1\\r\\n\\r\\nlf body\\r\\n.\\r\\n'",
        "'H: 1\\r\\n\\r\\nlast line without end'           | 5   | 'H: 1\\r\\n\\r\\nlast line without end\\r\\n.\\r\\n'",
    })
    void topSendsTheHeaderTheEmptyLineAndNLines(String in, long lines, String expected) throws Exception {
        assertThat(write(unescape(in), lines)).isEqualTo(unescape(expected));
    }

    @Test
    void randomMessagesRoundTripThroughAClientsUnstuffing() throws Exception {
        Random random = new Random(7);
        byte[] alphabet = {'.', '.', '\r', '\n', '\n', 'a', ' ', (byte) 0xe9, 0};
        for (int round = 0; round < 2000; round++) {
            byte[] msg = new byte[random.nextInt(300)];
            for (int i = 0; i < msg.length; i++) {
                msg[i] = alphabet[random.nextInt(alphabet.length)];
            }
            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            MessageWriter.write(new ByteArrayInputStream(msg), wire, MessageWriter.ALL);
            String w = wire.toString(StandardCharsets.ISO_8859_1);
            if (msg.length == 0) {
                assertThat(w).isEqualTo(".\r\n");
                continue;
            }
            assertThat(w).endsWith("\r\n.\r\n");
            // Every line on the wire ends in CR LF; no line but the last is a lone ".".
            String body = w.substring(0, w.length() - 3);
            String[] lines = body.split("\r\n", -1);
            assertThat(lines[lines.length - 1]).isEmpty();
            for (int i = 0; i < lines.length - 1; i++) {
                assertThat(lines[i]).doesNotContain("\n").isNotEqualTo(".");
                if (lines[i].startsWith(".")) {
                    assertThat(lines[i]).startsWith("..");
                }
            }
            // What a client keeps: the lines un-stuffed. It equals the message with bare LF
            // turned into CR LF and a line end added at the end.
            StringBuilder kept = new StringBuilder();
            for (int i = 0; i < lines.length - 1; i++) {
                kept.append(lines[i].startsWith(".") ? lines[i].substring(1) : lines[i]).append("\r\n");
            }
            assertThat(kept.toString()).isEqualTo(normalized(new String(msg, StandardCharsets.ISO_8859_1)));
        }
    }

    /** The message as the client must see it: CR LF line ends, and a final line end. */
    private static String normalized(String m) {
        String s = m.replaceAll("\r?\n", "\r\n");
        if (s.endsWith("\r") && !s.endsWith("\r\n")) {
            s = s + "\n";
        } else if (!s.isEmpty() && !s.endsWith("\r\n")) {
            s = s + "\r\n";
        }
        return s;
    }

    @Test
    void aLargeMessageStreamsInBoundedChunks() throws Exception {
        long size = 64L << 20; // 64 MiB, never in memory
        InputStream in = new InputStream() {
            long left = size;

            @Override
            public int read() {
                return left-- > 0 ? (left % 80 == 0 ? '\n' : '.') : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                for (int i = 0; i < n; i++) {
                    b[off + i] = (byte) read();
                }
                return n;
            }
        };
        long[] written = {0};
        int[] largestWrite = {0};
        java.io.OutputStream counting = new java.io.OutputStream() {
            @Override
            public void write(int b) {
                written[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                written[0] += len;
                largestWrite[0] = Math.max(largestWrite[0], len);
            }
        };
        MessageWriter.write(in, counting, MessageWriter.ALL);
        long lines = (size + 79) / 80; // a line end wherever the bytes left are a multiple of 80
        assertThat(written[0]).isEqualTo(size + lines /* CR */ + lines /* stuffed dots */ + 3);
        assertThat(largestWrite[0]).isLessThanOrEqualTo(40 * 1024);
    }

    private static String unescape(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n");
    }
}
