package org.postern.mime;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A parsed section specification of BODY[...] (RFC 3501 §6.4.5, RFC 9051 §6.4.5): a part path
 * such as 1.2.3 (empty for the whole message) and what of it to return.
 *
 * @param path part numbers, each at least 1; empty means the message itself
 * @param fields header field names for HEADER.FIELDS and HEADER.FIELDS.NOT, else empty
 */
public record SectionSpec(List<Integer> path, Kind kind, List<String> fields) {

    /** What a section specifier asks for. */
    public enum Kind {
        /** The whole message, or the body of the part. */
        ALL,
        HEADER,
        HEADER_FIELDS,
        HEADER_FIELDS_NOT,
        TEXT,
        /** The MIME header of a part; needs a path. */
        MIME
    }

    public SectionSpec {
        path = List.copyOf(path);
        Objects.requireNonNull(kind, "kind");
        fields = List.copyOf(fields);
        for (int n : path) {
            if (n < 1) {
                throw new IllegalArgumentException("part numbers start at 1");
            }
        }
        if (kind == Kind.MIME && path.isEmpty()) {
            throw new IllegalArgumentException("MIME needs a part number");
        }
        boolean needsFields = kind == Kind.HEADER_FIELDS || kind == Kind.HEADER_FIELDS_NOT;
        if (needsFields == fields.isEmpty()) {
            throw new IllegalArgumentException(needsFields ? "HEADER.FIELDS needs field names" : "unexpected field names");
        }
    }

    public static SectionSpec of(Kind kind, int... path) {
        List<Integer> p = new ArrayList<>();
        for (int n : path) {
            p.add(n);
        }
        return new SectionSpec(p, kind, List.of());
    }

    public static SectionSpec fields(boolean not, List<String> names, int... path) {
        List<Integer> p = new ArrayList<>();
        for (int n : path) {
            p.add(n);
        }
        return new SectionSpec(p, not ? Kind.HEADER_FIELDS_NOT : Kind.HEADER_FIELDS, names);
    }

    /**
     * Parses the text between the brackets, e.g. "", "1.2", "HEADER", "2.MIME",
     * "1.HEADER.FIELDS (From Subject)". Field names may be quoted strings.
     *
     * @throws IllegalArgumentException on a syntax error
     */
    public static SectionSpec parse(String spec) {
        String s = spec.strip();
        List<Integer> path = new ArrayList<>();
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            int j = i;
            while (j < s.length() && Character.isDigit(s.charAt(j))) {
                j++;
            }
            path.add(Integer.parseInt(s.substring(i, j)));
            if (j < s.length() && s.charAt(j) != '.') {
                throw new IllegalArgumentException("bad section: " + spec);
            }
            i = j < s.length() ? j + 1 : j;
            if (j < s.length() && i == s.length()) {
                throw new IllegalArgumentException("bad section: " + spec);
            }
        }
        String rest = s.substring(i);
        String upper = rest.toUpperCase(Locale.ROOT);
        if (upper.isEmpty()) {
            return new SectionSpec(path, Kind.ALL, List.of());
        }
        switch (upper) {
            case "HEADER" -> {
                return new SectionSpec(path, Kind.HEADER, List.of());
            }
            case "TEXT" -> {
                return new SectionSpec(path, Kind.TEXT, List.of());
            }
            case "MIME" -> {
                return new SectionSpec(path, Kind.MIME, List.of());
            }
            default -> {
            }
        }
        Kind kind;
        String list;
        if (upper.startsWith("HEADER.FIELDS.NOT")) {
            kind = Kind.HEADER_FIELDS_NOT;
            list = rest.substring("HEADER.FIELDS.NOT".length()).strip();
        } else if (upper.startsWith("HEADER.FIELDS")) {
            kind = Kind.HEADER_FIELDS;
            list = rest.substring("HEADER.FIELDS".length()).strip();
        } else {
            throw new IllegalArgumentException("bad section: " + spec);
        }
        if (!list.startsWith("(") || !list.endsWith(")")) {
            throw new IllegalArgumentException("bad header list: " + spec);
        }
        return new SectionSpec(path, kind, names(list.substring(1, list.length() - 1)));
    }

    private static List<String> names(String list) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < list.length()) {
            char c = list.charAt(i);
            if (c == ' ') {
                i++;
            } else if (c == '"') {
                StringBuilder name = new StringBuilder();
                i++;
                while (i < list.length() && list.charAt(i) != '"') {
                    if (list.charAt(i) == '\\' && i + 1 < list.length()) {
                        i++;
                    }
                    name.append(list.charAt(i++));
                }
                i++;
                out.add(name.toString());
            } else {
                int j = i;
                while (j < list.length() && list.charAt(j) != ' ') {
                    j++;
                }
                out.add(list.substring(i, j));
                i = j;
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("empty header list");
        }
        return out;
    }
}
