package org.postern.server;

import java.io.PrintWriter;
import org.postern.store.sqlite.SqliteMailStore;
import org.postern.store.sqlite.StoreCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Check that the store agrees with itself: the database's integrity, every message file "
                + "(present, of its size, hashing to its name) against the message rows, the rows against "
                + "the mailboxes, UIDNEXT and HIGHESTMODSEQ against the rows. With --repair, fix what loses"
                + " nothing and say what was done. The exit code is 1 while any problem remains.")
public final class CheckCommand extends StoreCommand {
    @Option(names = "--repair", description = "Fix what can be fixed without losing anything.")
    boolean repair;

    @Override
    int run(Services s, PrintWriter out) throws Exception {
        if (!(s.store() instanceof SqliteMailStore store)) {
            throw new CommandFailed("postern check knows only the SQLite store");
        }
        StoreCheck.Report r = new StoreCheck(store.database(), store.blobs(), s.clock(), repair).run();
        r.findings().forEach(f -> out.println(StoreCheck.describe(f)));
        long repaired = r.findings().size() - r.remaining();
        out.printf("checked %d messages, %d message files, %d mailboxes: %s%n", r.messages(), r.blobFiles(), r.mailboxes(),
                r.findings().isEmpty() ? "no problems"
                        : repaired + " repaired, " + r.remaining() + " problem(s) left"
                                + (r.remaining() > 0 && !repair ? " (try --repair)" : ""));
        return r.remaining() == 0 ? 0 : 1;
    }
}
