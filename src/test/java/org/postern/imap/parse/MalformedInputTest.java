package org.postern.imap.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed input to expected error: the kind, the status, the tag (null for {@code * BAD}) and a
 * piece of the text a person reads. The wire strings are Latin-1, one char per octet, so 8-bit
 * octets can be written. Each row is read in one piece and one byte at a time, followed by a
 * NOOP that must then be read normally: the reader is back at a command boundary.
 */
class MalformedInputTest {
    @TempDir
    Path spool;

    record Row(String wire, CommandError.Kind kind, CommandError.Status status, String tag, String text,
               boolean close) {
        @Override
        public String toString() {
            String s = wire.replace("\r\n", "\\r\\n").replace("\0", "\\0");
            return "<" + (s.length() > 120 ? s.substring(0, 120) + "..." : s) + ">";
        }
    }

    static Arguments bad(String wire, String text) {
        return Arguments.of(new Row(wire, CommandError.Kind.SYNTAX, CommandError.Status.BAD, "a1", text, false));
    }

    static Arguments err(String wire, CommandError.Kind kind, CommandError.Status status, String tag, String text) {
        return Arguments.of(new Row(wire, kind, status, tag, text, false));
    }

    static Arguments fatal(String wire, CommandError.Kind kind, String tag, String text) {
        return Arguments.of(new Row(wire, kind, CommandError.Status.BAD, tag, text, true));
    }

    static final CommandError.Kind SYNTAX = CommandError.Kind.SYNTAX;
    static final CommandError.Status BAD = CommandError.Status.BAD;
    static final CommandError.Status NO = CommandError.Status.NO;

