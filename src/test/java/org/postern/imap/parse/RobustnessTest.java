package org.postern.imap.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.Arguments;

/**
 * 20,000 random and mutated command streams from a fixed seed (set {@code -Dimap.fuzz.seed=} to
 * explore others): whatever the bytes, the reader and parser give typed results and never throw,
 * never report a parser bug, keep to their memory limits, leave no spool file behind, and always
 * make progress.
 */
class RobustnessTest {
    static final long SEED = Long.getLong("imap.fuzz.seed", 0x1A9_2026L);
    static final int ROUNDS = 20_000;
    static final ReaderLimits LIMITS = new ReaderLimits(4096, 8192, 16384, Long.MAX_VALUE, 20_000, 1024);
    static final byte[] SPECIALS = " ()\"\\{}~+*%[]<>.:,$-0123456789\r\n\0\t\u007f".getBytes(StandardCharsets.ISO_8859_1);
    static final String[] WORDS = {"FETCH", "UID", "SEARCH", "STORE", "APPEND", "LIST", "SELECT", "BODY[", "BODY.PEEK[",
        "HEADER.FIELDS", "]", "<0.10>", "NOT", "OR", "(", ")", "{5}", "{3+}", "~{2+}", "{0}", "{99999999999}",
        "RETURN", "CHARSET", "UTF-8", "FLAGS", "+FLAGS.SILENT", "\\Seen", "1:*", "$", "*", "NIL", "\"quoted\"",
        "\"\u00c3\u00a9\"", "INBOX", "&AOQ-", "&", "QRESYNC", "CONDSTORE", "(CHANGEDSINCE 5 VANISHED)", "PARTIAL",
        "1:-5", "MODSEQ", "\"/flags/\\\\seen\"", "USE", "(\\Sent)", "SUBSCRIBED", "RECURSIVEMATCH", "STATUS",
        "MESSAGES", "UTF8", "17-Jul-1996", "\"17-Jul-1996 02:44:25 -0700\"", "LOGIN", "AUTHENTICATE", "ID"};

    @TempDir
    Path spool;

    static List<String> corpus() {
        List<String> out = new ArrayList<>();
        Stream.concat(CommandTableTest.rows(), MalformedInputTest.rows()).map(Arguments::get).forEach(a -> {
            Object row = a[0];
            if (row instanceof CommandTableTest.Row r) {
                out.add(Wire.crlf(r.wire()));
            } else if (row instanceof MalformedInputTest.Row r && r.wire().length() < 2000) {
                out.add(Wire.crlf(r.wire()));
            }
        });
        return out;
    }

