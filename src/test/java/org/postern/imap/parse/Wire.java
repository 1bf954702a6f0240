package org.postern.imap.parse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.postern.net.LineReader;

/** Test helpers: a command reader over bytes, fast or one byte at a time, and a parse in one call. */
final class Wire {
    static final int MAX_LINE = 64 * 1024;
    static final CommandParser PARSER = new CommandParser();

    private Wire() {
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Adds the CRLF that ends a command when the text does not end with a line end. */
    static String crlf(String s) {
        return s.endsWith("\n") ? s : s + "\r\n";
    }

    static CommandReader reader(InputStream in, ReaderLimits limits, Path spool) {
        return new CommandReader(new LineReader(in, MAX_LINE, LineReader.Mode.LENIENT), limits, spool);
    }

    static CommandReader reader(byte[] data, boolean slow, ReaderLimits limits, Path spool) {
        return reader(slow ? new SlowInputStream(data) : new ByteArrayInputStream(data), limits, spool);
    }

    /** Counts the continuation requests. */
    static final class Continuations implements CommandReader.Continuation {
        int count;

        @Override
        public void ready() {
            count++;
        }
    }

    /** Every result the reader gives for {@code input}, up to the end of input (which is included). */
    static List<ReadResult> readAll(byte[] input, boolean slow, ReaderLimits limits, Path spool) {
        CommandReader r = reader(input, slow, limits, spool);
        List<ReadResult> out = new ArrayList<>();
        try {
            while (true) {
                ReadResult res = r.read(new Continuations());
                out.add(res);
                if (res instanceof ReadResult.EndOfInput) {
                    return out;
                }
                if (out.size() > 100_000) {
                    throw new AssertionError("reader does not make progress");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads and parses one command; the reader must then be at the end of input. */
    static ParseResult parseOne(String wire, boolean slow, ParseOptions options, Path spool) {
        List<ReadResult> results = readAll(bytes(crlf(wire)), slow, ReaderLimits.DEFAULT, spool);
        if (results.size() != 2 || !(results.get(1) instanceof ReadResult.EndOfInput)) {
            throw new AssertionError("expected one command, read " + results);
        }
        return switch (results.getFirst()) {
            case ReadResult.Received rc -> PARSER.parse(rc.command(), options);
            case ReadResult.Rejected rj -> new ParseResult.Failed(rj.error());
            case ReadResult.EndOfInput e -> throw new AssertionError("no command in " + wire);
        };
    }
}
