package org.postern.delivery;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.postern.mime.MessageParser;
import org.postern.mime.ParsedMessage;
import org.postern.store.BlobStore;
import org.postern.store.Directory;
import org.postern.store.Directory.Account;
import org.postern.store.MailStore;
import org.postern.store.Mailbox;
import org.postern.store.MessageData;
import org.postern.store.OutboundQueue;
import org.postern.store.SpecialUse;
import org.postern.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local delivery: a raw message and its recipients in, the message stored durably out. SMTP,
 * import, IMAP APPEND and tests all come through here, so every message is parsed once, the same
 * way, and acknowledged only once it is on disk (DESIGN.md, Durability).
 *
 * <p>A message that is not valid MIME is still delivered: the parser falls back to one
 * text/plain part, and delivery never fails on content.
 */
public final class LocalDelivery {
    private static final Logger log = LoggerFactory.getLogger(LocalDelivery.class);

    /** Where in the recipient's account a delivered message goes. */
    public enum Folder {
        INBOX,
        JUNK
    }

    /** One recipient's message, stored. */
    public record Delivered(String recipient, String account, MailStore.Added added) {}

    /** One recipient that got nothing, with the reason in plain words. */
    public record Refused(String recipient, String reason) {}

    public record Outcome(List<Delivered> delivered, List<Refused> refused) {}

    /** The message is larger than the configured limit; nothing was stored. */
    public static final class TooLarge extends IOException {
        public TooLarge(long limit) {
            super("the message is larger than the limit of " + limit + " bytes");
        }
    }

    private final MailStore store;
    private final Directory directory;
    private final Clock clock;
    private final long maxMessageSize;
    private final Forwarder forwarder;

    public LocalDelivery(MailStore store, Directory directory, Clock clock, long maxMessageSize) {
        this(store, directory, clock, maxMessageSize, null);
    }

    /**
     * With {@code queue}, forwarding to remote addresses goes out through the outbound queue: the
     * store writes the queue entry in the delivery's transaction ({@link MailStore#deliver(MessageData,
     * List, List)}), so {@code queue} must keep its entries in the same database as {@code store}.
     */
    public LocalDelivery(MailStore store, Directory directory, Clock clock, long maxMessageSize, OutboundQueue queue) {
        this.store = store;
        this.directory = directory;
        this.clock = clock;
        this.maxMessageSize = maxMessageSize;
        this.forwarder = new Forwarder(store, directory, queue != null);
    }

    public long maxMessageSize() {
        return maxMessageSize;
    }

    /**
     * Delivers {@code raw} to each recipient's INBOX (or Junk): one transaction for all of them,
     * and one copy per account even when several recipients lead to the same account. Unknown
     * recipients are refused, the others still get the message.
     */
    public Outcome deliver(InputStream raw, List<String> recipients, Folder folder) throws IOException {
        Map<Long, String> accounts = new LinkedHashMap<>();
        List<Refused> refused = new ArrayList<>();
        List<String> delivering = new ArrayList<>();
        for (String r : recipients) {
            Optional<Account> a = directory.resolve(r);
            if (a.isEmpty()) {
                refused.add(new Refused(r, "no such user here"));
            } else {
                delivering.add(r);
                accounts.putIfAbsent(a.get().id(), a.get().email());
            }
        }
        if (accounts.isEmpty()) {
            return new Outcome(List.of(), refused);
        }
        MessageData data = store(raw, clock.millis());
        // Gmail forwards what arrives in the inbox, not spam. Postern's copies come first, one per
        // account in order; then the forwarded copies for local accounts (once per mailbox).
        List<MailStore.Copy> copies = new ArrayList<>();
        List<MailStore.Copy> forwarded = new ArrayList<>();
        List<OutboundQueue.Envelope> outbound = new ArrayList<>();
        List<String> forwards = new ArrayList<>();
        for (long accountId : accounts.keySet()) {
            Mailbox target = target(accountId, folder);
            Optional<Account> a = folder == Folder.INBOX ? directory.account(accountId) : Optional.empty();
            Forwarder.Plan plan = a.isPresent() ? forwarder.plan(a.get(), target.id()) : Forwarder.Plan.none(target.id());
            copies.add(plan.own());
            if (plan.localForward() != null) {
                forwarded.add(plan.localForward());
            }
            if (plan.outbound() != null) {
                outbound.add(plan.outbound());
            }
            if (plan.description() != null) {
                forwards.add(plan.description());
            }
        }
        for (MailStore.Copy f : forwarded) {
            if (copies.stream().noneMatch(c -> c.mailboxId() == f.mailboxId())) {
                copies.add(f);
            }
        }
        List<MailStore.Added> added = store.deliver(data, copies, outbound);
        List<Delivered> delivered = new ArrayList<>();
        List<String> accountEmails = new ArrayList<>(accounts.values());
        for (String r : delivering) {
            Account a = directory.resolve(r).orElseThrow();
            int i = accountEmails.indexOf(a.email());
            delivered.add(new Delivered(r, a.email(), added.get(i)));
        }
        log.info("delivered {} bytes to {}", data.size(), accountEmails);
        forwards.forEach(log::info);
        return new Outcome(delivered, refused);
    }

    /**
     * Stores {@code raw} as a new message of one mailbox (IMAP APPEND, the Sent copy of a
     * submitted message, import).
     */
    public MailStore.Added append(long mailboxId, InputStream raw, int flags, Set<String> keywords, long internalDate)
            throws IOException {
        MessageData data = store(raw, internalDate);
        return store.append(mailboxId, data, flags, keywords);
    }

    private Mailbox target(long accountId, Folder folder) {
        if (folder == Folder.JUNK) {
            Optional<Mailbox> junk = store.mailboxes(accountId).stream()
                    .filter(m -> m.specialUse() == SpecialUse.JUNK).findFirst();
            if (junk.isPresent()) {
                return junk.get();
            }
        }
        return store.mailbox(accountId, Mailbox.INBOX)
                .orElseThrow(() -> StoreException.temporary("account " + accountId + " has no INBOX", null));
    }

    /**
     * Writes the blob durably, then parses it from the file (never holding the message in
     * memory), and returns what the store keeps.
     */
    MessageData store(InputStream raw, long received) throws IOException {
        BlobStore.Blob blob;
        try {
            blob = store.blobs().put(raw, maxMessageSize);
        } catch (BlobStore.TooLargeException e) {
            throw new TooLarge(maxMessageSize);
        }
        ParsedMessage parsed;
        try (FileChannel ch = store.blobs().open(blob.sha256());
             InputStream in = new BufferedInputStream(Channels.newInputStream(ch), 64 * 1024)) {
            parsed = MessageParser.parse(in);
        }
        Long sent = parsed.sentDate().isPresent() ? parsed.sentDate().getAsLong() : null;
        String from = parsed.from() == null ? null : parsed.from().address();
        return new MessageData(blob.sha256(), blob.size(), received, sent,
                parsed.subject().isEmpty() ? null : parsed.subject(), from, parsed.messageId(), parsed.encode());
    }
}
