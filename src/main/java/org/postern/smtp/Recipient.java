package org.postern.smtp;

/**
 * An accepted recipient.
 *
 * @param path    as the client wrote it
 * @param address what delivery uses: {@code local@domain}, the quotes of a plain quoted local part removed
 * @param local   true for a mailbox of this server, false for the outbound queue
 */
record Recipient(MailPath path, String address, boolean local) {}
