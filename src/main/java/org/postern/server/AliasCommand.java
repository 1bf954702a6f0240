package org.postern.server;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "alias", mixinStandardHelpOptions = true,
        description = "Extra addresses that deliver to an account (mail to sales@ goes to bob@).",
        synopsisSubcommandLabel = "(add | list | remove)",
        subcommands = {AliasCommand.Add.class, AliasCommand.ListAliases.class, AliasCommand.Remove.class})
public final class AliasCommand extends CommandGroup {
    AliasCommand() {
        super("add, list or remove");
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Make ALIAS deliver to the account EMAIL.")
    static final class Add extends StoreCommand {
        @Parameters(index = "0", paramLabel = "ALIAS")
        String alias;

        @Parameters(index = "1", paramLabel = "EMAIL")
        String account;

        @Override
        int run(Services s, PrintWriter out) {
            s.directory().addAlias(alias, account);
            out.println(alias + " now delivers to " + account);
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List an account's aliases.")
    static final class ListAliases extends StoreCommand {
        @Parameters(paramLabel = "EMAIL")
        String account;

        @Override
        int run(Services s, PrintWriter out) {
            for (String a : s.directory().aliases(account)) {
                out.println(a);
            }
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove an alias.")
    static final class Remove extends StoreCommand {
        @Parameters(paramLabel = "ALIAS")
        String alias;

        @Override
        int run(Services s, PrintWriter out) {
            s.directory().removeAlias(alias);
            out.println("removed " + alias);
            return 0;
        }
    }
}
