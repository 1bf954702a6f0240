package org.postern.server;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * One key of the configuration file: its name, default, how its value is read, and the comment
 * {@code postern init} writes above it. The list of settings is the single source for parsing,
 * defaults and the documented file.
 */
record Setting(String key, String defaultValue, Function<String, Object> parser, String help) {

    /** Thrown by a parser with a sentence saying what a good value looks like. */
    static final class BadValue extends IllegalArgumentException {
        BadValue(String message) {
            super(message);
        }
    }

    static Setting text(String key, String def, String help) {
        return new Setting(key, def, v -> {
            if (v.isEmpty()) {
                throw new BadValue("a value is required");
            }
            return v;
        }, help);
    }

    static Setting hostname(String key, String def, String help) {
        return new Setting(key, def, v -> {
            if (!v.matches("(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*")) {
                throw new BadValue("'" + v + "' is not a host name (like mail.example.org)");
            }
            return v.toLowerCase(Locale.ROOT);
        }, help);
    }

    static Setting listen(String key, String def, String help) {
        return new Setting(key, def, v -> {
            try {
                return ListenAddress.parse(v);
            } catch (IllegalArgumentException e) {
                throw new BadValue(e.getMessage());
            }
        }, help);
    }

    static Setting size(String key, String def, String help) {
        return new Setting(key, def, Setting::parseSize, help);
    }

    static Setting count(String key, String def, String help) {
        return new Setting(key, def, v -> {
            try {
                int n = Integer.parseInt(v);
                if (n < 0) {
                    throw new BadValue("'" + v + "' must not be negative");
                }
                return n;
            } catch (NumberFormatException e) {
                throw new BadValue("'" + v + "' is not a whole number");
            }
        }, help);
    }

    static Setting bool(String key, String def, String help) {
        return new Setting(key, def, v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "yes", "true", "on" -> true;
            case "no", "false", "off" -> false;
            default -> throw new BadValue("'" + v + "' is not yes or no");
        }, help);
    }

    /** "any" or an IP address literal. */
    static Setting address(String key, String def, String help) {
        return new Setting(key, def, v -> {
            if (!v.equalsIgnoreCase("any")) {
                try {
                    java.net.InetAddress.ofLiteral(v);
                } catch (IllegalArgumentException e) {
                    throw new BadValue("'" + v + "' is not an IP address (like 192.0.2.25 or 2001:db8::25) or any");
                }
            }
            return v;
        }, help);
    }

    /** "system" or DNS servers: addresses with an optional port, separated by spaces. */
    static Setting resolvers(String key, String def, String help) {
        return new Setting(key, def, v -> {
            if (!v.equalsIgnoreCase("system")) {
                for (String one : v.split("[\\s,]+")) {
                    try {
                        org.postern.dns.DnsJavaResolver.parseServer(one);
                    } catch (java.io.IOException | RuntimeException e) {
                        throw new BadValue("'" + one + "' is not a DNS server address (like 192.0.2.53, 127.0.0.1:5353 or [::1]:53)");
                    }
                }
            }
            return v;
        }, help);
    }

    static Setting duration(String key, String def, String help) {
        return new Setting(key, def, Setting::parseDuration, help);
    }

    static Setting oneOf(String key, String def, List<String> values, String help) {
        return new Setting(key, def, v -> {
            String l = v.toLowerCase(Locale.ROOT);
            if (!values.contains(l)) {
                throw new BadValue("'" + v + "' is not one of " + String.join(", ", values));
            }
            return l;
        }, help);
    }

    /** {@code 35M}, {@code 64K}, {@code 15G}, {@code 1000} (bytes); K is 1024. */
    static long parseSize(String v) {
        String t = v.strip().toUpperCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("B")) {
            t = t.substring(0, t.length() - 1);
        }
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'K' -> unit = 1L << 10;
                case 'M' -> unit = 1L << 20;
                case 'G' -> unit = 1L << 30;
                case 'T' -> unit = 1L << 40;
                default -> unit = 1;
            }
            if (unit != 1) {
                t = t.substring(0, t.length() - 1);
            }
        }
        try {
            long n = Long.parseLong(t.strip());
            if (n < 0) {
                throw new BadValue("'" + v + "' must not be negative");
            }
            return Math.multiplyExact(n, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new BadValue("'" + v + "' is not a size (a number with K, M or G, like 35M)");
        }
    }

    /** {@code 30m}, {@code 10s}, {@code 2h}, {@code 5d}, {@code 500ms}. */
    static Duration parseDuration(String v) {
        String t = v.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new NumberFormatException();
            };
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new BadValue("'" + v + "' is not a duration (like 30s, 10m, 2h or 5d)");
        }
    }
}
