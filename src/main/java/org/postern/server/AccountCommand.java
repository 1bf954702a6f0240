package org.postern.server;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.postern.auth.Passwords;
import org.postern.store.Directory;
import org.postern.store.Directory.Account;
import org.postern.store.PopSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "account", mixinStandardHelpOptions = true,
        description = "Add, list, remove and change accounts.",
        synopsisSubcommandLabel = "(add | list | remove | passwd | set | 2sv | activity | devices)",
        subcommands = {AccountCommand.Add.class, AccountCommand.ListAccounts.class, AccountCommand.Remove.class,
            AccountCommand.Passwd.class, AccountCommand.Set.class, AccountSecurityCommands.TwoStep.class,
            AccountSecurityCommands.Activity.class, AccountSecurityCommands.Devices.class})
public final class AccountCommand extends CommandGroup {
    AccountCommand() {
        super("add, list, remove, passwd, set, 2sv, activity or devices");
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add an account with the mailboxes INBOX, Sent, Drafts, Trash, Junk and Archive. Without "
                    + "--password-stdin the password is asked for, or made up and shown once.")
    static final class Add extends StoreCommand {
        @Parameters(paramLabel = "EMAIL", description = "The full address, which is also the user name.")
        String email;

        @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
        boolean passwordStdin;

