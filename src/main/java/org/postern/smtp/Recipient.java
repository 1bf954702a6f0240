package org.postern.smtp;

import org.postern.store.OutboundQueue;

/**
 * An accepted recipient.
 *
 * @param path    as the client wrote it
 * @param address what delivery uses: {@code local@domain}, the quotes of a plain quoted local part removed
 * @param local   true for a mailbox of this server, false for the outbound queue
 * @param dsn     NOTIFY and ORCPT (RFC 3461 §4.1, §4.2)
 */
record Recipient(MailPath path, String address, boolean local, OutboundQueue.RecipientDsn dsn) {

    Recipient(MailPath path, String address, boolean local) {
        this(path, address, local, OutboundQueue.RecipientDsn.NONE);
    }

    Recipient with(OutboundQueue.RecipientDsn d) {
        return new Recipient(path, address, local, d);
    }
}
