package org.postern.imap.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.postern.imap.parse.Wire.bytes;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postern.net.Line;

class CommandReaderTest {
    @TempDir
    Path spool;

    private CommandReader reader(String input, ReaderLimits limits) {
        return Wire.reader(bytes(input), false, limits, spool);
    }

    private static WireCommand received(ReadResult r) {
        assertThat(r).isInstanceOf(ReadResult.Received.class);
        return ((ReadResult.Received) r).command();
    }

    private static CommandError rejected(ReadResult r) {
        assertThat(r).isInstanceOf(ReadResult.Rejected.class);
        return ((ReadResult.Rejected) r).error();
    }

    private long spoolFiles() throws IOException {
        try (Stream<Path> s = Files.list(spool)) {
            return s.count();
        }
    }

    @Test
    void splitsALineIntoTokens() throws IOException {
        CommandReader r = reader("a1 FETCH 1:* (FLAGS BODY.PEEK[HEADER.FIELDS (From \"To\")]<0.10>)\r\n", ReaderLimits.DEFAULT);
        WireCommand c = received(r.read(new Wire.Continuations()));
        assertThat(c.tag()).isEqualTo("a1");
        assertThat(c.name()).isEqualTo("FETCH");
        assertThat(c.tokens()).containsExactly(
                new Token.Atom("FETCH", true), new Token.Atom("1:*", true), new Token.Open(true),
                new Token.Atom("FLAGS", false), new Token.Atom("BODY.PEEK[HEADER.FIELDS", true), new Token.Open(true),
                new Token.Atom("From", false), new Token.Quoted("To", true), new Token.Close(false),
                new Token.Atom("]<0.10>", false), new Token.Close(false));
        assertThat(r.read(new Wire.Continuations())).isInstanceOf(ReadResult.EndOfInput.class);
    }

    @Test
    void quotedStringsUnescapeAndAcceptUtf8() throws IOException {
        WireCommand c = received(reader("t LOGIN \"a\\\\b\\\"c\" \"p\u00e4ss \u2603\"\r\n", ReaderLimits.DEFAULT)
                .read(new Wire.Continuations()));
        assertThat(c.tokens()).containsExactly(new Token.Atom("LOGIN", true), new Token.Quoted("a\\b\"c", true),
                new Token.Quoted("p\u00e4ss \u2603", true));
    }

    @Test
    void synchronizingLiteralAsksForTheDataOnce() throws IOException {
        Wire.Continuations k = new Wire.Continuations();
        CommandReader r = reader("a2 LOGIN {4}\r\nfred {6}\r\nsecret\r\na3 NOOP\r\n", ReaderLimits.DEFAULT);
        WireCommand c = received(r.read(k));
        assertThat(k.count).isEqualTo(2);
        assertThat(c.literals()).extracting(Literal::size).containsExactly(4L, 6L);
        assertThat(c.literals().getFirst().bytes()).isEqualTo(bytes("fred"));
        assertThat(c.tokens().get(1)).isEqualTo(new Token.Lit(Literal.of(bytes("fred")), true));
        assertThat(received(r.read(k)).name()).isEqualTo("NOOP");
    }

    /** The literal's bytes exist only once the continuation was sent: reading earlier would see the end of input. */
    @Test
    void theContinuationComesBeforeTheReaderWaitsForTheData() throws IOException {
        byte[] head = bytes("a1 LOGIN {4}\r\n");
        byte[] tail = bytes("fred x\r\n");
        boolean[] released = {false};
        InputStream gated = new InputStream() {
            int pos;

            @Override
            public int read() {
                if (pos < head.length) {
                    return head[pos++] & 0xff;
                }
                int i = pos - head.length;
                if (!released[0] || i >= tail.length) {
                    return -1;
                }
                pos++;
                return tail[i] & 0xff;
            }
        };
        CommandReader r = Wire.reader(gated, ReaderLimits.DEFAULT, spool);
        WireCommand c = received(r.read(() -> released[0] = true));
        assertThat(c.literals().getFirst().bytes()).isEqualTo(bytes("fred"));
        assertThat(c.tokens().getLast()).isEqualTo(new Token.Atom("x", true));
    }

