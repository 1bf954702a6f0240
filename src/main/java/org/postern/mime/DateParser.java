package org.postern.mime;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Parses an RFC 5322 §3.3 date-time, including the obsolete forms of §4.3 (two-digit years,
 * named zones, comments, folding, a missing day of week or seconds). Never throws.
 */
final class DateParser {

    private static final String[] MONTHS =
            {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};

    private DateParser() {
    }

    /** Epoch milliseconds, or empty when the value is not a date. */
    static OptionalLong parse(String value) {
        if (value == null || value.isBlank()) {
            return OptionalLong.empty();
        }
        try {
            return parseRfc5322(value);
        } catch (RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    private static OptionalLong parseRfc5322(String value) {
        List<String> t = tokens(value);
        int i = 0;
        if (i < t.size() && isAlpha(t.get(i)) && monthIndex(t.get(i)) < 0) {
            i++; // day of week
        }
        if (i + 3 >= t.size()) {
            return OptionalLong.empty();
        }
        int day = number(t.get(i), 1, 2);
        int month = monthIndex(t.get(i + 1));
        int year = number(t.get(i + 2), 2, 4);
        String[] hms = t.get(i + 3).split(":");
        if (day < 0 || month < 0 || year < 0 || hms.length < 2 || hms.length > 3) {
            return OptionalLong.empty();
        }
        if (t.get(i + 2).length() == 2) {
            year += year < 50 ? 2000 : 1900; // RFC 5322 §4.3
        } else if (t.get(i + 2).length() == 3) {
            year += 1900;
        }
        int hour = number(hms[0], 1, 2);
        int minute = number(hms[1], 1, 2);
        int second = hms.length == 3 ? number(hms[2], 1, 2) : 0;
        if (hour < 0 || minute < 0 || second < 0) {
            return OptionalLong.empty();
        }
        int offsetMinutes = i + 4 < t.size() ? zone(t.get(i + 4)) : 0;
        try {
            LocalDateTime local = LocalDateTime.of(year, month + 1, day, hour, minute, Math.min(second, 59));
            return OptionalLong.of(local.toInstant(ZoneOffset.UTC).toEpochMilli() - offsetMinutes * 60_000L);
        } catch (DateTimeException e) {
            return OptionalLong.empty();
        }
    }

    /** Minutes east of UTC; unknown zones count as UTC (RFC 5322 §4.3). */
    private static int zone(String z) {
        char c = z.charAt(0);
        if ((c == '+' || c == '-') && z.length() >= 5) {
            String digits = z.substring(1).replace(":", "");
            int hh = number(digits.substring(0, 2), 2, 2);
            int mm = digits.length() >= 4 ? number(digits.substring(2, 4), 2, 2) : 0;
            if (hh < 0 || mm < 0) {
                return 0;
            }
            int minutes = hh * 60 + mm;
            return c == '-' ? -minutes : minutes;
        }
        String name = z.toUpperCase(Locale.ROOT);
        name = name.length() > 3 ? name.substring(0, 3) : name;
        return switch (name) {
            case "EDT" -> -4 * 60;
            case "EST", "CDT" -> -5 * 60;
            case "CST", "MDT" -> -6 * 60;
            case "MST", "PDT" -> -7 * 60;
            case "PST" -> -8 * 60;
            default -> 0;
        };
    }

    private static int monthIndex(String s) {
        if (s.length() < 3 || !isAlpha(s)) {
            return -1;
        }
        String m = s.substring(0, 3).toLowerCase(Locale.ROOT);
        for (int k = 0; k < MONTHS.length; k++) {
            if (MONTHS[k].equals(m)) {
                return k;
            }
        }
        return -1;
    }

    private static int number(String s, int minDigits, int maxDigits) {
        if (s.length() < minDigits || s.length() > maxDigits) {
            return -1;
        }
        int n = 0;
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static boolean isAlpha(String s) {
        for (int k = 0; k < s.length(); k++) {
            if (!Character.isLetter(s.charAt(k))) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    /** Words of the value with comments removed, split on white space and commas. */
    private static List<String> tokens(String value) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        int depth = 0;
        for (int k = 0; k < value.length(); k++) {
            char c = value.charAt(k);
            if (depth > 0) {
                if (c == '\\') {
                    k++;
                } else if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                }
                continue;
            }
            if (c == '(') {
                depth++;
            }
            if (c == '(' || c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',') {
                if (!word.isEmpty()) {
                    out.add(word.toString());
                    word.setLength(0);
                }
                continue;
            }
            word.append(c);
        }
        if (!word.isEmpty()) {
            out.add(word.toString());
        }
        return out;
    }
}
