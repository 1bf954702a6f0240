package org.postern.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.postern.net.LineReader;

/** DataStream (dot transparency, the one end of data) and HeaderFilter (inspection, added fields), byte by byte too. */
class StreamsTest {

    static LineReader reader(String wire) {
        return new LineReader(new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1)), 1000, LineReader.Mode.STRICT);
    }

    static String readAll(InputStream in, boolean oneByteAtATime) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (oneByteAtATime) {
            for (int b; (b = in.read()) >= 0; ) {
                out.write(b);
            }
        } else {
            in.transferTo(out);
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void dataEndsOnlyAtALoneDotAndLosesOneLeadingDot() throws Exception {
        for (boolean oneByte : new boolean[] {false, true}) {
            LineReader r = reader("a\r\n..b\r\n. \r\n.\r\nNEXT\r\n");
            DataStream d = new DataStream(r, 1000);
            assertThat(readAll(d, oneByte)).isEqualTo("a\r\n.b\r\n \r\n");
            assertThat(d.ended()).isTrue();
            assertThat(d.size()).isEqualTo(10);
            assertThat(r.readLine().latin1()).isEqualTo("NEXT");
        }
    }

    @Test
    void bareLineEndsRefuseAndDrainFindsTheRealEnd() throws Exception {
        for (String bad : List.of("x\n.\ny\r\n", "x\r.\ry\r\n", "x\0\r\n", ".\nz\r\n")) {
            LineReader r = reader("ok\r\n" + bad + ".\r\nNEXT\r\n");
            DataStream d = new DataStream(r, 1000);
            assertThatThrownBy(() -> readAll(d, false)).isInstanceOfSatisfying(MessageRefused.class,
                    e -> assertThat(e.reply().code()).isEqualTo(550));
            d.drain();
            assertThat(r.readLine().latin1()).isEqualTo("NEXT");
        }
    }

    @Test
    void sizeIsCheckedAsTheDataArrives() throws Exception {
        LineReader r = reader("0123456789\r\n".repeat(10) + ".\r\nNEXT\r\n");
        DataStream d = new DataStream(r, 50);
        assertThatThrownBy(() -> readAll(d, false)).isInstanceOfSatisfying(MessageRefused.class,
                e -> assertThat(e.reply().code()).isEqualTo(552));
        d.drain();
        assertThat(r.readLine().latin1()).isEqualTo("NEXT");
    }

    @Test
    void aClientGoneMidDataIsAnEndOfFile() {
        DataStream d = new DataStream(reader("a\r\nb"), 1000);
        assertThatThrownBy(() -> readAll(d, false)).isInstanceOf(EOFException.class);
        assertThat(d.connectionFailed()).isTrue();
    }

    record Seen(List<String> fields, String added) implements HeaderFilter.Inspector {
        @Override
        public void field(String name, String value) {
            fields.add(name + "=" + value);
        }

        @Override
        public void oversized(String name) {
            fields.add(name + " oversized");
        }

        @Override
        public String endOfHeader(Set<String> seen) {
            return seen.contains("date") ? "" : added;
        }
    }

    static String filter(String message, Seen inspector, boolean oneByte) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HeaderFilter f = new HeaderFilter(out, "Received: x\r\n", inspector);
        byte[] b = message.getBytes(StandardCharsets.ISO_8859_1);
        if (oneByte) {
            for (byte x : b) {
                f.write(x);
            }
        } else {
            f.write(b);
        }
        f.finish();
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void headerFieldsAreInspectedUnfoldedAndFieldsAddedAtTheEndOfTheHeader() throws Exception {
        for (boolean oneByte : new boolean[] {false, true}) {
            Seen s = new Seen(new ArrayList<>(), "Date: now\r\n");
            String out = filter("From: A\r\n <a@x>\r\nSubject: s\r\n\r\nFrom: not a header\r\n", s, oneByte);
            assertThat(out).isEqualTo("Received: x\r\nFrom: A\r\n <a@x>\r\nSubject: s\r\nDate: now\r\n\r\nFrom: not a header\r\n");
            assertThat(s.fields()).containsExactly("from=A <a@x>", "subject=s");
        }
    }

    @Test
    void aMessageThatIsAllHeaderStillGetsItsFields() throws Exception {
        Seen s = new Seen(new ArrayList<>(), "Date: now\r\n");
        assertThat(filter("Subject: s", s, false)).isEqualTo("Received: x\r\nSubject: s\r\nDate: now\r\n");
        assertThat(filter("Subject: s\r\nDate: d\r\n", new Seen(new ArrayList<>(), "X"), false))
                .isEqualTo("Received: x\r\nSubject: s\r\nDate: d\r\n");
    }

    @Test
    void anOversizedFieldPassesThroughUninspected() throws Exception {
        Seen s = new Seen(new ArrayList<>(), "");
        String big = "X-Big: " + "y".repeat(HeaderFilter.MAX_FIELD + 10) + "\r\n";
        assertThat(filter(big + "Subject: s\r\n\r\nbody", s, false)).isEqualTo("Received: x\r\n" + big + "Subject: s\r\n\r\nbody");
        assertThat(s.fields()).containsExactly("x-big oversized", "subject=s");
    }
}
