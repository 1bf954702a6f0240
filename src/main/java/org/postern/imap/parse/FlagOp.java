package org.postern.imap.parse;

/** What STORE does with its flags (RFC 9051 §6.4.6). */
public enum FlagOp {
    /** {@code +FLAGS}. */
    ADD,
    /** {@code -FLAGS}. */
    REMOVE,
    /** {@code FLAGS}. */
    REPLACE
}
