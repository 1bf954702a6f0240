package org.postern.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.postern.net.Line;
import org.postern.net.LineReader;
import org.postern.net.LineTooLongException;

/**
 * Coverage-guided fuzzing (Jazzer) of POP3 command lines through the lenient line reader and
 * {@link CommandParser}: every line is a command or a {@link Pop3Exception} whose text is one
 * printable line; numbers are never negative; USER names carry no surrounding spaces.
 */
class CommandFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void commandLines(byte[] data) throws IOException {
        LineReader reader = new LineReader(new ByteArrayInputStream(data), 255, LineReader.Mode.LENIENT);
        for (int n = 0; n <= data.length; n++) {
            Line line;
            try {
                line = reader.readLine();
            } catch (LineTooLongException e) {
                continue;
            }
            if (line == null) {
                return;
            }
            try {
                switch (CommandParser.parse(line)) {
                    case Command.User u -> assertThat(u.user()).isNotEmpty().isEqualTo(u.user().strip());
                    case Command.Pass p -> assertThat(p.password()).isNotEmpty();
                    case Command.Retr r -> assertThat(r.message()).isNotNegative();
                    case Command.Dele d -> assertThat(d.message()).isNotNegative();
                    case Command.Top t -> {
                        assertThat(t.message()).isNotNegative();
                        assertThat(t.lines()).isNotNegative();
                    }
                    case Command.ListMessages l -> l.message().ifPresent(x -> assertThat(x).isNotNegative());
                    case Command.Uidl u -> u.message().ifPresent(x -> assertThat(x).isNotNegative());
                    default -> {
                    }
                }
            } catch (Pop3Exception e) {
                assertThat(e.getMessage()).as("-ERR text").matches("[\\x20-\\x7e]+").hasSizeLessThan(300);
                assertThat(e.code()).isNull();
            }
        }
        throw new AssertionError("the line reader made no progress");
    }
}
