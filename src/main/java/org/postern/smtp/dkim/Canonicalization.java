package org.postern.smtp.dkim;

import java.util.Locale;

/** RFC 6376 §3.4: how header fields and the body are made canonical before hashing. */
public enum Canonicalization {
    SIMPLE,
    RELAXED;

    static Canonicalization of(String word) {
        return switch (word.strip().toLowerCase(Locale.ROOT)) {
            case "simple" -> SIMPLE;
            case "relaxed" -> RELAXED;
            default -> throw new IllegalArgumentException("unknown canonicalization " + word);
        };
    }

    String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** §3.4.1 simple: the field as it is; §3.4.2 relaxed: lower-case name, unfolded, spaces compressed. */
    String header(HeaderField f) {
        String raw = f.raw();
        if (!raw.endsWith("\n")) {
            raw = raw + "\r\n";
        } else if (!raw.endsWith("\r\n")) {
            raw = raw.substring(0, raw.length() - 1) + "\r\n";
        }
        if (this == SIMPLE) {
            return raw;
        }
        int colon = raw.indexOf(':');
        String name = raw.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        String value = raw.substring(colon + 1, raw.length() - 2)
                .replaceAll("\r?\n", "")
                .replaceAll("[ \t]+", " ")
                .strip();
        return name + ":" + value + "\r\n";
    }
}
