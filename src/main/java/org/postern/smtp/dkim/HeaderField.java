package org.postern.smtp.dkim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A header field as it was on the wire: its name in lower case and its raw text (ISO-8859-1, one
 * char per byte) including folding and the final CR LF.
 */
public record HeaderField(String name, String raw) {

    public static HeaderField of(byte[] raw) {
        String s = new String(raw, StandardCharsets.ISO_8859_1);
        int colon = s.indexOf(':');
        String name = colon < 0 ? s.strip() : s.substring(0, colon).strip();
        return new HeaderField(name.toLowerCase(Locale.ROOT), s);
    }

    /** The value after the colon, unfolded, as UTF-8 text. */
    public String value() {
        int colon = raw.indexOf(':');
        String v = raw.substring(colon + 1).replaceAll("\r?\n(?=[ \t])", "").strip();
        return new String(v.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    /** Splits a header block (without the empty line) into fields. */
    public static List<HeaderField> parse(byte[] header) {
        List<HeaderField> out = new ArrayList<>();
        String s = new String(header, StandardCharsets.ISO_8859_1);
        int start = 0;
        int i = 0;
        while (i < s.length()) {
            int nl = s.indexOf('\n', i);
            int end = nl < 0 ? s.length() : nl + 1;
            boolean continues = end < s.length() && (s.charAt(end) == ' ' || s.charAt(end) == '\t');
            if (!continues) {
                String field = s.substring(start, end);
                if (!field.isBlank()) {
                    out.add(of(field.getBytes(StandardCharsets.ISO_8859_1)));
                }
                start = end;
            }
            i = end;
        }
        return out;
    }
}
