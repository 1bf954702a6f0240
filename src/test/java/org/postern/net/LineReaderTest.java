package org.postern.net;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.postern.net.Line.Ending;
import org.postern.net.LineReader.Mode;

class LineReaderTest {

    private static LineReader oneByte(String s, int max, Mode mode) {
        return new LineReader(ChunkedInputStream.oneByteAtATime(s.getBytes(ISO_8859_1)), max, mode);
    }

    private static Line line(String content, Ending ending) {
        byte[] b = content.getBytes(ISO_8859_1);
        return new Line(b, ending, content.contains("\r"), content.contains("\n"));
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void crlfLinesInBothModes(Mode mode) throws IOException {
        LineReader r = oneByte("A1 NOOP\r\n\r\nA2 LOGOUT\r\n", 100, mode);
        assertThat(r.readLine()).isEqualTo(line("A1 NOOP", Ending.CRLF));
        assertThat(r.readLine()).isEqualTo(line("", Ending.CRLF));
        Line last = r.readLine();
        assertThat(last.latin1()).isEqualTo("A2 LOGOUT");
        assertThat(last.isClean()).isTrue();
        assertThat(r.readLine()).isNull();
        assertThat(r.isEof()).isTrue();
    }

    @Test
    void lenientBareLfEndsALineAndSaysSo() throws IOException {
        LineReader r = oneByte("USER a\nPASS b\r\n", 100, Mode.LENIENT);
        Line first = r.readLine();
        assertThat(first).isEqualTo(line("USER a", Ending.LF));
        assertThat(first.isClean()).isFalse();
        assertThat(r.readLine()).isEqualTo(line("PASS b", Ending.CRLF));
    }

    @Test
    void strictBareLfIsContentAndFlagged() throws IOException {
        LineReader r = oneByte("MAIL FROM:<a>\nRCPT TO:<b>\r\n", 100, Mode.STRICT);
        Line l = r.readLine();
        assertThat(l.latin1()).isEqualTo("MAIL FROM:<a>\nRCPT TO:<b>");
        assertThat(l.ending()).isEqualTo(Ending.CRLF);
        assertThat(l.bareLf()).isTrue();
        assertThat(l.bareCr()).isFalse();
        assertThat(l.isClean()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void bareCrIsContentAndFlagged(Mode mode) throws IOException {
        LineReader r = oneByte("a\rb\r\nnext\r\n", 100, mode);
        Line l = r.readLine();
        assertThat(l.latin1()).isEqualTo("a\rb");
        assertThat(l.bareCr()).isTrue();
        assertThat(l.ending()).isEqualTo(Ending.CRLF);
        assertThat(r.readLine().isClean()).isTrue();
    }

    /** The SMTP smuggling payloads: only CR LF . CR LF may look like the end of DATA. */
    @Test
    void strictModeCannotBeFooledByLfDotLf() throws IOException {
        String data = "Subject: x\r\n\r\nbody\n.\nMAIL FROM:<evil>\r\nbody\r.\rRCPT TO:<v>\r\n.\r\n";
        LineReader r = oneByte(data, 1000, Mode.STRICT);
        List<Line> lines = readAll(r);
        assertThat(lines).extracting(Line::latin1).containsExactly(
                "Subject: x", "", "body\n.\nMAIL FROM:<evil>", "body\r.\rRCPT TO:<v>", ".");
        assertThat(lines.get(2).bareLf()).isTrue();
        assertThat(lines.get(3).bareCr()).isTrue();
        assertThat(lines).filteredOn(l -> l.latin1().equals(".")).hasSize(1)
                .allMatch(Line::isClean);
    }

    @Test
    void lenientModeReportsTheLfOnTheDotLine() throws IOException {
        LineReader r = oneByte("body\n.\nQUIT\r\n", 1000, Mode.LENIENT);
        List<Line> lines = readAll(r);
        assertThat(lines).containsExactly(line("body", Ending.LF), line(".", Ending.LF), line("QUIT", Ending.CRLF));
    }

    @Test
    void partialLineAtEndOfStream() throws IOException {
        LineReader r = oneByte("QUIT", 100, Mode.STRICT);
        assertThat(r.readLine()).isEqualTo(line("QUIT", Ending.EOF));
        assertThat(r.readLine()).isNull();

        LineReader cr = oneByte("QUIT\r", 100, Mode.STRICT);
        Line l = cr.readLine();
        assertThat(l.latin1()).isEqualTo("QUIT\r");
        assertThat(l.bareCr()).isTrue();
        assertThat(l.ending()).isEqualTo(Ending.EOF);

        assertThat(oneByte("", 100, Mode.LENIENT).readLine()).isNull();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void limitIsOnContentWithoutTheTerminator(Mode mode) throws IOException {
        LineReader r = oneByte("0123456789\r\n0123456789A\r\nok\r\n", 10, mode);
        assertThat(r.readLine().latin1()).isEqualTo("0123456789");
        assertThatThrownBy(r::readLine).isInstanceOfSatisfying(LineTooLongException.class, e -> {
            assertThat(e.skippedBytes()).isEqualTo(11);
            assertThat(e.limit()).isEqualTo(10);
            assertThat(e.resynced()).isTrue();
        });
        assertThat(r.readLine().latin1()).isEqualTo("ok");
    }

    @Test
    void crJustPastTheLimitThatIsNotATerminatorMakesItTooLong() throws IOException {
        LineReader r = oneByte("0123456789\rX\r\nok\r\n", 10, Mode.STRICT);
        assertThatThrownBy(r::readLine).isInstanceOfSatisfying(LineTooLongException.class,
                e -> assertThat(e.skippedBytes()).isEqualTo(12));
        assertThat(r.readLine().latin1()).isEqualTo("ok");

        LineReader lenient = oneByte("0123456789\n01234567890\nok\n", 10, Mode.LENIENT);
        assertThat(lenient.readLine().latin1()).isEqualTo("0123456789");
        assertThatThrownBy(lenient::readLine).isInstanceOfSatisfying(LineTooLongException.class,
                e -> assertThat(e.skippedBytes()).isEqualTo(11));
        assertThat(lenient.readLine().latin1()).isEqualTo("ok");
    }

    @Test
    void longLineIsSkippedWithoutBufferingAndReadingResumesAfterIt() throws IOException {
        byte[] big = new byte[500_000];
        Arrays.fill(big, (byte) 'x');
        byte[] data = concat(big, "\r\nnext\r\n".getBytes(ISO_8859_1));
        LineReader r = new LineReader(ChunkedInputStream.randomChunks(data, 3000, 1), 1000, Mode.STRICT);
        assertThatThrownBy(r::readLine).isInstanceOfSatisfying(LineTooLongException.class, e -> {
            assertThat(e.skippedBytes()).isEqualTo(500_000);
            assertThat(e.resynced()).isTrue();
        });
        assertThat(r.lineCapacity()).isLessThanOrEqualTo(1001);
        assertThat(r.readLine().latin1()).isEqualTo("next");
    }

    @Test
    void endlessLineGivesUpAfterTheSkipLimit() throws IOException {
        InputStream endless = new InputStream() {
            long served;

            @Override
            public int read() {
                served++;
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                Arrays.fill(b, off, off + len, (byte) 'x');
                served += len;
                return len;
            }
        };
        LineReader r = new LineReader(endless, 100, Mode.LENIENT);
        r.maxSkipBytes(64 * 1024);
        assertThatThrownBy(r::readLine).isInstanceOfSatisfying(LineTooLongException.class, e -> {
            assertThat(e.resynced()).isFalse();
            assertThat(e.skippedBytes()).isGreaterThan(64 * 1024).isLessThan(64 * 1024 + 2 * LineReader.BUFFER_SIZE);
        });
        assertThat(r.lineCapacity()).isLessThanOrEqualTo(101);
    }

    @Test
    void overLongLineCutByEndOfStreamIsNotResynced() {
        LineReader r = oneByte("0123456789ABCDEF", 10, Mode.LENIENT);
        assertThatThrownBy(r::readLine).isInstanceOfSatisfying(LineTooLongException.class,
                e -> assertThat(e.resynced()).isFalse());
    }

    @Test
    void readExactlyStreamsALiteralBetweenLines() throws IOException {
        LineReader r = oneByte("A1 LOGIN {5}\r\nalice {6}\r\nse\r\nt!\r\n", 100, Mode.LENIENT);
        assertThat(r.readLine().latin1()).isEqualTo("A1 LOGIN {5}");
        ByteArrayOutputStream user = new ByteArrayOutputStream();
        r.readExactly(5, user);
        assertThat(user.toString(ISO_8859_1)).isEqualTo("alice");
        assertThat(r.readLine().latin1()).isEqualTo(" {6}");
        ByteArrayOutputStream pass = new ByteArrayOutputStream();
        r.readExactly(6, pass); // a literal may hold CR LF
        assertThat(pass.toString(ISO_8859_1)).isEqualTo("se\r\nt!");
        assertThat(r.readLine()).isEqualTo(line("", Ending.CRLF));
        assertThat(r.readLine()).isNull();
    }

    @Test
    void readExactlyOfALargeLiteralUsesOnlyTheFixedBuffer() throws IOException {
        byte[] literal = new byte[300_000];
        new Random(7).nextBytes(literal);
        byte[] data = concat("BDAT 300000 LAST\r\n".getBytes(ISO_8859_1), literal, "QUIT\r\n".getBytes(ISO_8859_1));
        LineReader r = new LineReader(ChunkedInputStream.randomChunks(data, 20_000, 3), 512, Mode.STRICT);
        assertThat(r.readLine().latin1()).isEqualTo("BDAT 300000 LAST");
        int[] biggestWrite = new int[1];
        ByteArrayOutputStream sink = new ByteArrayOutputStream() {
            @Override
            public synchronized void write(byte[] b, int off, int len) {
                biggestWrite[0] = Math.max(biggestWrite[0], len);
                super.write(b, off, len);
            }
        };
        r.readExactly(literal.length, sink);
        assertThat(sink.toByteArray()).isEqualTo(literal);
        assertThat(biggestWrite[0]).isLessThanOrEqualTo(LineReader.BUFFER_SIZE);
        assertThat(r.lineCapacity()).isLessThanOrEqualTo(513);
        assertThat(r.readLine().latin1()).isEqualTo("QUIT");
    }

    @Test
    void readExactlyFailsWhenTheStreamEndsEarly() throws IOException {
        LineReader r = oneByte("{10}\r\nabc", 100, Mode.LENIENT);
        r.readLine();
        assertThatThrownBy(() -> r.readExactly(10, OutputStream.nullOutputStream()))
                .isInstanceOf(EOFException.class).hasMessageContaining("7 of 10");
    }

    @Test
    void aTimedOutReadResumesTheSameLine() throws IOException {
        byte[] data = "A1 SELECT INBOX\r\nA2 NOOP\r\n".getBytes(ISO_8859_1);
        LineReader r = new LineReader(ChunkedInputStream.oneByteAtATime(data).timeoutAt(5).timeoutAt(18), 100, Mode.LENIENT);
        assertThatThrownBy(r::readLine).isInstanceOf(SocketTimeoutException.class);
        assertThat(r.readLine().latin1()).isEqualTo("A1 SELECT INBOX");
        assertThatThrownBy(r::readLine).isInstanceOf(SocketTimeoutException.class);
        assertThat(r.readLine().latin1()).isEqualTo("A2 NOOP");
        assertThatThrownBy(() -> new LineReader(ChunkedInputStream.oneByteAtATime(data).timeoutAt(3), 100, Mode.LENIENT)
                .readLine()).isInstanceOf(SocketTimeoutException.class);
    }

    @Test
    void readExactlyRefusesToStartInsideALine() {
        byte[] data = "A1 SEL".getBytes(ISO_8859_1);
        LineReader r = new LineReader(ChunkedInputStream.oneByteAtATime(data).timeoutAt(3), 100, Mode.LENIENT);
        assertThatThrownBy(r::readLine).isInstanceOf(SocketTimeoutException.class);
        assertThatThrownBy(() -> r.readExactly(1, OutputStream.nullOutputStream()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void discardBufferedDropsReadAheadAndCountsIt() throws IOException {
        LineReader r = new LineReader(new ByteArrayInputStream("STARTTLS\r\nRSET\r\nMAIL FROM:<x>\r\n".getBytes(ISO_8859_1)),
                100, Mode.STRICT);
        assertThat(r.readLine().latin1()).isEqualTo("STARTTLS");
        assertThat(r.buffered()).isEqualTo(21);
        assertThat(r.discardBuffered()).isEqualTo(21);
        assertThat(r.buffered()).isZero();
        r.switchSource(new ByteArrayInputStream("EHLO x\r\n".getBytes(ISO_8859_1)));
        assertThat(r.readLine().latin1()).isEqualTo("EHLO x");
    }

    @Test
    void switchingSourceWithUnreadInputIsRefused() throws IOException {
        LineReader r = new LineReader(new ByteArrayInputStream("a\r\nb\r\n".getBytes(ISO_8859_1)), 100, Mode.STRICT);
        r.readLine();
        assertThatThrownBy(() -> r.switchSource(InputStream.nullInputStream())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void modeAndLimitCanChangeBetweenLines() throws IOException {
        LineReader r = oneByte("EHLO x\nDATA\r\nline\n.\r\n", 100, Mode.LENIENT);
        assertThat(r.readLine()).isEqualTo(line("EHLO x", Ending.LF));
        r.mode(Mode.STRICT);
        r.maxLineBytes(4);
        assertThat(r.readLine().latin1()).isEqualTo("DATA");
        assertThatThrownBy(r::readLine).isInstanceOf(LineTooLongException.class); // "line\n." is 6 bytes
        assertThat(r.readLine()).isNull();
    }

    /** Differential test against a reference splitter, over random inputs and random chunking. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void agreesWithAReferenceOverRandomInputAndChunking(Mode mode) throws IOException {
        Random random = new Random(42);
        byte[] alphabet = "ab\r\n.".getBytes(ISO_8859_1);
        for (int round = 0; round < 2000; round++) {
            byte[] data = new byte[random.nextInt(60)];
            for (int i = 0; i < data.length; i++) {
                data[i] = alphabet[random.nextInt(alphabet.length)];
            }
            int max = 1 + random.nextInt(12);
            List<String> expected = reference(data, max, mode);
            List<String> oneByOne = describeAll(new LineReader(ChunkedInputStream.oneByteAtATime(data), max, mode));
            List<String> chunked = describeAll(new LineReader(
                    ChunkedInputStream.randomChunks(data, 1 + random.nextInt(9), round), max, mode));
            String input = new String(data, ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n");
            assertThat(oneByOne).as("one byte at a time, max %d: %s", max, input).isEqualTo(expected);
            assertThat(chunked).as("chunked, max %d: %s", max, input).isEqualTo(expected);
        }
    }

    private static List<String> reference(byte[] data, int max, Mode mode) {
        List<String> out = new ArrayList<>();
        String s = new String(data, ISO_8859_1);
        int start = 0;
        while (start < s.length()) {
            int end = -1;
            int termLen = 0;
            Ending ending = null;
            for (int i = start; i < s.length(); i++) {
                if (s.charAt(i) == '\n') {
                    boolean cr = i > start && s.charAt(i - 1) == '\r';
                    if (cr) {
                        end = i - 1;
                        termLen = 2;
                        ending = Ending.CRLF;
                        break;
                    }
                    if (mode == Mode.LENIENT) {
                        end = i;
                        termLen = 1;
                        ending = Ending.LF;
                        break;
                    }
                }
            }
            if (end < 0) {
                String content = s.substring(start);
                out.add(content.length() > max ? "TOO_LONG " + content.length() + " false"
                        : describe(line(content, Ending.EOF)));
                break;
            }
            String content = s.substring(start, end);
            out.add(content.length() > max ? "TOO_LONG " + content.length() + " true"
                    : describe(line(content, ending)));
            start = end + termLen;
        }
        out.add("EOF");
        return out;
    }

    private static List<String> describeAll(LineReader r) throws IOException {
        List<String> out = new ArrayList<>();
        while (true) {
            try {
                Line l = r.readLine();
                if (l == null) {
                    out.add("EOF");
                    return out;
                }
                out.add(describe(l));
            } catch (LineTooLongException e) {
                out.add("TOO_LONG " + e.skippedBytes() + " " + e.resynced());
                if (!e.resynced()) {
                    out.add("EOF"); // only the end of stream stops resyncing in these inputs
                    assertThat(r.readLine()).isNull();
                    return out;
                }
            }
        }
    }

    private static String describe(Line l) {
        return l.latin1().replace("\r", "\\r").replace("\n", "\\n") + " " + l.ending() + " cr=" + l.bareCr() + " lf=" + l.bareLf();
    }

    private static List<Line> readAll(LineReader r) throws IOException {
        List<Line> out = new ArrayList<>();
        for (Line l; (l = r.readLine()) != null; ) {
            out.add(l);
        }
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void theBufferGrowsWhileReadsFillItAndShrinksAfterShortOnes() throws IOException {
        // A stream that returns at most what was asked and says how much it was asked for.
        byte[] bulk = new byte[64_000];
        Arrays.fill(bulk, (byte) 'x');
        for (int i = 99; i < bulk.length; i += 100) {
            bulk[i] = '\n';
        }
        String commands = "a NOOP\r\nb IDLE\r\n";
        byte[] all = new byte[bulk.length + commands.length()];
        System.arraycopy(bulk, 0, all, 0, bulk.length);
        System.arraycopy(commands.getBytes(ISO_8859_1), 0, all, bulk.length, commands.length());
        int[] served = {0};
        InputStream in = new InputStream() {
            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (served[0] == all.length) {
                    return -1;
                }
                // The bulk comes as fast as asked; the commands one at a time, as a client types.
                int n = served[0] < bulk.length ? Math.min(len, bulk.length - served[0]) : Math.min(len, 8);
                System.arraycopy(all, served[0], b, off, n);
                served[0] += n;
                return n;
            }
        };
        LineReader r = new LineReader(in, 1000, Mode.LENIENT);
        assertThat(r.bufferCapacity()).isEqualTo(LineReader.SMALL_BUFFER);
        for (int i = 0; i < bulk.length / 100; i++) {
            assertThat(r.readLine().length()).isEqualTo(99);
        }
        assertThat(r.bufferCapacity()).isEqualTo(LineReader.BUFFER_SIZE);
        assertThat(r.readLine().latin1()).isEqualTo("a NOOP");
        assertThat(r.readLine().latin1()).isEqualTo("b IDLE");
        assertThat(r.bufferCapacity()).isEqualTo(LineReader.SMALL_BUFFER);
        assertThat(r.readLine()).isNull();
    }
}