    static Stream<Arguments> rows() {
        List<Arguments> all = new ArrayList<>();
        all.addAll(framing());
        all.addAll(commands());
        all.addAll(MalformedRows.fetchAndStore());
        all.addAll(MalformedRows.searchSortThread());
        all.addAll(MalformedRows.mailboxes());
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void fails(Row row) {
        String tail = "z9 NOOP\r\n";
        byte[] input = (Wire.crlf(row.wire()) + tail).getBytes(StandardCharsets.ISO_8859_1);
        for (boolean slow : new boolean[] {false, true}) {
            List<ReadResult> results = Wire.readAll(input, slow, ReaderLimits.DEFAULT, spool);
            CommandError e = switch (results.getFirst()) {
                case ReadResult.Rejected r -> r.error();
                case ReadResult.Received r -> {
                    ParseResult p = Wire.PARSER.parse(r.command(), ParseOptions.DEFAULT);
                    assertThat(p).as("parsed, but should fail").isInstanceOf(ParseResult.Failed.class);
                    yield ((ParseResult.Failed) p).error();
                }
                case ReadResult.EndOfInput x -> throw new AssertionError("no command");
            };
            assertThat(e.kind()).as("kind of " + e).isEqualTo(row.kind());
            assertThat(e.status()).as("status of " + e).isEqualTo(row.status());
            assertThat(e.tag()).as("tag of " + e).isEqualTo(row.tag());
            assertThat(e.text()).contains(row.text());
            assertThat(e.closeConnection()).isEqualTo(row.close());
            assertThat(e.responseLine()).endsWith("\r\n").doesNotContain("\0").matches("(?s)[\\x20-\\x7e]+\r\n");
            if (!row.close()) {
                assertThat(results).as("the reader resynchronised").hasSize(3);
                assertThat(results.get(1)).isInstanceOf(ReadResult.Received.class);
                assertThat(((ReadResult.Received) results.get(1)).command().tag()).isEqualTo("z9");
            }
            results.forEach(ReadResult::close);
        }
    }

    static List<Arguments> framing() {
        String longLine = "a1 NOOP " + "x".repeat(Wire.MAX_LINE);
        return List.of(
                err("", CommandError.Kind.EMPTY_LINE, BAD, null, "Empty command line"),
                err("(((", CommandError.Kind.NO_TAG, BAD, null, "Missing or invalid tag"),
                err("+++++++++++++++++++++++++++++++++++++++++", CommandError.Kind.NO_TAG, BAD, null, "invalid tag"),
                err(" NOOP", CommandError.Kind.NO_TAG, BAD, null, "invalid tag"),
                err("* NOOP", CommandError.Kind.NO_TAG, BAD, null, "invalid tag"),
                err("a\"1 NOOP", CommandError.Kind.NO_TAG, BAD, null, "invalid tag"),
                err("a{1} NOOP", CommandError.Kind.NO_TAG, BAD, null, "invalid tag"),
                err("a\u00e91 NOOP", CommandError.Kind.NO_TAG, BAD, null, "invalid tag"),
                err("a\u00001 NOOP", CommandError.Kind.NO_TAG, BAD, null, "invalid tag"),
                err("+++ {5+}\r\nhello", CommandError.Kind.NO_TAG, BAD, null, "invalid tag"),
                bad("a1 ", "Missing command name"),
                bad("a1", "Missing command name"),
                bad("a1 \"NOOP\"", "Missing command name"),
                bad("a1 {4+}\r\nNOOP", "Missing command name"),
                bad("a1 (NOOP)", "Missing command name"),
                // literals
                bad("a1 LOGIN {abc}", "literal length is not a number"),
                bad("a1 LOGIN {-5}", "literal length is not a number"),
                bad("a1 LOGIN {}", "literal without a length"),
                bad("a1 LOGIN {5} x", "must announce a literal at the end of the line"),
                bad("a1 LOGIN {99999999999999999999}", "literal length out of range"),
                fatal("a1 LOGIN {99999999999999999999+}", SYNTAX, "a1", "literal length out of range"),
                bad("a1 LOGIN fred{4}", "'{' inside an atom"),
                bad("a1 LOGIN fred\"x\" y", "'\"' inside an atom"),
                bad("a1 LOGIN fred \"x\"{4}", "a literal must follow a space"),
                err("a1 LOGIN {99999999999999}", CommandError.Kind.TOO_BIG, NO, "a1", "command longer than 65536 bytes"),
                err("a1 LOGIN {70000}", CommandError.Kind.TOO_BIG, NO, "a1", "LOGIN refused"),
                err("a1 LOGIN {70000+}\r\n" + "p".repeat(70000) + " x", CommandError.Kind.TOO_BIG, BAD, "a1", "LOGIN refused"),
                err("a1 APPEND INBOX {36700161}", CommandError.Kind.TOO_BIG, NO, "a1", "over the size limit of 36700160 bytes"),
                fatal("a1 LOGIN {99999999999999+}", CommandError.Kind.TOO_BIG, "a1", "LOGIN refused"),
                // NUL, control characters, 8-bit
                bad("a1 NOOP\u0000", "NUL octet"),
                bad("a1 LOGIN \"a\u0000b\" c", "NUL octet in quoted string"),
                bad("a1 LOGIN a\u0001b c", "control character 0x01"),
                bad("a1 LOGIN a\tb c", "control character 0x09"),
                bad("a1 LOGIN a\rb c", "control character 0x0D"),
                bad("a1 LOGIN \"a\rb\" c", "CR or LF in quoted string"),
                bad("a1 LOGIN a\u007fb c", "control character 0x7F"),
                bad("a1 LOGIN {3+}\r\na\u0000b c", "must not be a literal8 or contain NUL"),
                bad("a1 LOGIN ~{3+}\r\nabc c", "must not be a literal8"),
                bad("a1 APPEND INBOX {3+}\r\na\u0000b", "send it as a literal8"),
                bad("a1 SELECT caf\u00e9", "8-bit octet outside a quoted string or literal"),
                bad("a1 SELECT caf\u00c3\u00a9", "8-bit octet outside a quoted string or literal"),
                bad("a1 LOGIN \"caf\u00e9\" x", "quoted string is not valid UTF-8"),
                bad("a1 LOGIN \"\u00c3\u0028\" x", "quoted string is not valid UTF-8"),
                bad("a1 LOGIN \"\u00ed\u00a0\u0080\" x", "quoted string is not valid UTF-8"), // an encoded surrogate
                bad("a1 LOGIN \"\u00c0\u00af\" x", "quoted string is not valid UTF-8"), // overlong "/"
                bad("a1 LOGIN {2+}\r\n\u00c3\u0028 x", "is not valid UTF-8"),
                bad("a1 LOGIN \"unterminated x", "unterminated quoted string"),
                bad("a1 LOGIN \"esc\\ape\" x", "invalid escape"),
                bad("a1 LOGIN \"trailing\\", "unterminated quoted string"),
                fatal(longLine, CommandError.Kind.LINE_TOO_LONG, null, "Command line too long"),
                fatal("a1 LOGIN {1+}\r\nx " + "y".repeat(Wire.MAX_LINE), CommandError.Kind.LINE_TOO_LONG, "a1",
                        "Command line too long"));
    }

    static List<Arguments> commands() {
        return List.of(
                err("a1 BOGUS", CommandError.Kind.UNKNOWN_COMMAND, BAD, "a1", "Unknown command BOGUS"),
                err("A88345 BOGUS", CommandError.Kind.UNKNOWN_COMMAND, BAD, "A88345", "Unknown command BOGUS"),
                err("a1 XLIST \"\" *", CommandError.Kind.UNKNOWN_COMMAND, BAD, "a1", "Unknown command XLIST"),
                err("a1 GETMETADATA INBOX /private/comment", CommandError.Kind.UNKNOWN_COMMAND, BAD, "a1", "Unknown command"),
                err("a1 " + "X".repeat(200), CommandError.Kind.UNKNOWN_COMMAND, BAD, "a1", "XXX..."),
                bad("a1 NOOP extra", "Error in IMAP command NOOP: unexpected extra argument extra"),
                bad("a1 CAPABILITY extra stuff", "unexpected extra argument extra"),
                bad("a1 LOGOUT (", "unexpected extra argument ("),
                bad("a1 LOGOUT {5+}\r\nextra", "unexpected extra argument Literal[5 bytes]"),
                bad("a1 IDLE now", "unexpected extra argument"),
                bad("a1 STARTTLS x", "unexpected extra argument"),
                bad("a1 LOGIN", "missing the user name"),
                bad("a1 LOGIN fred", "missing the password"),
                bad("a1 LOGIN imapuser password extra", "unexpected extra argument extra"),
                bad("a1 LOGIN a%b c", "'%' is not allowed in the user name"),
                bad("a1 LOGIN (a) b", "expected the user name"),
                bad("a1 AUTHENTICATE", "missing the SASL mechanism"),
                bad("a1 AUTHENTICATE PLAIN AGZy ZWQA", "unexpected extra argument"),
                bad("a1 AUTHENTICATE PL]AIN", "invalid SASL mechanism"),
                bad("a1 ENABLE", "missing a capability name"),
                bad("a1 ENABLE \"CONDSTORE\"", "expected a capability name"),
                bad("a1 ID", "missing '(' to start the ID parameters"),
                bad("a1 ID ((\"a\"))", "unexpected ( in the ID parameters"),
                bad("a1 ID (NIL \"b\")", "an ID field name cannot be NIL"),
                bad("a1 ID (\"a\" \"b\"", "missing ')' to end the ID parameters"),
                bad("a1 ID NIL NIL", "unexpected extra argument"),
                bad("a1 COMPRESS", "missing the compression algorithm"),
                bad("a1 UID", "missing command after UID"),
                err("a1 UID FOO 1", CommandError.Kind.UNKNOWN_COMMAND, BAD, "a1", "unknown UID command FOO"),
                err("a1 UID NOOP", CommandError.Kind.UNKNOWN_COMMAND, BAD, "a1", "unknown UID command NOOP"),
                bad("a1 UID EXPUNGE", "missing the UID set"),
                bad("a1 UID EXPUNGE -3", "invalid sequence set"),
                bad("a1 UID EXPUNGE 1 2", "unexpected extra argument 2"),
                bad("a1 COPY 1", "missing the destination mailbox"),
                bad("a1 MOVE 1:* a b", "unexpected extra argument b"),
                bad("a1 RENAME a", "missing the new mailbox name"),
                bad("a1 GETQUOTA", "missing the quota root"),
                bad("a1 SETQUOTA \"\" (STORAGE)", "expected the limit of STORAGE (a number), found )"),
                bad("a1 SETQUOTA \"\" (STORAGE -1)", "expected the limit of STORAGE (a number), found -1"),
                bad("a1 SETQUOTA \"\" (STORAGE 99999999999999999999)", "out of range"),
                bad("a1 SETQUOTA \"\" STORAGE 5", "expected '(' to start the quota limits"));
    }
}
