package org.postern.store;

import java.util.Optional;

/** Special-use mailbox attributes (RFC 6154 §2). */
public enum SpecialUse {
    ALL("\\All"),
    ARCHIVE("\\Archive"),
    DRAFTS("\\Drafts"),
    FLAGGED("\\Flagged"),
    JUNK("\\Junk"),
    SENT("\\Sent"),
    TRASH("\\Trash");

    private final String attribute;

    SpecialUse(String attribute) {
        this.attribute = attribute;
    }

    /** The attribute as IMAP writes it, e.g. {@code \Sent}. */
    public String attribute() {
        return attribute;
    }

    public static Optional<SpecialUse> fromAttribute(String attribute) {
        for (SpecialUse u : values()) {
            if (u.attribute.equalsIgnoreCase(attribute)) {
                return Optional.of(u);
            }
        }
        return Optional.empty();
    }
}
