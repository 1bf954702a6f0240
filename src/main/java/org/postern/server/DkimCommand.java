package org.postern.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.postern.smtp.dkim.Algorithm;
import org.postern.smtp.dkim.DkimKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "dkim", mixinStandardHelpOptions = true,
        description = "The DKIM keys that sign the mail this server sends (RSA-2048 and Ed25519, RFC 6376 and RFC 8463).",
        synopsisSubcommandLabel = "show DOMAIN",
        subcommands = {DkimCommand.Show.class})
public final class DkimCommand extends CommandGroup {
    DkimCommand() {
        super("show DOMAIN");
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print the DNS records DOMAIN must publish, in zone-file form: its two DKIM keys, and the"
                    + " MX, SPF and DMARC records that go with them. The keys are made now if the domain has "
                    + "none yet.")
    static final class Show extends StoreCommand {
        @Parameters(index = "0", paramLabel = "DOMAIN", description = "A domain of this server, e.g. example.org.")
        String domain;

        @Override
        int run(Services s, PrintWriter out) throws IOException {
            String d = domain.toLowerCase(Locale.ROOT);
            if (d.endsWith(".")) {
                d = d.substring(0, d.length() - 1);
            }
            if (!d.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")) {
                throw new CommandFailed("DOMAIN: '" + domain + "' is not a domain name (like example.org)", 2);
            }
            if (s.directory().domain(d).isEmpty()) {
                throw new CommandFailed(d + " is not a domain of this server ('postern domain list' shows them; a domain "
                        + "is made when its first account is added)");
            }
            boolean made = !s.dkimKeys().exists(d);
            DkimKeys.Key[] keys = s.dkimKeys().keys(d);
            String host = s.config().hostname();
            out.println("; DNS records for " + d + (made ? " (DKIM keys made now: " : " (DKIM keys: ")
                    + s.dkimKeys().file(d, Algorithm.RSA_SHA256) + " and " + s.dkimKeys().file(d, Algorithm.ED25519_SHA256) + ")");
            out.println("; DKIM (RFC 6376, RFC 8463): mail from " + d + " carries a signature by each key");
            for (DkimKeys.Key k : List.of(keys[1], keys[0])) {
                out.println(k.selector() + "._domainkey." + d + ". IN TXT " + txt(k.dnsRecord()));
            }
            out.println("; where mail for " + d + " goes, who may send it, and what receivers do with forgeries");
            out.println(d + ". IN MX 10 " + host + ".");
            out.println(d + ". IN TXT \"v=spf1 mx -all\"");
            out.println("_dmarc." + d + ". IN TXT \"v=DMARC1; p=quarantine; adkim=r; aspf=r\"");
            return 0;
        }

        /** A TXT value as quoted character-strings of at most 255 bytes (RFC 1035 §3.3.14), in parentheses when several. */
        static String txt(String value) {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < value.length(); i += 255) {
                parts.add("\"" + value.substring(i, Math.min(value.length(), i + 255)) + "\"");
            }
            return parts.size() == 1 ? parts.getFirst() : "( " + String.join(" ", parts) + " )";
        }
    }
}
