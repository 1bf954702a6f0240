package org.postern.store;

/**
 * What the store keeps of a message besides its membership rows: the blob holding its bytes,
 * the parsed MIME structure (opaque to the store; written by the mime package) and the few
 * header values kept in columns for sorting and threading.
 *
 * @param blob      the SHA-256 of the stored content, which must already be durable in the blob store
 * @param size      the size in bytes (RFC822.SIZE)
 * @param received  the internal date, epoch milliseconds
 * @param sent      the Date: header as epoch milliseconds, or null when absent or unparsable
 * @param subject   the decoded subject, or null
 * @param from      the first From address, or null
 * @param messageId the Message-ID, or null
 * @param structure the parsed structure in the mime package's encoding
 */
public record MessageData(
        String blob,
        long size,
        long received,
        Long sent,
        String subject,
        String from,
        String messageId,
        byte[] structure) {}