    @Test
    void randomAndMutatedCommandsGiveTypedResults() throws IOException {
        Random random = new Random(SEED);
        List<String> corpus = corpus();
        assertThat(corpus).hasSizeGreaterThan(300);
        int received = 0;
        int parsed = 0;
        for (int round = 0; round < ROUNDS; round++) {
            byte[] input = input(random, corpus);
            boolean slow = random.nextInt(10) == 0;
            try {
                int[] counts = check(input, slow);
                received += counts[0];
                parsed += counts[1];
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("round " + round + " (seed " + SEED + "), input "
                        + new String(input, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n"), e);
            }
        }
        // the mutations must leave enough valid commands for the parser to be exercised too
        assertThat(received).isGreaterThan(ROUNDS / 2);
        assertThat(parsed).isGreaterThan(ROUNDS / 10);
    }

    private int[] check(byte[] input, boolean slow) throws IOException {
        CommandReader reader = Wire.reader(input, slow, LIMITS, spool);
        int received = 0;
        int parsed = 0;
        for (int n = 0; ; n++) {
            assertThat(n).as("progress").isLessThan(input.length + 2);
            Wire.Continuations k = new Wire.Continuations();
            try (ReadResult r = reader.read(k)) {
                switch (r) {
                    case ReadResult.EndOfInput e -> {
                        try (Stream<Path> files = Files.list(spool)) {
                            assertThat(files).as("spool files left").isEmpty();
                        }
                        return new int[] {received, parsed};
                    }
                    case ReadResult.Rejected j -> {
                        checkError(j.error());
                        assertThat(j.error().kind()).isNotEqualTo(CommandError.Kind.SERVER_FAULT);
                        if (j.error().closeConnection()) {
                            return new int[] {received, parsed};
                        }
                    }
                    case ReadResult.Received c -> {
                        received++;
                        WireCommand w = c.command();
                        long inMemory = w.literals().stream().filter(Literal::isInMemory).mapToLong(Literal::size).sum();
                        assertThat(inMemory).isLessThanOrEqualTo(LIMITS.memoryBytes());
                        assertThat(w.literalBytes()).isLessThanOrEqualTo(LIMITS.maxAppendBytes());
                        if (!w.name().equals("APPEND")) {
                            assertThat(w.literalBytes()).isLessThanOrEqualTo(LIMITS.maxCommandBytes());
                        }
                        assertThat(w.tokens().size()).isLessThan(Wire.MAX_LINE + (int) LIMITS.maxCommandBytes());
                        assertThat(k.count).isLessThanOrEqualTo((int) w.literals().stream().count());
                        ParseResult p = Wire.PARSER.parse(w, random(w) ? ParseOptions.UTF8 : ParseOptions.DEFAULT);
                        switch (p) {
                            case ParseResult.Parsed ok -> {
                                parsed++;
                                assertThat(ok.tag()).isEqualTo(w.tag());
                                assertThat(ok.command().name()).isNotEmpty();
                            }
                            case ParseResult.Failed f -> {
                                checkError(f.error());
                                assertThat(f.error().tag()).isEqualTo(w.tag());
                            }
                        }
                    }
                }
            }
        }
    }

    private static boolean random(WireCommand w) {
        return (w.tag().hashCode() & 1) == 0;
    }

    private static void checkError(CommandError e) {
        assertThat(e.kind()).as(e.toString()).isNotEqualTo(CommandError.Kind.INTERNAL);
        assertThat(e.responseLine()).matches("(?s)[\\x20-\\x7e]+\r\n");
        assertThat(e.responseLine().length()).isLessThan(600);
    }

    /** One to three commands: mutated corpus entries, random words, or random bytes. */
    static byte[] input(Random random, List<String> corpus) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            byte[] b = switch (random.nextInt(10)) {
                case 0 -> words(random);
                case 1 -> bytes(random);
                case 2 -> nested(random);
                case 3 -> corpus.get(random.nextInt(corpus.size())).getBytes(StandardCharsets.UTF_8);
                default -> mutate(random, corpus.get(random.nextInt(corpus.size())).getBytes(StandardCharsets.UTF_8));
            };
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    private static byte[] words(Random random) {
        StringBuilder b = new StringBuilder("w" + random.nextInt(100) + " ");
        int n = random.nextInt(12);
        for (int i = 0; i < n; i++) {
            b.append(WORDS[random.nextInt(WORDS.length)]);
            b.append(random.nextInt(5) == 0 ? "" : " ");
        }
        String s = b.toString().trim();
        if (s.endsWith("}")) {
            s = s + "\r\n" + "x".repeat(random.nextInt(8));
        }
        return (s + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(Random random) {
        byte[] b = new byte[random.nextInt(80)];
        for (int i = 0; i < b.length; i++) {
            b[i] = random.nextBoolean() ? SPECIALS[random.nextInt(SPECIALS.length)] : (byte) random.nextInt(256);
        }
        return b;
    }

    private static byte[] nested(Random random) {
        StringBuilder b = new StringBuilder("d1 SEARCH ");
        int depth = random.nextInt(200);
        for (int i = 0; i < depth; i++) {
            b.append(switch (random.nextInt(3)) {
                case 0 -> "(";
                case 1 -> "NOT ";
                default -> "OR ALL ";
            });
        }
        b.append("SEEN").append(")".repeat(random.nextInt(depth + 1)));
        return (b + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] mutate(Random random, byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = in.clone();
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits && b.length > 0; e++) {
            int pos = random.nextInt(b.length);
            switch (random.nextInt(6)) {
                case 0 -> b[pos] = SPECIALS[random.nextInt(SPECIALS.length)];
                case 1 -> b[pos] = (byte) random.nextInt(256);
                case 2 -> { // delete a run
                    int len = Math.min(b.length - pos, 1 + random.nextInt(6));
                    byte[] c = new byte[b.length - len];
                    System.arraycopy(b, 0, c, 0, pos);
                    System.arraycopy(b, pos + len, c, pos, b.length - pos - len);
                    b = c;
                }
                case 3 -> { // insert a literal announcement or a word
                    String ins = random.nextBoolean() ? "{" + random.nextInt(12) + (random.nextBoolean() ? "+" : "") + "}\r\n"
                            : " " + WORDS[random.nextInt(WORDS.length)];
                    byte[] i = ins.getBytes(StandardCharsets.ISO_8859_1);
                    byte[] c = new byte[b.length + i.length];
                    System.arraycopy(b, 0, c, 0, pos);
                    System.arraycopy(i, 0, c, pos, i.length);
                    System.arraycopy(b, pos, c, pos + i.length, b.length - pos);
                    b = c;
                }
                case 4 -> { // truncate
                    byte[] c = new byte[pos];
                    System.arraycopy(b, 0, c, 0, pos);
                    b = c;
                }
                default -> { // duplicate a run
                    int len = Math.min(b.length - pos, 1 + random.nextInt(20));
                    byte[] c = new byte[b.length + len];
                    System.arraycopy(b, 0, c, 0, pos + len);
                    System.arraycopy(b, pos, c, pos + len, b.length - pos);
                    b = c;
                }
            }
        }
        out.writeBytes(b);
        return out.toByteArray();
    }
}
