package org.postern.server;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import org.postern.delivery.CrlfInputStream;
import org.postern.delivery.LocalDelivery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "deliver", mixinStandardHelpOptions = true,
        description = "Deliver a message read from standard input to local recipients, as if it had arrived by "
                + "SMTP (for imports, scripts and tests). Line endings are made CRLF. It returns once the "
                + "message is safely stored; the exit code is 1 when any recipient was refused.")
public final class DeliverCommand extends StoreCommand {
    @Parameters(arity = "1..*", paramLabel = "EMAIL", description = "Recipients (aliases, +tags and catch-alls apply).")
    List<String> recipients;

    @Option(names = "--junk", description = "Deliver into the recipients' Junk mailbox instead of INBOX.")
    boolean junk;

    @Override
    int run(Services s, PrintWriter out) throws Exception {
        InputStream in = new CrlfInputStream(System.in);
        LocalDelivery.Outcome o;
        try {
            o = s.delivery().deliver(in, recipients, junk ? LocalDelivery.Folder.JUNK : LocalDelivery.Folder.INBOX);
        } catch (LocalDelivery.TooLarge e) {
            throw new CommandFailed(e.getMessage() + " (limits.message-size in postern.conf)");
        }
        for (LocalDelivery.Delivered d : o.delivered()) {
            out.println("delivered to " + d.recipient() + (d.recipient().equalsIgnoreCase(d.account()) ? "" : " (" + d.account() + ")")
                    + ": UID " + d.added().uid());
        }
        for (LocalDelivery.Refused r : o.refused()) {
            out.println("refused " + r.recipient() + ": " + r.reason());
        }
        return o.refused().isEmpty() ? 0 : 1;
    }
}