    @Test
    void nonSynchronizingAndBinaryLiterals() throws IOException {
        Wire.Continuations k = new Wire.Continuations();
        CommandReader r = reader("a4 APPEND INBOX ~{3+}\r\n\0\1\2 {2}\r\nhi\r\n", ReaderLimits.DEFAULT);
        WireCommand c = received(r.read(k));
        assertThat(k.count).isEqualTo(1); // only for the synchronizing {2}
        Literal bin = c.literals().getFirst();
        assertThat(bin.isBinary()).isTrue();
        assertThat(bin.containsNul()).isTrue();
        assertThat(bin.bytes()).containsExactly(0, 1, 2);
        assertThat(c.literals().get(1).isBinary()).isFalse();
    }

    @Test
    void literalMayEndMidLineAndTheLineGoesOn() throws IOException {
        WireCommand c = received(reader("a5 SEARCH SUBJECT {3+}\r\nabc FROM x\r\n", ReaderLimits.DEFAULT)
                .read(new Wire.Continuations()));
        assertThat(c.tokens()).containsExactly(new Token.Atom("SEARCH", true), new Token.Atom("SUBJECT", true),
                new Token.Lit(Literal.of(bytes("abc")), true), new Token.Atom("FROM", true), new Token.Atom("x", true));
    }

    @Test
    void bareLfEndsALine() throws IOException {
        CommandReader r = reader("a1 NOOP\na2 LOGIN {1+}\nx\n", ReaderLimits.DEFAULT);
        assertThat(received(r.read(new Wire.Continuations())).name()).isEqualTo("NOOP");
        assertThat(received(r.read(new Wire.Continuations())).literals().getFirst().bytes()).isEqualTo(bytes("x"));
    }

    @Test
    void aLineWithoutItsEndIsNoCommand() throws IOException {
        assertThat(reader("a1 NOOP", ReaderLimits.DEFAULT).read(new Wire.Continuations()))
                .isInstanceOf(ReadResult.EndOfInput.class);
    }

    @Test
    void tooLargeSynchronizingLiteralIsRefusedBeforeTheContinuation() throws IOException {
        Wire.Continuations k = new Wire.Continuations();
        ReaderLimits limits = ReaderLimits.DEFAULT.withMaxCommandBytes(100);
        CommandReader r = reader("a1 LOGIN {101}\r\na2 NOOP\r\n", limits);
        CommandError e = rejected(r.read(k));
        assertThat(k.count).isZero();
        assertThat(e.tag()).isEqualTo("a1");
        assertThat(e.status()).isEqualTo(CommandError.Status.NO);
        assertThat(e.code()).isEqualTo("TOOBIG");
        assertThat(e.kind()).isEqualTo(CommandError.Kind.TOO_BIG);
        assertThat(e.closeConnection()).isFalse();
        assertThat(e.responseLine()).startsWith("a1 NO [TOOBIG] LOGIN refused: command longer than 100 bytes");
        assertThat(received(r.read(k)).name()).isEqualTo("NOOP"); // the client never sent the data
    }

    @Test
    void tooLargeNonSynchronizingLiteralIsReadAndThrownAway() throws IOException {
        ReaderLimits limits = ReaderLimits.DEFAULT.withMaxCommandBytes(100);
        String big = "x".repeat(150);
        CommandReader r = reader("a1 SEARCH TEXT {150+}\r\n" + big + " OR {3+}\r\nabc {2+}\r\nde\r\na2 NOOP\r\n", limits);
        CommandError e = rejected(r.read(new Wire.Continuations()));
        assertThat(e.status()).isEqualTo(CommandError.Status.BAD);
        assertThat(e.code()).isEqualTo("TOOBIG");
        assertThat(e.closeConnection()).isFalse();
        assertThat(received(r.read(new Wire.Continuations())).name()).isEqualTo("NOOP");
    }

    @Test
    void nonSynchronizingLiteralBeyondTheDiscardBoundClosesTheConnection() throws IOException {
        ReaderLimits limits = ReaderLimits.DEFAULT.withMaxCommandBytes(100).withMaxDiscardBytes(1000);
        CommandError e = rejected(reader("a1 LOGIN {5000+}\r\n" + "x".repeat(5000) + "\r\n", limits)
                .read(new Wire.Continuations()));
        assertThat(e.closeConnection()).isTrue();
        assertThat(e.tag()).isEqualTo("a1");
        CommandError huge = rejected(reader("a1 LOGIN {99999999999999+}\r\n", ReaderLimits.DEFAULT)
                .read(new Wire.Continuations()));
        assertThat(huge.closeConnection()).isTrue();
        assertThat(huge.code()).isEqualTo("TOOBIG");
    }

