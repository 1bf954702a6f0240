package org.postern.server;

import java.io.PrintWriter;
import java.time.Duration;
import org.postern.auth.Secrets;
import org.postern.store.Directory.Account;
import org.postern.store.Security;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "oauth", mixinStandardHelpOptions = true,
        description = "OAuth 2.0 bearer tokens for mail clients (SASL OAUTHBEARER and XOAUTH2). Clients get them"
                + " through the web (https://HOST/oauth/authorize, /device); here an administrator can issue one"
                + " by hand, list an account's tokens and revoke one (a token issued to an app revokes the app's"
                + " access).",
        synopsisSubcommandLabel = "(token | list | revoke)",
        subcommands = {OAuthCommand.Issue.class, OAuthCommand.ListTokens.class, OAuthCommand.Revoke.class})
public final class OAuthCommand extends CommandGroup {
    OAuthCommand() {
        super("token, list or revoke");
    }

    @Command(name = "token", mixinStandardHelpOptions = true, description = "Issue a bearer token for EMAIL and show it, once.")
    static final class Issue extends StoreCommand {
        @Parameters(paramLabel = "EMAIL")
        String email;

        @Option(names = "--client", paramLabel = "NAME", defaultValue = "command line", description = "Who the token is for.")
        String client;

        @Option(names = "--expires", paramLabel = "DURATION", defaultValue = "1h",
                description = "How long it is valid, e.g. 30m, 1h, 7d (default: ${DEFAULT-VALUE}).")
        String expires;

        @Override
        int run(Services s, PrintWriter out) {
            Duration d;
            try {
                d = Setting.parseDuration(expires);
            } catch (Setting.BadValue e) {
                throw new CommandFailed("--expires: " + e.getMessage(), 2);
            }
            if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofDays(365)) > 0) {
                throw new CommandFailed("--expires must be between 1s and 365d", 2);
            }
            Account a = AppPasswordCommand.account(s, email);
            String token = Secrets.newToken();
            Security.Token t = s.security().addToken(a.id(), Secrets.sha256(token), client, s.clock().millis() + d.toMillis());
            out.println(token);
            out.println("(token " + t.id() + " for " + a.email() + ", valid until " + AppPasswordCommand.when(t.expires())
                    + "; shown only now)");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List an account's tokens.")
    static final class ListTokens extends StoreCommand {
        @Parameters(paramLabel = "EMAIL")
        String email;

        @Override
        int run(Services s, PrintWriter out) {
            Account a = AppPasswordCommand.account(s, email);
            String format = "%-6s %-24s %-18s %-18s %s%n";
            out.printf(format, "ID", "CLIENT", "ISSUED", "EXPIRES", "STATE");
            long now = s.clock().millis();
            for (Security.Token t : s.security().tokens(a.id())) {
                String state = t.revoked() != null ? "revoked" : t.expires() <= now ? "expired" : "valid";
                out.printf(format, t.id(), t.client(), AppPasswordCommand.when(t.created()), AppPasswordCommand.when(t.expires()), state);
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token; its sessions end within seconds."
            + " A token issued to an app through the web revokes that app's access (all its tokens).")
    static final class Revoke extends StoreCommand {
        @Parameters(index = "0", paramLabel = "EMAIL")
        String email;

        @Parameters(index = "1", paramLabel = "ID")
        long id;

        @Override
        int run(Services s, PrintWriter out) {
            Account a = AppPasswordCommand.account(s, email);
            s.security().revokeToken(a.id(), id);
            out.println("revoked token " + id);
            return 0;
        }
    }
}
