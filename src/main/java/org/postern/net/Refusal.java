package org.postern.net;

/** Why a listener turned a connection away before its handler saw it. */
public enum Refusal {
    /** The listener serves its maximum number of connections. */
    TOO_MANY_CONNECTIONS("too many connections"),
    /** The client's address (IPv6: its /64) has the maximum number of connections. */
    TOO_MANY_FROM_ADDRESS("too many connections from this address");

    private final String text;

    Refusal(String text) {
        this.text = text;
    }

    /** Plain words for logs. */
    public String text() {
        return text;
    }
}
