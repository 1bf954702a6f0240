package org.postern.delivery;

import java.util.List;
import java.util.Optional;
import org.postern.store.Directory;
import org.postern.store.Directory.Account;
import org.postern.store.Flags;
import org.postern.store.Forwarding;
import org.postern.store.MailStore;
import org.postern.store.Mailbox;
import org.postern.store.OutboundQueue;
import org.postern.store.SpecialUse;
import org.postern.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gmail's forwarding, for a message that arrives in an account's INBOX: a copy goes to the
 * account's confirmed forwarding address — into that account's INBOX when the address is local,
 * else into the outbound queue — and Postern's copy is kept, marked read, archived or put in
 * Trash. One hop only: a forwarded copy is not forwarded again, so two accounts that forward to
 * each other cannot loop.
 *
 * <p>This class only plans: {@link LocalDelivery} stores Postern's copy (already read, or
 * already in Archive or Trash), the forwarded copy and the queue entry in one transaction, so a
 * crash cannot leave a delivered message whose forward was never queued, nor queue one twice
 * (DESIGN.md, Durability).
 */
final class Forwarder {
    private static final Logger log = LoggerFactory.getLogger(Forwarder.class);

    /**
     * Where a delivered message goes: Postern's own copy, and the forward — a copy for another
     * local account's INBOX or an envelope for the outbound queue (at most one of them).
     */
    record Plan(MailStore.Copy own, MailStore.Copy localForward, OutboundQueue.Envelope outbound, String description) {
        static Plan none(long inboxId) {
            return new Plan(new MailStore.Copy(inboxId, 0), null, null, null);
        }
    }

    private final MailStore store;
    private final Directory directory;
    private final boolean remote;

    /** {@code remote}: whether forwards to other servers may be queued here. */
    Forwarder(MailStore store, Directory directory, boolean remote) {
        this.store = store;
        this.directory = directory;
        this.remote = remote;
    }

    /**
     * What to store for one message arriving in {@code account}'s INBOX ({@code inboxId}).
     * Reading the settings may fail (the store is unavailable): the delivery then fails as a
     * whole, temporarily, rather than store the message without its forward.
     */
    Plan plan(Account account, long inboxId) {
        Forwarding f = directory.forwarding(account.id());
        if (!f.on()) {
            return Plan.none(inboxId);
        }
        MailStore.Copy forward = null;
        OutboundQueue.Envelope outbound = null;
        Optional<Account> local = directory.resolve(f.to());
        if (local.isPresent()) {
            if (local.get().id() == account.id()) {
                return Plan.none(inboxId);
            }
            Mailbox inbox = store.mailbox(local.get().id(), Mailbox.INBOX).orElseThrow(() ->
                    StoreException.temporary("account " + local.get().email() + " has no INBOX", null));
            forward = new MailStore.Copy(inbox.id(), 0);
        } else if (remote) {
            outbound = new OutboundQueue.Envelope(account.email(), List.of(f.to()), OutboundQueue.Body.EIGHT_BIT_MIME,
                    false, account.id());
        } else {
            log.warn("cannot forward mail of {} to {}: no outbound queue here", account.email(), f.to());
            return Plan.none(inboxId);
        }
        MailStore.Copy own = switch (f.keep()) {
            case KEEP -> new MailStore.Copy(inboxId, 0);
            case READ -> new MailStore.Copy(inboxId, Flags.SEEN);
            case ARCHIVE -> new MailStore.Copy(mailbox(account, SpecialUse.ARCHIVE, inboxId), 0);
            case TRASH -> new MailStore.Copy(mailbox(account, SpecialUse.TRASH, inboxId), 0);
        };
        return new Plan(own, forward, outbound, "forwarded a message of " + account.email() + " to " + f.to() + " ("
                + f.keep().word() + " Postern's copy)");
    }

    /** The account's mailbox of that special use; INBOX when it has none. */
    private long mailbox(Account account, SpecialUse use, long inboxId) {
        return store.mailboxes(account.id()).stream().filter(m -> m.specialUse() == use).findFirst().map(Mailbox::id).orElse(inboxId);
    }
}
