package org.postern.store;

/**
 * A mailbox as stored. Names are full hierarchical names with {@code /} as the separator, in
 * UTF-8; {@code INBOX} is always spelt in capitals.
 */
public record Mailbox(
        long id,
        long accountId,
        String name,
        SpecialUse specialUse,
        long uidValidity,
        long uidNext,
        long highestModSeq) {

    public static final String INBOX = "INBOX";
    public static final char SEPARATOR = '/';

    public boolean isInbox() {
        return INBOX.equals(name);
    }

    /** Normalises a name as the store keeps it: any case of "inbox" is INBOX (RFC 9051 §5.1). */
    public static String normalize(String name) {
        if (name.equalsIgnoreCase(INBOX)) {
            return INBOX;
        }
        if (name.length() > INBOX.length() && name.charAt(INBOX.length()) == SEPARATOR
                && name.regionMatches(true, 0, INBOX, 0, INBOX.length())) {
            return INBOX + name.substring(INBOX.length());
        }
        return name;
    }
}
