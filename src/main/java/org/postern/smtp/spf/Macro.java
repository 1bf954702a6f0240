package org.postern.smtp.spf;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** SPF macros (RFC 7208 §7): {@code %{ir}.%{v}._spf.%{d2}} and friends. */
final class Macro {
    private Macro() {}

    /** What macros expand from. */
    record Context(String sender, String domain, InetAddress ip, String helo) {}

    static void checkSyntax(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new IllegalArgumentException("character " + (int) c + " in a macro-string");
            }
            if (c != '%') {
                continue;
            }
            if (i + 1 >= s.length()) {
                throw new IllegalArgumentException("'%' at the end of " + s);
            }
            char n = s.charAt(i + 1);
            if (n == '%' || n == '_' || n == '-') {
                i++;
                continue;
            }
            if (n != '{') {
                throw new IllegalArgumentException("bad macro in " + s);
            }
            int end = s.indexOf('}', i);
            if (end < 0 || !s.substring(i + 2, end).matches("(?i)[slodiphcrtv][0-9]*r?[-.+,/_=]*")) {
                throw new IllegalArgumentException("bad macro in " + s);
            }
            String digits = s.substring(i + 3, end).replaceAll("[^0-9].*", "");
            if (!digits.isEmpty() && (digits.length() > 3 || Integer.parseInt(digits) == 0)) {
                throw new IllegalArgumentException("bad macro transformer in " + s);
            }
            char letter = Character.toLowerCase(s.charAt(i + 2));
            if (letter == 'c' || letter == 'r' || letter == 't') {
                throw new IllegalArgumentException("%{" + letter + "} is only for exp= (§7.2)");
            }
            i = end;
        }
    }

    static String expand(String s, Context c) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch != '%') {
                out.append(ch);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case '%' -> out.append('%');
                case '_' -> out.append(' ');
                case '-' -> out.append("%20");
                default -> {
                    int end = s.indexOf('}', i);
                    out.append(one(s.substring(i + 1, end), c));
                    i = end;
                }
            }
        }
        return out.toString();
    }

    private static String one(String spec, Context c) {
        char letter = spec.charAt(0);
        boolean upper = Character.isUpperCase(letter);
        int j = 1;
        while (j < spec.length() && Character.isDigit(spec.charAt(j))) {
            j++;
        }
        int keep = j > 1 ? Integer.parseInt(spec.substring(1, j)) : Integer.MAX_VALUE;
        boolean reverse = j < spec.length() && Character.toLowerCase(spec.charAt(j)) == 'r';
        String delimiters = spec.substring(reverse ? j + 1 : j);
        if (delimiters.isEmpty()) {
            delimiters = ".";
        }
        String value = switch (Character.toLowerCase(letter)) {
            case 's' -> c.sender();
            case 'l' -> c.sender().substring(0, c.sender().lastIndexOf('@'));
            case 'o' -> c.sender().substring(c.sender().lastIndexOf('@') + 1);
            case 'd' -> c.domain();
            case 'i' -> ip(c.ip());
            case 'p' -> "unknown"; // §7.3: validating names costs lookups and SHOULD NOT be used; "unknown" is allowed
            case 'v' -> c.ip() instanceof Inet4Address ? "in-addr" : "ip6";
            case 'h' -> c.helo();
            default -> throw new IllegalArgumentException("macro " + letter);
        };
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (char x : value.toCharArray()) {
            if (delimiters.indexOf(x) >= 0) {
                parts.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(x);
            }
        }
        parts.add(cur.toString());
        if (reverse) {
            Collections.reverse(parts);
        }
        if (keep < parts.size()) {
            parts = parts.subList(parts.size() - keep, parts.size());
        }
        String joined = String.join(".", parts);
        return upper ? URLEncoder.encode(joined, StandardCharsets.UTF_8).replace("+", "%20") : joined;
    }

    /** §7.3: IPv4 dotted, IPv6 as 32 dot-separated nibbles. */
    static String ip(InetAddress a) {
        if (a instanceof Inet4Address) {
            return a.getHostAddress();
        }
        StringBuilder sb = new StringBuilder();
        for (byte b : a.getAddress()) {
            String hex = String.format(Locale.ROOT, "%02x", b & 0xff);
            sb.append(hex.charAt(0)).append('.').append(hex.charAt(1)).append('.');
        }
        return sb.substring(0, sb.length() - 1);
    }
}
