package org.postern.imap.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Coverage-guided fuzzing (Jazzer) of the two IMAP parsing stages together: {@link CommandReader}
 * turns the bytes into commands, {@link CommandParser} into records. Whatever the bytes, every
 * result is typed (no exception escapes), no error is a parser bug, responses are one printable
 * line, literals keep to their limits, no spool file is left behind and the reader makes progress.
 * The first byte picks the delivery (all at once or one byte at a time) and the parse options.
 *
 * <p>Without {@code JAZZER_FUZZ} this runs the saved inputs in {@code CommandFuzzTestInputs/}
 * as regression tests; README "Fuzzing" says how to fuzz for hours.
 */
class CommandFuzzTest {
    static final ReaderLimits LIMITS = new ReaderLimits(1024, 2048, 4096, Long.MAX_VALUE, 8192, 512);
    static final Path SPOOL;

    static {
        try {
            SPOOL = Files.createTempDirectory("imap-fuzz-spool");
            SPOOL.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void readAndParse(byte[] data) throws IOException {
        if (data.length == 0) {
            return;
        }
        int mode = data[0];
        byte[] input = java.util.Arrays.copyOfRange(data, 1, data.length);
        CommandReader reader = Wire.reader(input, (mode & 1) != 0, LIMITS, SPOOL);
        ParseOptions options = (mode & 2) != 0 ? ParseOptions.UTF8 : ParseOptions.DEFAULT;
        for (int n = 0; ; n++) {
            assertThat(n).as("progress").isLessThanOrEqualTo(input.length + 1);
            Wire.Continuations k = new Wire.Continuations();
            try (ReadResult r = reader.read(k)) {
                switch (r) {
                    case ReadResult.EndOfInput e -> {
                        assertNoSpoolFiles();
                        return;
                    }
                    case ReadResult.Rejected j -> {
                        check(j.error());
                        if (j.error().closeConnection()) {
                            return;
                        }
                    }
                    case ReadResult.Received c -> {
                        WireCommand w = c.command();
                        assertThat(CommandReader.isTagChar(w.tag().charAt(0))).isTrue();
                        long inMemory = w.literals().stream().filter(Literal::isInMemory).mapToLong(Literal::size).sum();
                        assertThat(inMemory).isLessThanOrEqualTo(LIMITS.memoryBytes());
                        assertThat(w.literalBytes()).isLessThanOrEqualTo(LIMITS.maxAppendBytes());
                        assertThat(k.count).isLessThanOrEqualTo(w.literals().size());
                        switch (Wire.PARSER.parse(w, options)) {
                            case ParseResult.Parsed ok -> {
                                assertThat(ok.tag()).isEqualTo(w.tag());
                                assertThat(ok.command().name()).isNotEmpty();
                            }
                            case ParseResult.Failed f -> {
                                check(f.error());
                                assertThat(f.error().tag()).isEqualTo(w.tag());
                            }
                        }
                    }
                }
            }
        }
    }

    private static void check(CommandError e) {
        assertThat(e.kind()).as(e.toString()).isNotIn(CommandError.Kind.INTERNAL, CommandError.Kind.SERVER_FAULT);
        assertThat(e.responseLine()).as("one printable line").matches("[\\x20-\\x7e]+\r\n");
        assertThat(e.responseLine().length()).isLessThan(600);
    }

    private static void assertNoSpoolFiles() throws IOException {
        try (Stream<Path> files = Files.list(SPOOL)) {
            assertThat(files).as("spool files left").isEmpty();
        }
    }
}
