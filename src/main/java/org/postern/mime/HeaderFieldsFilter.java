package org.postern.mime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * HEADER.FIELDS and HEADER.FIELDS.NOT (RFC 3501 §6.4.5): the fields of a header section whose
 * names are (or are not) listed, each with its continuation lines, in header order and byte for
 * byte, followed by the blank line. Lines that are not fields (no colon) are left out.
 */
final class HeaderFieldsFilter {

    /** Longest field name looked at; a longer "name" is not a field. */
    private static final int MAX_NAME = 998;

    private HeaderFieldsFilter() {
    }

    static byte[] filter(InputStream header, List<String> names, boolean not) throws IOException {
        Set<String> wanted = new HashSet<>();
        for (String n : names) {
            wanted.add(n.toLowerCase(Locale.ROOT));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean keep = false;
        boolean lastLineEnded = true;
        while (readLine(header, line)) {
            byte[] l = line.toByteArray();
            boolean blank = l.length <= 2 && (l.length == 0 || l[0] == '\n' || (l[0] == '\r' && l.length == 2 && l[1] == '\n'));
            if (blank && l.length > 0) {
                break;
            }
            if (l.length > 0 && (l[0] == ' ' || l[0] == '\t')) {
                if (keep) {
                    out.write(l);
                    lastLineEnded = l[l.length - 1] == '\n';
                }
                continue;
            }
            String name = fieldName(l);
            keep = name != null && wanted.contains(name) != not;
            if (keep) {
                out.write(l);
                lastLineEnded = l[l.length - 1] == '\n';
            }
        }
        if (!lastLineEnded) {
            out.write('\r');
            out.write('\n');
        }
        out.write('\r');
        out.write('\n');
        return out.toByteArray();
    }

    private static String fieldName(byte[] l) {
        int limit = Math.min(l.length, MAX_NAME + 1);
        for (int i = 0; i < limit; i++) {
            if (l[i] == ':') {
                int end = i;
                while (end > 0 && (l[end - 1] == ' ' || l[end - 1] == '\t')) {
                    end--;
                }
                return end == 0 ? null : new String(l, 0, end, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            }
            if (l[i] == '\n') {
                return null;
            }
        }
        return null;
    }

    /** Reads one line, LF included, into {@code line}; false at end of input. */
    private static boolean readLine(InputStream in, ByteArrayOutputStream line) throws IOException {
        line.reset();
        int b;
        while ((b = in.read()) >= 0) {
            line.write(b);
            if (b == '\n') {
                return true;
            }
        }
        return line.size() > 0;
    }
}
