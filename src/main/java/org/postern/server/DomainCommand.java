package org.postern.server;

import java.io.PrintWriter;
import org.postern.store.Directory.Account;
import org.postern.store.Directory.Domain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "domain", mixinStandardHelpOptions = true,
        description = "The domains Postern receives mail for (made when their first account is added).",
        synopsisSubcommandLabel = "(list | catch-all)",
        subcommands = {DomainCommand.ListDomains.class, DomainCommand.CatchAll.class})
public final class DomainCommand extends CommandGroup {
    DomainCommand() {
        super("list or catch-all");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the domains.")
    static final class ListDomains extends StoreCommand {
        @Override
        int run(Services s, PrintWriter out) {
            String format = "%-40s %-5s %-5s %s%n";
            out.printf(format, "DOMAIN", "IMAP", "POP", "CATCH-ALL");
            for (Domain d : s.directory().domains()) {
                String catchAll = d.catchAllAccountId() == null ? "-"
                        : s.directory().account(d.catchAllAccountId()).map(Account::email).orElse("-");
                out.printf(format, d.name(), AccountCommand.onOff(d.imapEnabled()), AccountCommand.onOff(d.popEnabled()), catchAll);
            }
            return 0;
        }
    }

    @Command(name = "catch-all", mixinStandardHelpOptions = true,
            description = "Deliver mail for unknown addresses of DOMAIN to the account EMAIL, or stop with 'off'.")
    static final class CatchAll extends StoreCommand {
        @Parameters(index = "0", paramLabel = "DOMAIN")
        String domain;

        @Parameters(index = "1", paramLabel = "EMAIL|off")
        String account;

        @Override
        int run(Services s, PrintWriter out) {
            boolean off = account.equalsIgnoreCase("off");
            s.directory().setCatchAll(domain, off ? null : account);
            out.println(off ? "no catch-all for " + domain : "mail for unknown addresses of " + domain + " goes to " + account);
            return 0;
        }
    }
}
