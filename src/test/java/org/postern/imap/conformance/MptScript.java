package org.postern.imap.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An Apache James MPT script ({@code conformance/james-mpt/FORMAT.md}): client lines, expected
 * server lines (Java regular expressions over a whole line), unordered {@code SUB} blocks,
 * {@code SESSION:} switches and the few timing directives. Each element keeps its file and line,
 * so a difference can be named by where it is.
 */
record MptScript(String name, List<Element> elements) {

    /** Where an element comes from: the script itself or a fixture played before or after it. */
    record Origin(String file, int line) {
        @Override
        public String toString() {
            return file + ":" + line;
        }
    }

    sealed interface Element {
        Origin origin();
    }

    /** {@code C: text}: sent verbatim, then CRLF. */
    record Client(String text, Origin origin) implements Element {}

    /** {@code S: regex}: one line the server must send. */
    record Server(String regex, Origin origin) implements Element {}

    /** {@code SUB { ... }}: lines the server sends in any order. */
    record Unordered(List<Server> lines, Origin origin) implements Element {}

    /** {@code SESSION: n}: later elements go to connection n. */
    record Session(int number, Origin origin) implements Element {}

    /** {@code REINIT}: a fresh connection replaces the current one (its greeting is swallowed). */
    record Reinit(Origin origin) implements Element {}

    /** {@code WAIT ms}, and {@code AWAIT} (James's asynchronous work finishing; Postern has none). */
    record Wait(long millis, Origin origin) implements Element {}

    static MptScript parse(Path file) throws IOException {
        return parse(file.getFileName().toString(), Files.readAllLines(file, StandardCharsets.ISO_8859_1));
    }

    static MptScript parse(String name, List<String> lines) {
        List<Element> out = new ArrayList<>();
        List<Server> block = null;
        Origin blockOrigin = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Origin at = new Origin(name, i + 1);
            if (block != null) {
                if (line.startsWith("}")) {
                    out.add(new Unordered(List.copyOf(block), blockOrigin));
                    block = null;
                } else if (line.startsWith("S:")) {
                    block.add(new Server(rest(line), at));
                } else if (!line.isBlank() && !line.startsWith("#")) {
                    throw new IllegalArgumentException(at + ": only S: lines may stand in a SUB block: " + line);
                }
                continue;
            }
            if (line.startsWith("C:")) {
                out.add(new Client(rest(line), at));
            } else if (line.startsWith("S:")) {
                out.add(new Server(rest(line), at));
            } else if (line.startsWith("SUB {")) {
                block = new ArrayList<>();
                blockOrigin = at;
            } else if (line.startsWith("SESSION:")) {
                out.add(new Session(Integer.parseInt(line.substring("SESSION:".length()).strip()), at));
            } else if (line.strip().equals("REINIT")) {
                out.add(new Reinit(at));
            } else if (line.startsWith("WAIT")) {
                out.add(new Wait(Long.parseLong(line.substring(4).strip()), at));
            } else if (line.strip().equals("AWAIT")) {
                out.add(new Wait(0, at));
            } else if (line.startsWith("LOG ") || line.startsWith("TIMER ") || line.startsWith("#") || line.isBlank()) {
                continue;
            } else {
                throw new IllegalArgumentException(at + ": not an MPT line: " + line);
            }
        }
        if (block != null) {
            throw new IllegalArgumentException(name + ": SUB block at " + blockOrigin + " is not closed");
        }
        return new MptScript(name, List.copyOf(out));
    }

    /** The text after {@code C: } or {@code S: } (after {@code C:} alone: nothing). */
    private static String rest(String line) {
        return line.length() <= 3 ? "" : line.substring(3);
    }

    /** The highest SESSION number used (0 when there is none). */
    int maxSession() {
        return elements.stream().filter(e -> e instanceof Session).mapToInt(e -> ((Session) e).number()).max().orElse(0);
    }
}
