package org.postern.mime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Finds the shared conformance material and the sample messages in it. */
final class Conformance {

    /** Relative to the repository root, where tests run. */
    static final Path ROOT = Path.of("conformance");

    private Conformance() {
    }

    /** The folder; the vendored material must be there. */
    static Path root() {
        assertTrue(Files.isDirectory(ROOT), "conformance material not found at " + ROOT.toAbsolutePath());
        return ROOT;
    }

    /** A named sample message. */
    record Sample(String name, byte[] raw) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Every sample message of the conformance folders, as stored (not normalised). */
    static List<Sample> allMessages() {
        Path root = root();
        List<Sample> out = new ArrayList<>();
        for (Path p : files(root.resolve("mime4j/testmsgs"), ".msg")) {
            out.add(sample(root, p));
        }
        for (Path p : files(root.resolve("mime4j/mimetools-testmsgs"), ".msg")) {
            out.add(sample(root, p));
        }
        for (Path p : files(root.resolve("mime4j/mbox-test-1"), "")) {
            if (p.getFileName().toString().matches("mbox\\.rlug-\\d+")) {
                out.add(sample(root, p));
            }
        }
        for (Path p : files(root.resolve("stalwart-mail-parser/eml"), ".eml")) {
            out.add(sample(root, p));
        }
        for (Path p : files(root.resolve("james-mpt/imap/samples"), ".mail")) {
            out.add(sample(root, p));
        }
        for (Path p : files(root.resolve("dovecot-imaptest/tests"), ".mbox")) {
            List<byte[]> messages = splitMbox(read(p));
            for (int i = 0; i < messages.size(); i++) {
                out.add(new Sample(root.relativize(p) + "#" + (i + 1), messages.get(i)));
            }
        }
        for (Path p : files(root.resolve("mime4j/mbox-test-1"), "")) {
            if (p.getFileName().toString().equals("mbox.rlug")) {
                List<byte[]> messages = splitMbox(read(p));
                for (int i = 0; i < messages.size(); i++) {
                    out.add(new Sample(root.relativize(p) + "#" + (i + 1), messages.get(i)));
                }
            }
        }
        return out;
    }

    static Sample sample(Path root, Path p) {
        return new Sample(root.relativize(p).toString(), read(p));
    }

    static List<Path> files(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(suffix))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every bare LF becomes CRLF; existing CRLFs stay. */
    static byte[] crlf(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + raw.length / 20);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r')) {
                out.write('\r');
            }
            out.write(raw[i]);
        }
        return out.toByteArray();
    }

    /**
     * Splits an mbox file at "From " lines. The line break before a separator belongs to it,
     * and "&gt;From " quoting is left alone.
     */
    static List<byte[]> splitMbox(byte[] mbox) {
        return splitMbox(mbox, false);
    }

    /**
     * As {@link #splitMbox(byte[])}; with {@code keepBreak} the line break before the next
     * separator stays in the message, as Dovecot's imaptest appends them.
     */
    static List<byte[]> splitMbox(byte[] mbox, boolean keepBreak) {
        List<Integer> starts = new ArrayList<>();
        for (int i = 0; i + 5 <= mbox.length; i++) {
            if ((i == 0 || mbox[i - 1] == '\n') && mbox[i] == 'F' && mbox[i + 1] == 'r' && mbox[i + 2] == 'o'
                    && mbox[i + 3] == 'm' && mbox[i + 4] == ' ') {
                starts.add(i);
            }
        }
        List<byte[]> out = new ArrayList<>();
        for (int k = 0; k < starts.size(); k++) {
            int from = starts.get(k);
            while (from < mbox.length && mbox[from] != '\n') {
                from++;
            }
            from++;
            int to = k + 1 < starts.size() ? starts.get(k + 1) : mbox.length;
            if (k + 1 < starts.size() && !keepBreak) {
                to--; // the separator's own line break
                if (to > from && mbox[to - 1] == '\r') {
                    to--;
                }
            }
            out.add(java.util.Arrays.copyOfRange(mbox, Math.min(from, to), to));
        }
        return out;
    }
}
