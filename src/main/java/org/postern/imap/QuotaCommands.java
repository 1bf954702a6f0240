package org.postern.imap;

import java.io.IOException;
import org.postern.imap.AuthCommands.Done;
import org.postern.imap.parse.Command;
import org.postern.store.Mailbox;

/**
 * QUOTA (RFC 9208): one quota root per account, named {@code ""}, over every mailbox of the
 * account, with the STORAGE resource: the account's messages in units of 1024 octets, each stored
 * message counted once however many mailboxes hold it (a COPY adds no storage). The limit is the
 * account's quota, or {@code limits.quota} when it has none; with no limit at all, mailboxes have
 * no quota root. Limits are set by the administrator ({@code postern account set EMAIL quota=}),
 * never over IMAP.
 */
final class QuotaCommands {
    /** The name of an account's quota root. */
    static final String ROOT = "";

    private QuotaCommands() {}

    /** RFC 9208 §4.2. */
    static Done getQuota(Session s, Command.GetQuota c) throws IOException {
        long limit = limitBytes(s);
        if (!c.root().equals(ROOT) || limit <= 0) {
            throw ImapException.no("NONEXISTENT", "No such quota root; GETQUOTAROOT names the roots of a mailbox (Failure)");
        }
        s.out.untagged(quotaLine(s, limit));
        return new Done(null, "GETQUOTA completed (Success)");
    }

    /** RFC 9208 §4.3: the roots of an existing mailbox, then each root's usage and limits. */
    static Done getQuotaRoot(Session s, Command.GetQuotaRoot c) throws IOException {
        Mailbox mailbox = s.mailbox(c.mailbox());
        long limit = limitBytes(s);
        s.out.untagged("QUOTAROOT " + s.wireName(mailbox.name()) + (limit > 0 ? " " + Responses.string(ROOT, false) : ""));
        if (limit > 0) {
            s.out.untagged(quotaLine(s, limit));
        }
        return new Done(null, "GETQUOTAROOT completed (Success)");
    }

    /** RFC 9208 §4.1: only an administrator may set limits, and IMAP has none. */
    static Done setQuota(Session s, Command.SetQuota c) {
        throw ImapException.no("NOPERM", "Quotas are set by the server administrator, not over IMAP (Failure)");
    }

    private static String quotaLine(Session s, long limit) {
        long used = s.services.store().usedBytes(s.accountId());
        // RFC 9208 §5.1: STORAGE counts units of 1024 octets; a started unit counts as used
        return "QUOTA " + Responses.string(ROOT, false) + " (STORAGE " + (used + 1023) / 1024 + " " + limit / 1024 + ")";
    }

    /** The account's storage limit in bytes as now configured; 0 for none. */
    static long limitBytes(Session s) {
        long own = s.services.directory().account(s.accountId()).map(a -> a.quotaBytes()).orElse(s.account().quotaBytes());
        return own > 0 ? own : s.services.settings().defaultQuota();
    }

    /** NO [OVERQUOTA] (RFC 9208 §5.2) when {@code incoming} more bytes would take the account over its limit. */
    static void checkRoom(Session s, long incoming) {
        long limit = limitBytes(s);
        if (limit > 0 && s.services.store().usedBytes(s.accountId()) + incoming > limit) {
            throw ImapException.no("OVERQUOTA", "The account is over its storage quota; delete some mail first (Failure)");
        }
    }
}
