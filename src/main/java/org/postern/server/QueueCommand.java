package org.postern.server;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.postern.store.OutboundQueue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "queue", mixinStandardHelpOptions = true,
        description = "The outbound queue: mail waiting to go to other servers, and notices to senders. A "
                + "running server picks up a retry within seconds.",
        synopsisSubcommandLabel = "(list | retry ID | delete ID)",
        subcommands = {QueueCommand.ListQueue.class, QueueCommand.Retry.class, QueueCommand.Delete.class})
public final class QueueCommand extends CommandGroup {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    QueueCommand() {
        super("list, retry ID or delete ID");
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List queued messages, oldest first, with each recipient's state, attempts, next attempt "
                    + "and last answer (times in UTC).")
    static final class ListQueue extends StoreCommand {
        @Override
        int run(Services s, PrintWriter out) {
            List<OutboundQueue.Entry> entries = s.queue().entries();
            if (entries.isEmpty()) {
                out.println("the queue is empty");
                return 0;
            }
            out.printf("%-8s %-16s %-7s %s%n", "ID", "QUEUED (UTC)", "SIZE", "FROM");
            for (OutboundQueue.Entry e : entries) {
                out.printf("%-8d %-16s %-7s %s%n", e.id(), TIME.format(Instant.ofEpochMilli(e.created())),
                        Sizes.human(e.blob().size()), e.envelope().nullSender() ? "<> (a notice)" : e.envelope().mailFrom());
                for (OutboundQueue.Recipient r : e.recipients()) {
                    String state = r.state().name().toLowerCase(Locale.ROOT);
                    String when = r.state() == OutboundQueue.State.PENDING
                            ? ", next " + TIME.format(Instant.ofEpochMilli(r.nextAttempt())) : "";
                    out.printf("    %s: %s, %d attempt%s%s%s%n", r.address(), state, r.attempts(), r.attempts() == 1 ? "" : "s",
                            when, r.lastReply() == null || r.lastReply().isEmpty() ? "" : "; last answer: " + r.lastReply());
                }
            }
            out.println(entries.size() + (entries.size() == 1 ? " message" : " messages"));
            return 0;
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true,
            description = "Try the pending recipients of message ID now, without waiting for its next attempt.")
    static final class Retry extends StoreCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The queue id that 'postern queue list' shows.")
        long id;

        @Override
        int run(Services s, PrintWriter out) {
            checkId(id);
            if (!s.queue().retryNow(id, s.clock().millis())) {
                throw new CommandFailed("no message " + id + " waits in the queue ('postern queue list' shows those that do)");
            }
            out.println("message " + id + " will be tried again now");
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Remove message ID from the queue without delivering it; its sender is not told.")
    static final class Delete extends StoreCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The queue id that 'postern queue list' shows.")
        long id;

        @Override
        int run(Services s, PrintWriter out) {
            checkId(id);
            if (!s.queue().delete(id)) {
                throw new CommandFailed("no message " + id + " in the queue ('postern queue list' shows those that are)");
            }
            out.println("message " + id + " removed from the queue; it will not be delivered");
            return 0;
        }
    }

    private static void checkId(long id) {
        if (id <= 0) {
            throw new CommandFailed("ID: queue ids are positive numbers, as 'postern queue list' shows them", 2);
        }
    }
}