    @Test
    void literalMinusLimitsNonSynchronizingLiterals() throws IOException {
        ReaderLimits literalMinus = ReaderLimits.DEFAULT.withMaxNonSyncLiteral(4096);
        String ok = "y".repeat(4096);
        CommandReader r = reader("a1 APPEND INBOX {4096+}\r\n" + ok + "\r\na2 APPEND INBOX {4097+}\r\n"
                + ok + "z\r\na3 NOOP\r\n", literalMinus);
        assertThat(received(r.read(new Wire.Continuations())).literalBytes()).isEqualTo(4096);
        CommandError e = rejected(r.read(new Wire.Continuations()));
        assertThat(e.tag()).isEqualTo("a2");
        assertThat(e.status()).isEqualTo(CommandError.Status.BAD);
        assertThat(e.code()).isEqualTo("TOOBIG");
        // A text that ended in "{4097}" would make a client wait for 4097 octets of literal.
        assertThat(e.responseLine()).contains("synchronizing literal").doesNotEndWith("}");
        assertThat(received(r.read(new Wire.Continuations())).name()).isEqualTo("NOOP");
    }

    @Test
    void appendHasTheMessageLimitInsteadOfTheCommandLimit() throws IOException {
        ReaderLimits limits = ReaderLimits.DEFAULT.withMaxCommandBytes(10).withMaxMessageBytes(1000).withMaxAppendBytes(1500);
        String msg = "m".repeat(1000);
        Wire.Continuations k = new Wire.Continuations();
        CommandReader r = reader("a1 APPEND INBOX {1000}\r\n" + msg + "\r\n"
                + "a2 APPEND INBOX {1001}\r\n"
                + "a3 APPEND INBOX {1000+}\r\n" + msg + " {1000}\r\n"
                + "a4 NOOP\r\n", limits);
        assertThat(received(r.read(k)).literalBytes()).isEqualTo(1000);
        CommandError tooBig = rejected(r.read(k));
        assertThat(tooBig.tag()).isEqualTo("a2");
        assertThat(tooBig.status()).isEqualTo(CommandError.Status.NO);
        assertThat(tooBig.text()).contains("message of 1001 bytes is over the size limit of 1000 bytes");
        CommandError tooMuch = rejected(r.read(k)); // MULTIAPPEND over maxAppendBytes: the 2nd {1000} is not invited
        assertThat(tooMuch.tag()).isEqualTo("a3");
        assertThat(tooMuch.text()).contains("more than 1500 bytes");
        assertThat(k.count).isEqualTo(1);
        assertThat(received(r.read(k)).name()).isEqualTo("NOOP");
    }

    @Test
    void continuationLinesCountTowardsTheCommandLimit() throws IOException {
        ReaderLimits limits = ReaderLimits.DEFAULT.withMaxCommandBytes(40);
        CommandReader r = reader("a1 SEARCH TEXT {1+}\r\nx TEXT {1+}\r\ny " + "ALL ".repeat(10) + "\r\na2 NOOP\r\n", limits);
        CommandError e = rejected(r.read(new Wire.Continuations()));
        assertThat(e.kind()).isEqualTo(CommandError.Kind.TOO_BIG);
        assertThat(received(r.read(new Wire.Continuations())).name()).isEqualTo("NOOP");
    }

    @Test
    void largeLiteralsAreSpooledToFilesThatCloseDeletes() throws IOException {
        ReaderLimits limits = ReaderLimits.DEFAULT.withMemoryBytes(100);
        byte[] message = new byte[5000];
        Arrays.fill(message, (byte) 'q');
        message[4999] = 0;
        String input = "a1 APPEND INBOX {50+}\r\n" + "s".repeat(50) + " {5000+}\r\n"
                + new String(message, StandardCharsets.ISO_8859_1) + " {60+}\r\n" + "t".repeat(60) + "\r\n";
        CommandReader r = Wire.reader(input.getBytes(StandardCharsets.ISO_8859_1), true, limits, spool);
        ReadResult result = r.read(new Wire.Continuations());
        WireCommand c = received(result);
        List<Literal> lits = c.literals();
        assertThat(lits.get(0).isInMemory()).isTrue();
        assertThat(lits.get(1).isInMemory()).isFalse();
        assertThat(lits.get(2).isInMemory()).isFalse(); // 50 + 60 is over the 100 bytes of memory
        assertThat(lits.get(1).containsNul()).isTrue();
        Path file = lits.get(1).file().orElseThrow();
        assertThat(file.getParent()).isEqualTo(spool);
        assertThat(Files.readAllBytes(file)).isEqualTo(message);
        assertThat(lits.get(1).bytes()).isEqualTo(message);
        try (InputStream in = lits.get(2).open()) {
            assertThat(in.readAllBytes()).isEqualTo(bytes("t".repeat(60)));
        }
        assertThat(spoolFiles()).isEqualTo(2);
        result.close();
        assertThat(spoolFiles()).isZero();
        assertThat(lits.get(1).isClosed()).isTrue();
        assertThatThrownBy(() -> lits.get(1).bytes()).isInstanceOf(IllegalStateException.class);
        result.close(); // idempotent
    }

