package org.postern.smtp.dkim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A tag-list (RFC 6376 §3.2): {@code tag=value; tag=value}, white space around both ignored, tags unique. */
record Tags(Map<String, String> map) {

    static Tags parse(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String spec : text.split(";")) {
            String s = spec.strip();
            if (s.isEmpty()) {
                continue; // a trailing ';' is allowed
            }
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("tag without '=': " + abbreviate(s));
            }
            String name = s.substring(0, eq).strip();
            if (!name.matches("[A-Za-z][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("bad tag name: " + abbreviate(name));
            }
            if (m.put(name, s.substring(eq + 1).strip()) != null) {
                throw new IllegalArgumentException("tag " + name + " given twice"); // §3.2
            }
        }
        return new Tags(m);
    }

    Optional<String> get(String tag) {
        return Optional.ofNullable(map.get(tag));
    }

    String require(String tag) {
        String v = map.get(tag);
        if (v == null) {
            throw new IllegalArgumentException("required tag " + tag + "= missing");
        }
        return v;
    }

    /** A base64 value with folding white space removed. */
    static String base64(String v) {
        return v.replaceAll("[ \t\r\n]", "");
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
