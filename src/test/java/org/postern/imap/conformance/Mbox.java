package org.postern.imap.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The messages of an mbox file as imaptest appends them: each message is the lines after a
 * {@code From } line up to the next one, with CRLF line ends; its INTERNALDATE comes from the
 * {@code From } line (UTC when that gives no zone). Reading wraps around at the end.
 */
final class Mbox {
    record Message(byte[] content, String internalDate) {}

    private static final Pattern FROM_LINE = Pattern.compile(
            "From \\S+\\s+\\w{3} (\\w{3}) +(\\d{1,2}) (\\d\\d:\\d\\d:\\d\\d) (\\d{4})(?: ([+-]\\d{4}))?.*");

    private final List<Message> messages;
    private int next;

    private Mbox(List<Message> messages) {
        this.messages = messages;
    }

    static Mbox read(Path file) throws IOException {
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        List<Message> out = new ArrayList<>();
        StringBuilder current = null;
        String date = null;
        for (String line : text.split("\n", -1)) {
            String l = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            Matcher m = FROM_LINE.matcher(l);
            if (m.matches()) {
                if (current != null && !current.isEmpty()) {
                    out.add(new Message(current.toString().getBytes(StandardCharsets.ISO_8859_1), date));
                }
                current = new StringBuilder();
                date = String.format("%02d-%s-%s %s %s", Integer.parseInt(m.group(2)), m.group(1), m.group(4), m.group(3),
                        m.group(5) == null ? "+0000" : m.group(5));
                continue;
            }
            if (current != null) {
                current.append(l).append("\r\n");
            }
        }
        if (current != null && !current.isEmpty()) {
            // the file's last line feed ends the last line; nothing follows it
            String last = current.toString();
            if (text.endsWith("\n")) {
                last = last.substring(0, last.length() - 2);
            }
            out.add(new Message(last.getBytes(StandardCharsets.ISO_8859_1), date));
        }
        if (out.isEmpty()) {
            throw new IOException(file + " holds no message");
        }
        return new Mbox(List.copyOf(out));
    }

    Message next() {
        Message m = messages.get(next);
        next = (next + 1) % messages.size();
        return m;
    }

    /** Whether the next message starts the file again (all were read once). */
    boolean atStart() {
        return next == 0;
    }

    int size() {
        return messages.size();
    }
}