    @Test
    void aCommandThatFailsLeavesNoSpoolFiles() throws IOException {
        ReaderLimits limits = ReaderLimits.DEFAULT.withMemoryBytes(0);
        CommandReader r = reader("a1 APPEND INBOX {5+}\r\nhello \"unterminated\r\na2 NOOP\r\n", limits);
        CommandError e = rejected(r.read(new Wire.Continuations()));
        assertThat(e.text()).contains("unterminated quoted string");
        assertThat(spoolFiles()).isZero();
        assertThat(received(r.read(new Wire.Continuations())).name()).isEqualTo("NOOP");
        CommandReader eof = reader("a1 APPEND INBOX {5+}\r\nhello {10+}\r\nabc", limits);
        assertThat(eof.read(new Wire.Continuations())).isInstanceOf(ReadResult.EndOfInput.class);
        assertThat(spoolFiles()).isZero();
    }

    @Test
    void aTimeoutInsideALiteralDeletesTheSpoolFilesAndIsThrown() throws IOException {
        ReaderLimits limits = ReaderLimits.DEFAULT.withMemoryBytes(0);
        InputStream failing = new SequenceInputStream(
                new ByteArrayInputStream(bytes("a1 APPEND INBOX {5+}\r\nhello {10+}\r\nabc")),
                new InputStream() {
                    @Override
                    public int read() throws IOException {
                        throw new SocketTimeoutException("test");
                    }
                });
        CommandReader r = Wire.reader(failing, limits, spool);
        assertThatThrownBy(() -> r.read(new Wire.Continuations())).isInstanceOf(SocketTimeoutException.class);
        assertThat(spoolFiles()).isZero();
    }

    @Test
    void spoolFailureIsAServerFaultAndTheDataIsStillConsumed() throws IOException {
        Path missing = spool.resolve("does-not-exist");
        ReaderLimits limits = ReaderLimits.DEFAULT.withMemoryBytes(0);
        Wire.Continuations k = new Wire.Continuations();
        CommandReader r = Wire.reader(bytes("a1 APPEND INBOX {5+}\r\nhello\r\na2 APPEND INBOX {5}\r\na3 NOOP\r\n"),
                false, limits, missing);
        CommandError e = rejected(r.read(k));
        assertThat(e.kind()).isEqualTo(CommandError.Kind.SERVER_FAULT);
        assertThat(e.status()).isEqualTo(CommandError.Status.NO);
        assertThat(e.closeConnection()).isFalse();
        CommandError sync = rejected(r.read(k));
        assertThat(sync.tag()).isEqualTo("a2");
        assertThat(k.count).isZero();
        assertThat(received(r.read(k)).name()).isEqualTo("NOOP");
    }

    @Test
    void overLongFirstLineIsUntaggedAndCloses() throws IOException {
        String line = "a1 NOOP " + "x".repeat(Wire.MAX_LINE) + "\r\na2 NOOP\r\n";
        CommandError e = rejected(reader(line, ReaderLimits.DEFAULT).read(new Wire.Continuations()));
        assertThat(e.kind()).isEqualTo(CommandError.Kind.LINE_TOO_LONG);
        assertThat(e.tag()).isNull();
        assertThat(e.responseLine()).startsWith("* BAD [TOOBIG] Command line too long");
        assertThat(e.closeConnection()).isTrue();
    }

    @Test
    void overLongContinuationLineKeepsTheTag() throws IOException {
        String input = "a1 SEARCH TEXT {1+}\r\nx " + "y".repeat(Wire.MAX_LINE) + "\r\n";
        CommandError e = rejected(reader(input, ReaderLimits.DEFAULT.withMaxCommandBytes(1 << 20))
                .read(new Wire.Continuations()));
        assertThat(e.kind()).isEqualTo(CommandError.Kind.LINE_TOO_LONG);
        assertThat(e.tag()).isEqualTo("a1");
        assertThat(e.closeConnection()).isTrue();
    }

