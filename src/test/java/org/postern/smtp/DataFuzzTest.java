package org.postern.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import org.postern.net.Line;
import org.postern.net.LineReader;
import org.postern.net.LineTooLongException;

/**
 * Coverage-guided fuzzing (Jazzer) of the DATA path: {@link DataStream} (dot transparency, the
 * one end of data, refusals) feeding {@link HeaderFilter} (trace field first, added fields at the
 * end of the header), checked against a model written straight from RFC 5321 §4.1.1.4 and
 * §4.5.2: lines end only at CR LF; the data ends at the first line that is a lone dot; a line
 * holding a bare CR, a bare LF or a NUL refuses the message (550), as does a line over the limit;
 * more than the size limit refuses it (552); without the end the client is gone. After a refusal
 * {@link DataStream#drain()} must stop exactly after the real end, so the next command is the
 * line after it.
 */
class DataFuzzTest {
    static final int MAX_LINE = 200;
    static final long MAX_SIZE = 1500;
    static final String TRACE = "Received: from fuzz\r\n";
    static final String ADDED = "X-Added: yes\r\n";

    /** What the model expects. */
    record Expected(String outcome, byte[] message, byte[] after) {}

    @FuzzTest(maxDuration = "10s")
    void dataThenNextCommand(byte[] input) throws IOException {
        Expected want = model(input);
        LineReader reader = new LineReader(new ByteArrayInputStream(input), MAX_LINE, LineReader.Mode.STRICT);
        DataStream data = new DataStream(reader, MAX_SIZE);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String outcome;
        try {
            HeaderFilter filter = new HeaderFilter(out, TRACE, new HeaderFilter.Inspector() {
                @Override
                public void field(String name, String value) {
                    assertThat(name).isLowerCase().doesNotContain(":");
                }

                @Override
                public void oversized(String name) {
                }

                @Override
                public String endOfHeader(Set<String> seen) {
                    return ADDED;
                }
            });
            data.transferTo(filter);
            filter.finish();
            outcome = "ok";
        } catch (MessageRefused e) {
            assertThat(data.connectionFailed()).isFalse();
            try {
                data.drain();
                outcome = String.valueOf(e.reply().code());
            } catch (IOException gone) {
                assertThat(data.connectionFailed()).as("a failed read is a failed connection").isTrue();
                outcome = "gone";
            }
        } catch (IOException e) {
            assertThat(data.connectionFailed()).as("a failed read is a failed connection").isTrue();
            outcome = "gone";
        }
        assertThat(outcome).as("outcome for %s", show(input)).isEqualTo(want.outcome());
        if (outcome.equals("ok")) {
            assertThat(data.ended()).isTrue();
            assertThat(show(out.toByteArray())).isEqualTo(show(withHeaderFields(want.message())));
        }
        if (!outcome.equals("gone")) {
            byte[] wantNext = firstLine(want.after());
            try {
                Line next = reader.readLine();
                byte[] rest = next == null ? new byte[0] : next.bytes();
                assertThat(show(rest)).as("the line after the data").isEqualTo(show(wantNext));
            } catch (LineTooLongException e) {
                assertThat(wantNext.length).as("the line after the data is over the limit").isGreaterThan(MAX_LINE);
            }
        }
    }

    /** The model: lines split at CR LF only, from RFC 5321 alone. */
    static Expected model(byte[] in) {
        String refusal = null;
        long size = 0;
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        int pos = 0;
        while (true) {
            int end = indexOfCrlf(in, pos);
            if (end < 0) {
                return new Expected("gone", null, null);
            }
            byte[] line = Arrays.copyOfRange(in, pos, end);
            pos = end + 2;
            if (line.length == 1 && line[0] == '.') {
                byte[] after = Arrays.copyOfRange(in, pos, in.length);
                return refusal != null ? new Expected(refusal, null, after) : new Expected("ok", message.toByteArray(), after);
            }
            if (refusal != null) {
                continue;
            }
            if (line.length > MAX_LINE) {
                refusal = "550";
                continue;
            }
            for (byte b : line) {
                if (b == '\r' || b == '\n' || b == 0) {
                    refusal = "550";
                }
            }
            if (refusal != null) {
                continue;
            }
            int skip = line.length > 0 && line[0] == '.' ? 1 : 0;
            size += line.length - skip + 2;
            if (size > MAX_SIZE) {
                refusal = "552";
                continue;
            }
            message.write(line, skip, line.length - skip);
            message.write('\r');
            message.write('\n');
        }
    }

    /** The trace field first; the added field where the header ends (the first empty line), or at the end. */
    static byte[] withHeaderFields(byte[] message) {
        int headerEnd;
        if (message.length >= 2 && message[0] == '\r' && message[1] == '\n') {
            headerEnd = 0;
        } else {
            int blank = indexOf(message, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            headerEnd = blank < 0 ? message.length : blank + 2;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(TRACE.getBytes(StandardCharsets.US_ASCII));
        out.write(message, 0, headerEnd);
        out.writeBytes(ADDED.getBytes(StandardCharsets.US_ASCII));
        out.write(message, headerEnd, message.length - headerEnd);
        return out.toByteArray();
    }

    /** What the lenient-free reader gives as the next line: up to the first CR LF, or all. */
    static byte[] firstLine(byte[] rest) {
        int end = indexOfCrlf(rest, 0);
        return end < 0 ? rest : Arrays.copyOf(rest, end);
    }

    static int indexOfCrlf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    static int indexOf(byte[] b, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= b.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (b[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static String show(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0");
    }
}