        @Override
        int run(Services s, PrintWriter out) throws Exception {
            if (s.directory().account(email).isPresent()) {
                throw new CommandFailed("the account " + email + " already exists");
            }
            Password pw = readPassword(passwordStdin, out);
            Account a = s.directory().addAccount(email, Passwords.hash(pw.value()));
            out.println("added " + a.email());
            if (pw.generated()) {
                out.println("password: " + pw.value() + "   (shown once; change it with: postern account passwd " + a.email() + ")");
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the accounts with their switches and storage.")
    static final class ListAccounts extends StoreCommand {
        @Override
        int run(Services s, PrintWriter out) {
            List<Account> accounts = s.directory().accounts();
            if (accounts.isEmpty()) {
                out.println("no accounts yet; add one with: postern account add EMAIL");
                return 0;
            }
            String format = "%-40s %-5s %-5s %-9s %10s %10s  %-10s %s%n";
            out.printf(format, "ACCOUNT", "IMAP", "POP", "POP-AFTER", "USED", "QUOTA", "CREATED", "ADMIN");
            for (Account a : accounts) {
                long quota = a.quotaBytes() > 0 ? a.quotaBytes() : s.config().defaultQuota();
                PopSettings pop = s.directory().popSettings(a.id());
                out.printf(format, a.email(), onOff(a.imapEnabled()), popWord(a, pop), pop.after().word(),
                        Sizes.human(s.store().usedBytes(a.id())), quota == 0 ? "none" : Sizes.human(quota),
                        DateTimeFormatter.ISO_LOCAL_DATE.format(Instant.ofEpochMilli(a.created()).atZone(ZoneOffset.UTC)),
                        a.admin() ? "admin" : "");
            }
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove an account with all its mail and aliases.")
    static final class Remove extends StoreCommand {
        @Parameters(paramLabel = "EMAIL")
        String email;

        @Override
        int run(Services s, PrintWriter out) {
            s.directory().removeAccount(email);
            out.println("removed " + email + " with all its mail");
            return 0;
        }
    }

    @Command(name = "passwd", mixinStandardHelpOptions = true,
            description = "Set an account's password (asked for, read with --password-stdin, or made up and shown once).")
    static final class Passwd extends StoreCommand {
        @Parameters(paramLabel = "EMAIL")
        String email;

        @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
        boolean passwordStdin;

        @Override
        int run(Services s, PrintWriter out) throws Exception {
            if (s.directory().account(email).isEmpty()) {
                throw new CommandFailed("no such account: " + email);
            }
            Password pw = readPassword(passwordStdin, out);
            s.directory().setPassword(email, Passwords.hash(pw.value()));
            out.println("password changed for " + email);
            if (pw.generated()) {
                out.println("password: " + pw.value() + "   (shown once)");
            }
            return 0;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Change an account's switches, any of:%n"
                    + "imap=on|off, quota=SIZE|default (e.g. quota=5G),%n"
                    + "pop=off|all|new (POP off; on for all mail; on only for mail that arrives from now on; on = all),%n"
                    + "pop-after=keep|read|archive|trash (what happens to a message in INBOX once a POP client "
                    + "downloaded it),%n"
                    + "admin=on|off (may use the web's admin pages and /metrics).")
    static final class Set extends StoreCommand {
        @Parameters(index = "0", paramLabel = "EMAIL")
        String email;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "KEY=VALUE")
        List<String> settings;

        @Override
        int run(Services s, PrintWriter out) {
            Boolean imap = null;
            Boolean pop = null;
            Long popSince = null;
            PopSettings.AfterDownload popAfter = null;
            Long quota = null;
            Boolean admin = null;
            for (String kv : settings) {
                int eq = kv.indexOf('=');
                String key = eq < 0 ? kv : kv.substring(0, eq).toLowerCase(Locale.ROOT);
                String value = eq < 0 ? "" : kv.substring(eq + 1);
                switch (key) {
                    case "imap" -> imap = parseOnOff(key, value);
                    case "pop" -> {
                        // Gmail's three choices; "on" keeps its old meaning: all mail.
                        switch (value.toLowerCase(Locale.ROOT)) {
                            case "new" -> {
                                pop = true;
                                popSince = s.clock().millis();
                            }
                            case "all" -> {
                                pop = true;
                                popSince = 0L;
                            }
                            default -> {
                                pop = parseOnOff(key, value, "off, all or new (on means all)");
                                popSince = pop ? 0L : null;
                            }
                        }
                    }
                    case "pop-after" -> popAfter = PopSettings.AfterDownload.fromWord(value).orElseThrow(() ->
                            new CommandFailed("pop-after=" + value + ": the value must be keep, read, archive or trash", 2));
                    case "quota" -> quota = quota(value);
                    case "admin" -> admin = parseOnOff(key, value);
                    default -> throw new CommandFailed("unknown setting '" + kv + "' (known: imap=on|off, pop=off|all|new, "
                            + "pop-after=keep|read|archive|trash, quota=SIZE|default, admin=on|off)", 2);
                }
            }
            Account a = s.directory().update(email, new Directory.Settings(imap, pop, quota, popSince, popAfter, admin));
            PopSettings p = s.directory().popSettings(a.id());
            out.println(a.email() + ": imap=" + onOff(a.imapEnabled()) + " pop=" + popWord(a, p)
                    + " pop-after=" + p.after().word()
                    + " quota=" + (a.quotaBytes() == 0 ? "default" : Sizes.human(a.quotaBytes()))
                    + " admin=" + onOff(a.admin()));
            if (a.popEnabled() && p.newMailOnly()) {
                out.println("POP offers mail received from " + DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(p.since()))
                        + " on");
            }
            return 0;
        }

        private static boolean parseOnOff(String key, String v) {
            return parseOnOff(key, v, "on or off");
        }

        private static boolean parseOnOff(String key, String v, String expected) {
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "on", "yes", "true" -> true;
                case "off", "no", "false" -> false;
                default -> throw new CommandFailed(key + "=" + v + ": the value must be " + expected, 2);
            };
        }

        private static long quota(String v) {
            if (v.equalsIgnoreCase("default")) {
                return 0;
            }
            try {
                return Setting.parseSize(v);
            } catch (Setting.BadValue e) {
                throw new CommandFailed("quota=" + v + ": " + e.getMessage(), 2);
            }
        }
    }

    /** POP as {@code account list} and {@code account set} show it: off, all or new. */
    static String popWord(Account a, PopSettings p) {
        return !a.popEnabled() ? "off" : p.newMailOnly() ? "new" : "all";
    }

    static String onOff(boolean b) {
        return b ? "on" : "off";
    }
}