    @Test
    void rawLinesForIdleAndAuthenticate() throws IOException {
        CommandReader r = reader("a1 IDLE\r\nDONE\r\na2 AUTHENTICATE PLAIN\r\nAGZyZWQAc2VjcmV0\r\na3 NOOP\r\n",
                ReaderLimits.DEFAULT);
        assertThat(received(r.read(new Wire.Continuations())).name()).isEqualTo("IDLE");
        Line done = r.readRawLine();
        assertThat(done.latin1()).isEqualTo("DONE");
        assertThat(received(r.read(new Wire.Continuations())).name()).isEqualTo("AUTHENTICATE");
        assertThat(r.readRawLine().latin1()).isEqualTo("AGZyZWQAc2VjcmV0");
        assertThat(received(r.read(new Wire.Continuations())).name()).isEqualTo("NOOP");
        assertThat(r.readRawLine()).isNull();
    }

    @Test
    void linesWithoutTagOrCommand() throws IOException {
        CommandReader r = reader("\r\n(((\r\n+++ NOOP\r\n* NOOP\r\nA88345 \r\nA88345\r\nok\u00e4 NOOP\r\n", ReaderLimits.DEFAULT);
        assertThat(rejected(r.read(new Wire.Continuations())).kind()).isEqualTo(CommandError.Kind.EMPTY_LINE);
        for (int i = 0; i < 3; i++) {
            CommandError e = rejected(r.read(new Wire.Continuations()));
            assertThat(e.kind()).isEqualTo(CommandError.Kind.NO_TAG);
            assertThat(e.responseLine()).startsWith("* BAD ");
        }
        for (int i = 0; i < 2; i++) {
            CommandError e = rejected(r.read(new Wire.Continuations()));
            assertThat(e.tag()).isEqualTo("A88345");
            assertThat(e.text()).contains("Missing command name");
        }
        assertThat(rejected(r.read(new Wire.Continuations())).kind()).isEqualTo(CommandError.Kind.NO_TAG);
    }

    @Test
    void aRejectedCommandsNonSynchronizingLiteralIsNotReadAsACommand() throws IOException {
        List<String> names = new ArrayList<>();
        CommandReader r = reader("+++ {11+}\r\na9 DELETE x\r\n"
                + "a1 LOGIN \"bad\\q\" {11+}\r\na9 DELETE x\r\n"
                + "a2 NOOP\r\n", ReaderLimits.DEFAULT);
        for (int i = 0; i < 3; i++) {
            switch (r.read(new Wire.Continuations())) {
                case ReadResult.Received c -> names.add(c.command().tag() + " " + c.command().name());
                case ReadResult.Rejected j -> names.add("rejected " + j.error().tag());
                case ReadResult.EndOfInput e -> names.add("end");
            }
        }
        assertThat(names).containsExactly("rejected null", "rejected a1", "a2 NOOP");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a1 LOGIN {abc}", "a1 LOGIN {}", "a1 LOGIN {+}", "a1 LOGIN {-5}", "a1 LOGIN {5} x",
        "a1 LOGIN {99999999999999999999}", "a1 LOGIN x{5}", "a1 LOGIN \"x\"{5}", "a1 LOGIN {5++}", "a1 LOGIN {5",
        "a1 LOGIN ~{x}", "a1 LOGIN {1 2}"})
    void malformedLiteralAnnouncementsAreSyntaxErrorsWithoutContinuation(String line) throws IOException {
        Wire.Continuations k = new Wire.Continuations();
        CommandReader r = reader(line + "\r\na2 NOOP\r\n", ReaderLimits.DEFAULT);
        CommandError e = rejected(r.read(k));
        assertThat(e.kind()).isEqualTo(CommandError.Kind.SYNTAX);
        assertThat(e.tag()).isEqualTo("a1");
        assertThat(k.count).isZero();
        assertThat(received(r.read(k)).name()).isEqualTo("NOOP");
    }

    @Test
    void hugeSynchronizingLiteralIsTooBigNotAnError() throws IOException {
        Wire.Continuations k = new Wire.Continuations();
        CommandError e = rejected(reader("a1 APPEND INBOX {99999999999999}\r\n", ReaderLimits.DEFAULT).read(k));
        assertThat(e.kind()).isEqualTo(CommandError.Kind.TOO_BIG);
        assertThat(e.closeConnection()).isFalse();
        assertThat(k.count).isZero();
    }
}
