package org.postern.pop3;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.OptionalLong;
import org.postern.net.Line;

/**
 * Turns one command line into a {@link Command} (RFC 1939 §3: a case-insensitive keyword, then
 * arguments separated by spaces). Runs of spaces and trailing spaces are tolerated, as clients
 * send them; PASS takes the rest of the line as it is, since passwords may hold spaces. Anything
 * else is answered {@code -ERR} by throwing {@link Pop3Exception}; nothing here touches state.
 */
final class CommandParser {
    /** Message numbers and line counts: at most this many digits (they still fit a long). */
    private static final int MAX_DIGITS = 18;

    private CommandParser() {}

    static Command parse(Line line) {
        String text = line.latin1();
        int sp = text.indexOf(' ');
        String keyword = (sp < 0 ? text : text.substring(0, sp)).toUpperCase(Locale.ROOT);
        String rest = sp < 0 ? "" : text.substring(sp + 1);
        return switch (keyword) {
            case "CAPA" -> none(keyword, rest, new Command.Capa());
            case "STLS" -> none(keyword, rest, new Command.Stls());
            case "STAT" -> none(keyword, rest, new Command.Stat());
            case "NOOP" -> none(keyword, rest, new Command.Noop());
            case "RSET" -> none(keyword, rest, new Command.Rset());
            case "QUIT" -> none(keyword, rest, new Command.Quit());
            case "USER" -> user(line, sp);
            case "PASS" -> pass(line, sp);
            case "AUTH" -> auth(rest);
            case "LIST" -> new Command.ListMessages(optionalNumber(keyword, rest));
            case "UIDL" -> new Command.Uidl(optionalNumber(keyword, rest));
            case "RETR" -> new Command.Retr(oneNumber(keyword, rest));
            case "DELE" -> new Command.Dele(oneNumber(keyword, rest));
            case "TOP" -> top(rest);
            default -> throw Pop3Exception.err("Unknown command.");
        };
    }

    private static String[] args(String rest) {
        String s = rest.strip();
        return s.isEmpty() ? new String[0] : s.split(" +");
    }

    private static Command none(String keyword, String rest, Command c) {
        if (args(rest).length != 0) {
            throw Pop3Exception.err(keyword + " takes no arguments.");
        }
        return c;
    }

    /** USER name: the rest of the line, UTF-8, without surrounding spaces. */
    private static Command user(Line line, int sp) {
        String name = sp < 0 ? "" : utf8After(line, sp).strip();
        if (name.isEmpty()) {
            throw Pop3Exception.err("USER needs a user name: your full email address.");
        }
        return new Command.User(name);
    }

    /** PASS string (RFC 1939 §7): everything after the first space, as it is. */
    private static Command pass(Line line, int sp) {
        String password = sp < 0 ? "" : utf8After(line, sp);
        if (password.isEmpty()) {
            throw Pop3Exception.err("PASS needs a password.");
        }
        return new Command.Pass(password);
    }

    private static String utf8After(Line line, int sp) {
        byte[] b = line.bytes();
        return new String(b, sp + 1, b.length - sp - 1, StandardCharsets.UTF_8);
    }

    /** AUTH [mechanism [initial-response]] (RFC 5034 §4). */
    private static Command auth(String rest) {
        String[] a = args(rest);
        return switch (a.length) {
            case 0 -> new Command.Auth(null, null);
            case 1 -> new Command.Auth(a[0].toUpperCase(Locale.ROOT), null);
            case 2 -> new Command.Auth(a[0].toUpperCase(Locale.ROOT), a[1]);
            default -> throw Pop3Exception.err("AUTH takes a mechanism and at most an initial response.");
        };
    }

    private static OptionalLong optionalNumber(String keyword, String rest) {
        String[] a = args(rest);
        if (a.length > 1) {
            throw Pop3Exception.err(keyword + " takes at most one message number.");
        }
        return a.length == 0 ? OptionalLong.empty() : OptionalLong.of(number(a[0], "message number"));
    }

    private static long oneNumber(String keyword, String rest) {
        String[] a = args(rest);
        if (a.length != 1) {
            throw Pop3Exception.err(keyword + " needs one message number.");
        }
        return number(a[0], "message number");
    }

    private static Command top(String rest) {
        String[] a = args(rest);
        if (a.length != 2) {
            throw Pop3Exception.err("TOP needs a message number and a number of lines.");
        }
        return new Command.Top(number(a[0], "message number"), number(a[1], "number of lines"));
    }

    /** A decimal number of at most 18 digits; no sign, no spaces (RFC 1939 §3 "a number"). */
    static long number(String s, String what) {
        if (s.isEmpty() || s.length() > MAX_DIGITS) {
            throw Pop3Exception.err("Invalid " + what + ".");
        }
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < '0' || ch > '9') {
                throw Pop3Exception.err("Invalid " + what + ".");
            }
        }
        return Long.parseLong(s);
    }
}
