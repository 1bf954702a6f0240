package org.postern.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import org.postern.net.Line;
import org.postern.net.LineReader;
import org.postern.net.LineTooLongException;

/**
 * Coverage-guided fuzzing (Jazzer) of SMTP command lines as the session reads them: the strict
 * line reader, {@link CommandParser} (with {@link PathParser}) and {@link MailParameters}. Every
 * line gives a command or a 5xx reply of printable one-line text, never another exception; a
 * parsed address written out with {@link MailPath#address()} (as the queue and the Received field
 * do) parses back to the same address.
 */
class CommandFuzzTest {
    static final String HOST = "mx.example.org";

    @FuzzTest(maxDuration = "10s")
    void commandLines(byte[] data) throws IOException {
        LineReader reader = new LineReader(new ByteArrayInputStream(data), 512, LineReader.Mode.STRICT);
        for (int n = 0; n <= data.length; n++) {
            Line line;
            try {
                line = reader.readLine();
            } catch (LineTooLongException e) {
                continue;
            }
            if (line == null || line.ending() == Line.Ending.EOF) {
                return;
            }
            if (!line.isClean()) {
                continue; // the session answers 500 before parsing (RFC 5321 §2.3.8)
            }
            String text;
            try {
                text = line.isValidUtf8() ? line.utf8() : line.latin1();
            } catch (CharacterCodingException e) {
                continue;
            }
            Command c;
            try {
                c = CommandParser.parse(text, HOST);
            } catch (SmtpException e) {
                checkRefusal(e.reply());
                continue;
            }
            switch (c) {
                case Command.Mail m -> {
                    parameters(m);
                    roundTrip(m.from(), true);
                }
                case Command.Rcpt r -> roundTrip(r.to(), false);
                case Command.Ehlo e -> assertThat(e.domain()).isNotBlank().doesNotContain(" ");
                case Command.Bdat b -> assertThat(b.size()).isNotNegative();
                default -> {
                }
            }
        }
        throw new AssertionError("the line reader made no progress");
    }

    private static void parameters(Command.Mail m) {
        for (int variant = 0; variant < 4; variant++) {
            try {
                MailParameters p = MailParameters.parse(m.params(), (variant & 1) != 0, (variant & 2) != 0, 1 << 20);
                assertThat(p.size()).isBetween(-1L, 1L << 20);
            } catch (SmtpException e) {
                checkRefusal(e.reply());
            }
        }
    }

    private static void roundTrip(MailPath path, boolean mayBeNull) {
        if (path == null) {
            assertThat(mayBeNull).as("<> only in MAIL FROM").isTrue();
            return;
        }
        String written = "<" + path.address() + ">";
        try {
            MailPath again = PathParser.parse(written, false, null).path();
            assertThat(again.localPart()).as(written).isEqualTo(path.localPart());
            assertThat(again.domain()).as(written).isEqualTo(path.domain());
            assertThat(again.addressLiteral()).isEqualTo(path.addressLiteral());
        } catch (PathParser.Invalid e) {
            throw new AssertionError("the parsed address " + written + " does not parse again: " + e.getMessage());
        }
    }

    static void checkRefusal(Reply reply) {
        assertThat(reply.code()).as(reply.toString()).isBetween(500, 599);
        for (String l : reply.lines()) {
            assertThat(l).as("reply text").doesNotContain("\r", "\n").hasSizeLessThan(600);
        }
    }
}
