package org.postern.smtp.outbound;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.postern.store.MtaStsCache;

/**
 * An MTA-STS policy (RFC 8461 §3.2): its mode, the MX patterns and how long it may be cached.
 *
 * @param mode   enforce, testing or none
 * @param mx     MX patterns, lower case: "mail.example.com" or "*.example.net"
 * @param maxAge seconds the policy may be cached (at most 31557600, §3.2)
 */
record MtaStsPolicy(Mode mode, List<String> mx, long maxAge) {
    enum Mode {
        ENFORCE, TESTING, NONE;

        /** As written in a policy file: enforce, testing, none. */
        String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Mode fromWord(String word) {
            return switch (word) {
                case "enforce" -> ENFORCE;
                case "testing" -> TESTING;
                case "none" -> NONE;
                default -> null;
            };
        }
    }

    MtaStsPolicy {
        mx = List.copyOf(mx);
    }

    /** Parses the policy file; empty when it is not a valid STSv1 policy. */
    static Optional<MtaStsPolicy> parse(String text) {
        String version = null;
        Mode mode = null;
        Long maxAge = null;
        List<String> mx = new ArrayList<>();
        for (String raw : text.split("\r?\n")) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                return Optional.empty();
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            switch (key) {
                case "version" -> version = value;
                case "mode" -> mode = Mode.fromWord(value);
                case "max_age" -> {
                    if (value.matches("[0-9]{1,10}")) {
                        maxAge = Math.min(Long.parseLong(value), MtaStsCache.MAX_AGE_LIMIT);
                    }
                }
                case "mx" -> {
                    if (value.isEmpty()) {
                        return Optional.empty(); // §3.2: an mx field names a host or a *. pattern
                    }
                    mx.add(value.toLowerCase(Locale.ROOT));
                }
                default -> {
                    // §3.2: unknown fields are ignored
                }
            }
        }
        if (!"STSv1".equals(version) || mode == null || maxAge == null || (mode != Mode.NONE && mx.isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(new MtaStsPolicy(mode, mx, maxAge));
    }

    /** §4.1: an MX host matches a pattern exactly, or "*.example.com" matches one more label on the left. */
    boolean matches(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        for (String p : mx) {
            if (p.startsWith("*.")) {
                String suffix = p.substring(1);
                int dot = h.indexOf('.');
                if (dot > 0 && h.substring(dot).equals(suffix)) {
                    return true;
                }
            } else if (p.equals(h)) {
                return true;
            }
        }
        return false;
    }
}
