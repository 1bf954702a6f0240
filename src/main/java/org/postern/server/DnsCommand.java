package org.postern.server;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.postern.web.DnsRecords;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "dns", mixinStandardHelpOptions = true,
        description = "The DNS records a domain should publish for this server.",
        synopsisSubcommandLabel = "show",
        subcommands = {DnsCommand.Show.class})
public final class DnsCommand extends CommandGroup {
    DnsCommand() {
        super("show DOMAIN");
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print every record to publish for DOMAIN as zone-file lines: MX, SPF, DKIM (when its "
                    + "keys exist), DMARC, MTA-STS, TLS reporting, the RFC 6186 SRV records and the "
                    + "autoconfig/autodiscover names.")
    static final class Show extends StoreCommand {
        @Parameters(paramLabel = "DOMAIN")
        String domain;

        @Override
        int run(Services s, PrintWriter out) {
            if (s.directory().domain(domain).isEmpty()) {
                throw new CommandFailed("Postern has no domain " + domain + " (a domain is made with its first account: postern account add)");
            }
            out.print(DnsRecords.zone(input(s.config(), domain, s)));
            return 0;
        }
    }

    /** The records' inputs from the configuration: the listeners' configured ports and the DKIM keys. */
    static DnsRecords.Input input(Config config, String domain, Services s) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (ListenerName n : ListenerName.values()) {
            ListenAddress a = config.listener(n);
            ports.put(n.word(), a.isOff() ? -1 : a.port());
        }
        return new DnsRecords.Input(domain, config.hostname(), ports, s.dkimKeys());
    }
}
