package org.postern.imap;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.postern.mime.ParsedMessage;
import org.postern.store.StoredMessage;

/**
 * The object ids of OBJECTID (RFC 8474), derived from what the store already keeps, so nothing
 * new is stored and every session computes the same ids:
 * <ul>
 *   <li>MAILBOXID: {@code F} and the mailbox's UIDVALIDITY, which the store never hands out twice
 *       and keeps across RENAME (§4.1);</li>
 *   <li>EMAILID: {@code M}, the account-wide message id and the start of the content hash; copies
 *       of one stored message share it (§5.1), and a message id the database gives again later
 *       (after the newest message was deleted) comes with other content, so another EMAILID;</li>
 *   <li>THREADID: {@code T} and a hash of the account and the thread's first message id — the
 *       first of References, else of In-Reply-To, else the message's own Message-ID (§5.2). A
 *       message without any of them is a thread of its own.</li>
 * </ul>
 */
final class ObjectIds {
    private ObjectIds() {}

    static String mailboxId(long uidValidity) {
        return "F" + uidValidity;
    }

    static String emailId(StoredMessage m) {
        return "M" + Long.toString(m.messageId(), 36) + "_" + m.blob().substring(0, Math.min(12, m.blob().length()));
    }

    static String threadId(long accountId, StoredMessage m, ParsedMessage p) {
        String root = !p.references().isEmpty() ? p.references().getFirst()
                : !p.inReplyTo().isEmpty() ? p.inReplyTo().getFirst() : p.messageId();
        String key = root == null || root.isEmpty() ? "E" + emailId(m) : "R" + root;
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest((accountId + "\0" + key).getBytes(StandardCharsets.UTF_8));
            return "T" + HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
