package org.postern.smtp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns one command line into a {@link Command}, or an {@link SmtpException} with the reply
 * (RFC 5321 §4.1.1 grammar; verbs are case-insensitive, §2.4). The line is already decoded and
 * free of CR/LF.
 */
final class CommandParser {
    private CommandParser() {}

    static Command parse(String line, String postmasterDomain) throws SmtpException {
        int sp = line.indexOf(' ');
        String verb = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
        String args = sp < 0 ? "" : line.substring(sp + 1);
        return switch (verb) {
            case "EHLO" -> new Command.Ehlo(domainArgument(args, "EHLO"));
            case "HELO" -> new Command.Helo(domainArgument(args, "HELO"));
            case "MAIL" -> mail(args);
            case "RCPT" -> rcpt(args, postmasterDomain);
            case "DATA" -> noArguments(args, "DATA", new Command.Data());
            case "BDAT" -> bdat(args);
            case "RSET" -> noArguments(args, "RSET", new Command.Rset());
            case "NOOP" -> new Command.Noop(); // RFC 5321 §4.1.1.9: a parameter is ignored
            case "QUIT" -> noArguments(args, "QUIT", new Command.Quit());
            case "VRFY" -> new Command.Vrfy();
            case "EXPN" -> new Command.Expn();
            case "HELP" -> new Command.Help();
            case "STARTTLS" -> noArguments(args, "STARTTLS", new Command.StartTls());
            case "AUTH" -> auth(args);
            default -> throw new SmtpException(Replies.UNRECOGNISED);
        };
    }

    /** Whether a line is an RCPT command, however malformed. */
    static boolean isRcpt(String line) {
        return line.regionMatches(true, 0, "RCPT ", 0, 5) || line.equalsIgnoreCase("RCPT");
    }

    private static String domainArgument(String args, String verb) throws SmtpException {
        String d = args.strip();
        if (d.isEmpty() || d.contains(" ")) {
            throw new SmtpException(Replies.syntax(verb + " takes one argument, your domain name or address literal"));
        }
        return d;
    }

    private static Command noArguments(String args, String verb, Command c) throws SmtpException {
        if (!args.isBlank()) {
            throw new SmtpException(Replies.syntax(verb + " takes no parameters"));
        }
        return c;
    }

    // RFC 5321 §4.1.1.2: "MAIL FROM:" Reverse-path [SP Mail-parameters]
    private static Command mail(String args) throws SmtpException {
        String rest = afterKeyword(args, "FROM:", "MAIL FROM:<address>");
        try {
            PathParser.Parsed p = PathParser.parse(rest, true, null);
            return new Command.Mail(p.path(), params(p.rest()));
        } catch (PathParser.Invalid e) {
            throw new SmtpException(Replies.badSenderSyntax(e.getMessage()));
        }
    }

    // RFC 5321 §4.1.1.3: "RCPT TO:" ( "<Postmaster@" Domain ">" / "<Postmaster>" / Forward-path ) [SP Rcpt-parameters]
    private static Command rcpt(String args, String postmasterDomain) throws SmtpException {
        String rest = afterKeyword(args, "TO:", "RCPT TO:<address>");
        try {
            PathParser.Parsed p = PathParser.parse(rest, false, postmasterDomain);
            return new Command.Rcpt(p.path(), params(p.rest()));
        } catch (PathParser.Invalid e) {
            throw new SmtpException(Replies.badRecipientSyntax(e.getMessage()));
        }
    }

    /** The text after "FROM:" / "TO:", with the spaces some clients put after the colon skipped. */
    private static String afterKeyword(String args, String keyword, String usage) throws SmtpException {
        if (!args.regionMatches(true, 0, keyword, 0, keyword.length())) {
            throw new SmtpException(Replies.syntax("use " + usage));
        }
        return args.substring(keyword.length()).stripLeading();
    }

    /** esmtp-param *(SP esmtp-param); esmtp-keyword ["=" esmtp-value] (RFC 5321 §4.1.2). */
    static List<Command.Param> params(String rest) throws SmtpException {
        List<Command.Param> out = new ArrayList<>();
        if (rest.isEmpty()) {
            return out;
        }
        if (rest.charAt(0) != ' ') {
            throw new SmtpException(Replies.syntax("a space must follow the address"));
        }
        for (String word : rest.strip().split(" +")) {
            if (word.isEmpty()) {
                continue;
            }
            int eq = word.indexOf('=');
            String keyword = eq < 0 ? word : word.substring(0, eq);
            String value = eq < 0 ? null : word.substring(eq + 1);
            if (!keyword.matches("[A-Za-z0-9][A-Za-z0-9-]*")) {
                throw new SmtpException(Replies.syntax("bad parameter " + abbreviate(word)));
            }
            if (value != null && (value.isEmpty() || value.chars().anyMatch(c -> c < 33 || c == '=' || c == 127))) {
                throw new SmtpException(Replies.syntax("bad value of parameter " + keyword.toUpperCase(Locale.ROOT)));
            }
            out.add(new Command.Param(keyword.toUpperCase(Locale.ROOT), value));
        }
        return out;
    }

    // RFC 3030 §2: "BDAT" SP chunk-size [ SP end-marker ]
    private static Command bdat(String args) throws SmtpException {
        String[] w = args.split(" ", -1);
        if (args.isEmpty() || w.length > 2 || !w[0].matches("[0-9]{1,18}")
                || (w.length == 2 && !w[1].equalsIgnoreCase("LAST"))) {
            throw new SmtpException(Replies.syntax("use BDAT <size> [LAST]"));
        }
        return new Command.Bdat(Long.parseLong(w[0]), w.length == 2);
    }

    // RFC 4954 §4: "AUTH" SP sasl-mech [SP initial-response]
    private static Command auth(String args) throws SmtpException {
        String[] w = args.split(" ", -1);
        if (args.isEmpty() || w.length > 2 || w[0].isEmpty() || (w.length == 2 && w[1].isEmpty())) {
            throw new SmtpException(Replies.syntax("use AUTH <mechanism> [initial-response]"));
        }
        return new Command.Auth(w[0].toUpperCase(Locale.ROOT), w.length == 2 ? w[1] : null);
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }
}
