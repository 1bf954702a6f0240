package org.postern.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.apache.james.mime4j.util.CharsetUtil;

/** RFC 2231 parameter value continuations and charset/language encoding. */
final class Rfc2231 {

    /** Highest section number accepted in name*N (RFC 2231 §3 sets no limit; inputs do). */
    private static final int MAX_SECTION = 999;

    private Rfc2231() {
    }

    private record Section(String value, boolean extended) {
    }

    private static final class Joined {
        final String baseName;
        final TreeMap<Integer, Section> sections = new TreeMap<>();

        Joined(String baseName) {
            this.baseName = baseName;
        }
    }

    /**
     * Joins continuations ({@code name*0}, {@code name*1*}, ...) into one parameter per name, in the
     * position of its first section (RFC 2231 §3-4). When any section is extended the result is
     * {@code name*} in the {@code charset'language'%XX} form; otherwise it is a plain {@code name}.
     * Duplicate parameters keep their first value.
     */
    static List<Param> join(List<Param> raw) {
        List<Object> order = new ArrayList<>();
        Map<String, Joined> groups = new LinkedHashMap<>();
        List<String> seen = new ArrayList<>();
        for (Param p : raw) {
            String name = p.name();
            int star = name.indexOf('*');
            int section = star < 0 ? -1 : sectionNumber(name.substring(star));
            if (star > 0 && section >= 0) {
                String key = name.substring(0, star).toLowerCase(Locale.ROOT);
                Joined joined = groups.get(key);
                if (joined == null) {
                    joined = new Joined(name.substring(0, star));
                    groups.put(key, joined);
                    order.add(joined);
                }
                joined.sections.putIfAbsent(section, new Section(p.value(), name.endsWith("*")));
                continue;
            }
            String key = name.toLowerCase(Locale.ROOT);
            if (!seen.contains(key)) {
                seen.add(key);
                order.add(p);
            }
        }
        List<Param> out = new ArrayList<>();
        for (Object o : order) {
            if (o instanceof Param p) {
                out.add(p);
            } else {
                out.add(toParam((Joined) o));
            }
        }
        return out;
    }

    /** The N of "*N" or "*N*", or -1. */
    private static int sectionNumber(String suffix) {
        int end = suffix.endsWith("*") && suffix.length() > 1 ? suffix.length() - 1 : suffix.length();
        if (end < 2 || end > 4) {
            return -1;
        }
        for (int i = 1; i < end; i++) {
            if (suffix.charAt(i) < '0' || suffix.charAt(i) > '9') {
                return -1;
            }
        }
        int n = Integer.parseInt(suffix.substring(1, end));
        return n <= MAX_SECTION ? n : -1;
    }

    private static Param toParam(Joined joined) {
        boolean extended = joined.sections.values().stream().anyMatch(Section::extended);
        StringBuilder value = new StringBuilder();
        boolean first = true;
        for (Section s : joined.sections.values()) {
            if (!extended) {
                value.append(s.value());
            } else if (s.extended()) {
                value.append(first ? s.value() : withoutCharset(s.value()));
            } else {
                if (first) {
                    value.append("''");
                }
                percentEncode(s.value(), value);
            }
            first = false;
        }
        return new Param(extended ? joined.baseName + "*" : joined.baseName, value.toString());
    }

    /**
     * Only the first section carries "charset'language'" (RFC 2231 §4.1); some mailers repeat it
     * in later ones, where a quote cannot otherwise appear, so such a prefix is dropped.
     */
    private static String withoutCharset(String value) {
        int q1 = value.indexOf('\'');
        if (q1 <= 0 || !allOf(value, 0, q1, "-_.:")) {
            return value;
        }
        int q2 = value.indexOf('\'', q1 + 1);
        if (q2 > q1 && allOf(value, q1 + 1, q2, "-")) {
            return value.substring(q2 + 1); // charset'language'
        }
        return value.substring(q1 + 1);
    }

    /** Whether s[from, to) holds only letters, digits and the given extra characters. */
    private static boolean allOf(String s, int from, int to, String extra) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(c < 0x80 && Character.isLetterOrDigit(c)) && extra.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static void percentEncode(String s, StringBuilder out) {
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c > ' ' && c < 0x7f && "*'%()<>@,;:\\\"/[]?=".indexOf(c) < 0) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
    }

    /**
     * The decoded value of parameter {@code name} in joined {@code params}: {@code name*} decoded
     * per RFC 2231 §4 if present, else {@code name} with RFC 2047 encoded words decoded. Null when
     * absent.
     */
    static String decodedValue(List<Param> params, String name) {
        String extended = Param.find(params, name + "*");
        if (extended != null) {
            return decodeExtended(extended);
        }
        return EncodedWords.decode(Param.find(params, name));
    }

    /** Decodes "charset'language'percent-encoded" (RFC 2231 §4). */
    static String decodeExtended(String value) {
        int q1 = value.indexOf('\'');
        int q2 = q1 < 0 ? -1 : value.indexOf('\'', q1 + 1);
        String charsetName = null;
        String data = value;
        if (q2 > 0) {
            charsetName = value.substring(0, q1);
            data = value.substring(q2 + 1);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < data.length(); i++) {
            char c = data.charAt(i);
            int hi = i + 2 < data.length() ? Character.digit(data.charAt(i + 1), 16) : -1;
            int lo = i + 2 < data.length() ? Character.digit(data.charAt(i + 2), 16) : -1;
            if (c == '%' && hi >= 0 && lo >= 0) {
                bytes.write(hi << 4 | lo);
                i += 2;
            } else {
                byte[] raw = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(raw, 0, raw.length);
            }
        }
        return decodeBytes(bytes.toByteArray(), charsetName);
    }

    /** Decodes bytes in a named charset; unknown charsets fall back to UTF-8, then ISO-8859-1. */
    static String decodeBytes(byte[] bytes, String charsetName) {
        Charset charset = null;
        if (charsetName != null && !charsetName.isEmpty()) {
            try {
                charset = CharsetUtil.lookup(charsetName.trim());
            } catch (RuntimeException e) {
                charset = null;
            }
        }
        if (charset != null) {
            return new String(bytes, charset);
        }
        String utf8 = HeaderField.utf8OrNull(bytes, 0, bytes.length);
        return utf8 != null ? utf8 : new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
