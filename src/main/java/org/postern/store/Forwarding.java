package org.postern.store;

import java.util.List;
import java.util.Objects;

/**
 * An account's forwarding (Gmail's "Forwarding and POP/IMAP"): the addresses it may forward to,
 * each confirmed by a link mailed to it, and which one, if any, gets a copy of incoming mail.
 *
 * @param to        the confirmed address that gets a copy of each message delivered to INBOX,
 *                  or null when forwarding is off
 * @param keep      what happens to Postern's copy: keep it, mark it read, archive it, or move
 *                  it to Trash ("delete Postern's copy") — the same four as after a POP download
 * @param addresses every address added, confirmed or still waiting for its link
 */
public record Forwarding(String to, PopSettings.AfterDownload keep, List<Address> addresses) {

    public Forwarding {
        Objects.requireNonNull(keep, "keep");
        addresses = List.copyOf(addresses);
    }

    public boolean on() {
        return to != null;
    }

    /** A forwarding address; {@code confirmed} is null until its link was followed. */
    public record Address(String address, long requested, Long confirmed) {
        public boolean isConfirmed() {
            return confirmed != null;
        }
    }

    /** A followed confirmation link: which account may now forward to which address. */
    public record Confirmed(long accountId, String address) {}
}
