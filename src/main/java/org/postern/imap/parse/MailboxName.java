package org.postern.imap.parse;

import java.util.Objects;

/**
 * A mailbox name as Unicode text, decoded from the wire (RFC 9051 §5.1). {@code INBOX} in any
 * case is {@code INBOX} (RFC 9051 §5.1, "case-insensitive"); other names keep their case.
 *
 * <p>A name that cannot be decoded (not modified UTF-7, a control character) is still a
 * {@code mailbox} by the grammar, which only asks for an astring (RFC 9051 §9): it is no syntax
 * error but a name no mailbox can have. The parser keeps it as {@link #invalid}, and the
 * command answers {@code NO} (Dovecot does the same) after doing what a failed command of its
 * kind does, such as a failed SELECT leaving no mailbox selected (RFC 9051 §6.3.2).
 *
 * @param name    the decoded name, a hierarchy spelled with the server's delimiter; for an
 *                invalid name, the text as the client sent it
 * @param problem null, or why the name as sent is not a valid mailbox name
 */
public record MailboxName(String name, String problem) {

    public static final MailboxName INBOX = new MailboxName("INBOX");

    public MailboxName {
        Objects.requireNonNull(name, "name");
        if (problem == null && name.equalsIgnoreCase("INBOX")) {
            name = "INBOX";
        }
    }

    /** A valid, decoded name. */
    public MailboxName(String name) {
        this(name, null);
    }

    /** What the parser makes of a name it cannot decode: see {@link #valid()}. */
    public static MailboxName invalid(String wire, String problem) {
        return new MailboxName(wire, Objects.requireNonNull(problem, "problem"));
    }

    /** Whether the name could be decoded; an invalid name is the name of no mailbox. */
    public boolean valid() {
        return problem == null;
    }

    /**
     * The client's text made safe to quote in a response, and why it is not a valid name: for
     * the NO of a command given an invalid name.
     */
    public String problemText() {
        return '"' + Texts.clip(name).replace('"', '?') + "\" is not a valid mailbox name: " + problem;
    }

    /**
     * Decodes a name from the wire: modified UTF-7 (RFC 3501 §5.1.3), or UTF-8 as it is once
     * UTF8=ACCEPT (RFC 6855 §3) or IMAP4rev2 is enabled.
     *
     * @throws IllegalArgumentException when the name is not valid; the message says why
     */
    public static MailboxName fromWire(String wire, boolean utf8) {
        String name = utf8 ? wire : ModifiedUtf7.decode(wire);
        checkCharacters(name);
        return new MailboxName(name);
    }

    /**
     * RFC 9051 §5.1: names "MUST NOT contain control characters (U+0000-U+001F and
     * U+0080-U+009F), a delete character (U+007F), a line separator (U+2028), or a paragraph
     * separator (U+2029)".
     */
    static void checkCharacters(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029) {
                throw new IllegalArgumentException(String.format(
                        "character U+%04X is not allowed in a mailbox name (RFC 9051 section 5.1)", (int) c));
            }
        }
    }

    public boolean isInbox() {
        return valid() && name.equals("INBOX");
    }

    /** The name for the wire: modified UTF-7, or UTF-8 when {@code utf8} is enabled; an invalid one as sent. */
    public String toWire(boolean utf8) {
        return utf8 || !valid() ? name : ModifiedUtf7.encode(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
