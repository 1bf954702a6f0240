package org.postern.store;

import java.util.Set;

/**
 * One message in one mailbox, as a session sees it.
 *
 * @param messageId the account-wide message id (X-GM-MSGID, OBJECTID EMAILID)
 */
public record StoredMessage(
        long uid,
        long messageId,
        int flags,
        Set<String> keywords,
        long modSeq,
        long saved,
        String blob,
        long size,
        long received) {}
