package org.postern.server;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.postern.auth.Secrets;
import org.postern.store.Directory.Account;
import org.postern.store.Security;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "app-password", mixinStandardHelpOptions = true,
        description = "App passwords: 16-letter passwords for mail clients, one per device or program, each "
                + "revocable. With 2-Step Verification on, mail clients (IMAP, POP3, SMTP) sign in only "
                + "with these.",
        synopsisSubcommandLabel = "(add | list | revoke)",
        subcommands = {AppPasswordCommand.Add.class, AppPasswordCommand.ListPasswords.class, AppPasswordCommand.Revoke.class})
public final class AppPasswordCommand extends CommandGroup {
    AppPasswordCommand() {
        super("add, list or revoke");
    }

    static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);


    static Account account(Services s, String email) {
        return s.directory().account(email).orElseThrow(() -> new CommandFailed("no such account: " + email));
    }

    static String when(Long millis) {
        return millis == null ? "never" : WHEN.format(Instant.ofEpochMilli(millis)) + " UTC";
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Make an app password named NAME (e.g. \"Outlook IMAP\") and show it, once.")
    static final class Add extends StoreCommand {
        @Parameters(index = "0", paramLabel = "EMAIL")
        String email;

        @Parameters(index = "1", paramLabel = "NAME", description = "What it is for, so you can recognise and revoke it later.")
        String name;

        @Override
        int run(Services s, PrintWriter out) {
            String n = name.strip();
            if (n.isEmpty() || n.length() > 100 || n.chars().anyMatch(Character::isISOControl)) {
                throw new CommandFailed("NAME must be 1 to 100 printable characters", 2);
            }
            Account a = account(s, email);
            String password = Secrets.newAppPassword();
            s.security().addAppPassword(a.id(), n, Secrets.sha256(password));
            out.println("app password \"" + n + "\" for " + a.email() + ":");
            out.println();
            out.println("    " + Secrets.formatAppPassword(password));
            out.println();
            out.println("Type it into the mail client instead of the account password (spaces do not matter).");
            out.println("It is shown only now; revoke it with: postern app-password revoke " + a.email() + " \"" + n + "\"");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List an account's app passwords with their last use.")
    static final class ListPasswords extends StoreCommand {
        @Parameters(paramLabel = "EMAIL")
        String email;

        @Override
        int run(Services s, PrintWriter out) {
            Account a = account(s, email);
            var list = s.security().appPasswords(a.id());
            if (list.isEmpty()) {
                out.println("no app passwords; make one with: postern app-password add " + a.email() + " NAME");
                return 0;
            }
            String format = "%-24s %-18s %-18s %-16s %-6s %s%n";
            out.printf(format, "NAME", "CREATED", "LAST USED", "FROM", "HOW", "CLIENT");
            for (Security.AppPassword p : list) {
                out.printf(format, p.name(), when(p.created()), when(p.lastUsed()), nz(p.lastIp()), nz(p.lastProtocol()), nz(p.lastClient()));
            }
            return 0;
        }
    }

    static String nz(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke an app password; the sessions that signed in with it end within seconds.")
    static final class Revoke extends StoreCommand {
        @Parameters(index = "0", paramLabel = "EMAIL")
        String email;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Override
        int run(Services s, PrintWriter out) {
            Account a = account(s, email);
            s.security().revokeAppPassword(a.id(), name.strip());
            out.println("revoked \"" + name.strip() + "\"; sessions that used it end within seconds");
            return 0;
        }
    }
}
