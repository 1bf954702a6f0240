package org.postern.imap.parse;

/** A STATUS data item ({@code status-att}, RFC 9051 §6.3.11), also used by LIST-STATUS (RFC 5819). */
public enum StatusItem {
    MESSAGES, UIDNEXT, UIDVALIDITY, UNSEEN,
    /** RFC 9051 §6.3.11: messages with \Deleted. */
    DELETED,
    /** RFC 9051 §6.3.11: the mailbox size in octets. */
    SIZE,
    /** IMAP4rev1 only (RFC 3501 §6.3.10). */
    RECENT,
    /** RFC 7162 §3.1.6 (CONDSTORE). */
    HIGHESTMODSEQ,
    /** RFC 7889 §3.2. */
    APPENDLIMIT,
    /** RFC 8474 §4.1 (OBJECTID). */
    MAILBOXID,
    /** RFC 9208 §4.2.1 (QUOTA): the octets of messages with \\Deleted. */
    DELETED_STORAGE;

    /** The name on the wire, such as {@code DELETED-STORAGE}. */
    public String wireName() {
        return name().replace('_', '-');
    }

    static StatusItem byWireName(String upper) {
        for (StatusItem s : values()) {
            if (s.wireName().equals(upper)) {
                return s;
            }
        }
        return null;
    }
}
