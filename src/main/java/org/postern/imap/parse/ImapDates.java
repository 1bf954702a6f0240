package org.postern.imap.parse;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * The two date forms clients send (RFC 9051 §9): {@code date} for SEARCH ({@code 1-Feb-2026})
 * and {@code date-time} for APPEND ({@code "17-Jul-1996 02:44:25 -0700"}). Month names are
 * English and case-insensitive; dates that do not exist (30-Feb) are refused. Thread-safe.
 */
public final class ImapDates {
    private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
        "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

    private ImapDates() {
    }

    /**
     * Parses {@code date-text}: {@code date-day "-" date-month "-" date-year}, the day in one or
     * two digits (the quotes of a quoted {@code date} are already gone).
     *
     * @throws IllegalArgumentException when it is not such a date; the message says why
     */
    public static LocalDate parseDate(String text) {
        int d1 = text.indexOf('-');
        int d2 = d1 < 0 ? -1 : text.indexOf('-', d1 + 1);
        if (d1 < 1 || d1 > 2 || d2 != d1 + 4 || text.length() != d2 + 5) {
            throw new IllegalArgumentException("invalid date " + Texts.clip(text) + " (expected a date such as 1-Feb-2026)");
        }
        int day = digits(text, 0, d1, text);
        int month = month(text.substring(d1 + 1, d2), text);
        int year = digits(text, d2 + 1, d2 + 5, text);
        try {
            return LocalDate.of(year, month, day);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("no such date: " + Texts.clip(text));
        }
    }

    /**
     * Parses {@code date-time} without its quotes: {@code dd-Mon-yyyy hh:mm:ss +hhmm}; the day
     * may be padded with a space (RFC 9051 §9 {@code date-day-fixed}) or, leniently, be one digit.
     *
     * @throws IllegalArgumentException when it is not such a date-time; the message says why
     */
    public static OffsetDateTime parseDateTime(String text) {
        String t = text.startsWith(" ") ? text.substring(1) : text;
        int sp1 = t.indexOf(' ');
        if (sp1 < 0 || t.length() != sp1 + 15 || t.charAt(sp1 + 9) != ' ') {
            throw new IllegalArgumentException("invalid date-time " + Texts.clip(text)
                    + " (expected \"17-Jul-1996 02:44:25 -0700\")");
        }
        LocalDate date = parseDate(t.substring(0, sp1));
        String time = t.substring(sp1 + 1, sp1 + 9);
        String zone = t.substring(sp1 + 10);
        if (time.charAt(2) != ':' || time.charAt(5) != ':') {
            throw new IllegalArgumentException("invalid time in " + Texts.clip(text));
        }
        int hour = digits(time, 0, 2, text);
        int minute = digits(time, 3, 5, text);
        int second = digits(time, 6, 8, text);
        char sign = zone.charAt(0);
        if (sign != '+' && sign != '-') {
            throw new IllegalArgumentException("invalid time zone in " + Texts.clip(text) + " (expected +hhmm or -hhmm)");
        }
        int zh = digits(zone, 1, 3, text);
        int zm = digits(zone, 3, 5, text);
        try {
            ZoneOffset offset = ZoneOffset.ofHoursMinutes(sign == '-' ? -zh : zh, sign == '-' ? -zm : zm);
            return OffsetDateTime.of(date.getYear(), date.getMonthValue(), date.getDayOfMonth(),
                    hour, minute, second, 0, offset);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("no such time: " + Texts.clip(text));
        }
    }

    private static int month(String name, String whole) {
        String upper = name.toUpperCase(Locale.ROOT);
        for (int i = 0; i < MONTHS.length; i++) {
            if (MONTHS[i].equals(upper)) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("invalid month in " + Texts.clip(whole) + " (Jan, Feb, ... Dec)");
    }

    private static int digits(String s, int from, int to, String whole) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("invalid number in date " + Texts.clip(whole));
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Formats a date-time the way RFC 9051 §9 writes it, for INTERNALDATE responses. */
    public static String formatDateTime(OffsetDateTime t) {
        int off = t.getOffset().getTotalSeconds() / 60;
        char sign = off < 0 ? '-' : '+';
        off = Math.abs(off);
        return String.format(Locale.ROOT, "%02d-%s-%04d %02d:%02d:%02d %c%02d%02d",
                t.getDayOfMonth(), MONTHS[t.getMonthValue() - 1].charAt(0)
                        + MONTHS[t.getMonthValue() - 1].substring(1).toLowerCase(Locale.ROOT),
                t.getYear(), t.getHour(), t.getMinute(), t.getSecond(), sign, off / 60, off % 60);
    }
}
