package org.postern.delivery;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.postern.store.BlobStore;
import org.postern.store.Directory;
import org.postern.store.Directory.Account;
import org.postern.store.Flags;
import org.postern.store.Forwarding;
import org.postern.store.MailStore;
import org.postern.store.Mailbox;
import org.postern.store.MessageData;
import org.postern.store.OutboundQueue;
import org.postern.store.SpecialUse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gmail's forwarding, applied after a message was delivered to an account's INBOX: a copy goes to
 * the account's confirmed forwarding address — through local delivery when that address is
 * local, else into the outbound queue — and Postern's copy is then kept, marked read, archived or
 * moved to Trash. One hop only: a forwarded copy is not forwarded again, so two accounts that
 * forward to each other cannot loop.
 *
 * <p>The original message is already durable when this runs; a failure here is logged and never
 * undoes its delivery.
 */
final class Forwarder {
    private static final Logger log = LoggerFactory.getLogger(Forwarder.class);

    private final MailStore store;
    private final Directory directory;
    private final OutboundQueue queue;
    private final Clock clock;

    Forwarder(MailStore store, Directory directory, OutboundQueue queue, Clock clock) {
        this.store = store;
        this.directory = directory;
        this.queue = queue;
        this.clock = clock;
    }

    /** Forwards one delivered message of {@code account}, if its forwarding is on. */
    void forward(Account account, MessageData data, MailStore.Added added) {
        try {
            Forwarding f = directory.forwarding(account.id());
            if (!f.on()) {
                return;
            }
            Optional<Account> local = directory.resolve(f.to());
            if (local.isPresent()) {
                if (local.get().id() == account.id()) {
                    return;
                }
                Mailbox inbox = store.mailbox(local.get().id(), Mailbox.INBOX).orElseThrow();
                store.deliver(data, List.of(inbox.id()));
            } else if (queue != null) {
                queue.enqueue(new BlobStore.Blob(data.blob(), data.size()), new OutboundQueue.Envelope(account.email(),
                        List.of(f.to()), OutboundQueue.Body.EIGHT_BIT_MIME, false, account.id()), clock.millis());
            } else {
                log.warn("cannot forward mail of {} to {}: no outbound queue here", account.email(), f.to());
                return;
            }
            keep(account, added, f);
            log.info("forwarded a message of {} to {} ({} Postern's copy)", account.email(), f.to(), f.keep().word());
        } catch (RuntimeException e) {
            log.warn("forwarding a message of {} failed: {}", account.email(), e.getMessage());
        }
    }

    private void keep(Account account, MailStore.Added added, Forwarding f) {
        long[] uid = {added.uid()};
        switch (f.keep()) {
            case KEEP -> { }
            case READ -> store.setFlags(added.mailboxId(), uid, MailStore.FlagOp.ADD, Flags.SEEN, Set.of(), -1);
            case ARCHIVE -> moveTo(account, added, uid, SpecialUse.ARCHIVE);
            case TRASH -> moveTo(account, added, uid, SpecialUse.TRASH);
        }
    }

    private void moveTo(Account account, MailStore.Added added, long[] uid, SpecialUse use) {
        store.mailboxes(account.id()).stream().filter(m -> m.specialUse() == use).findFirst()
                .ifPresent(m -> store.move(added.mailboxId(), uid, m.id()));
    }
}
