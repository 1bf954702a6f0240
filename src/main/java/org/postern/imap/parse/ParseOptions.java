package org.postern.imap.parse;

/**
 * What the parser must know of the session's state.
 *
 * @param utf8 UTF8=ACCEPT (RFC 6855) or IMAP4rev2 (RFC 9051) is enabled: mailbox names are
 *             UTF-8 as sent instead of modified UTF-7
 */
public record ParseOptions(boolean utf8) {
    public static final ParseOptions DEFAULT = new ParseOptions(false);
    public static final ParseOptions UTF8 = new ParseOptions(true);
}
