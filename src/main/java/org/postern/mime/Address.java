package org.postern.mime;

import java.util.List;
import java.util.Objects;

/**
 * An address of an address header as IMAP's ENVELOPE shows it (RFC 3501 §7.4.2).
 *
 * <p>Names are kept raw (RFC 2047 encoded words are not decoded, quotes are removed), as the
 * ENVELOPE requires; {@link Mailbox#decodedName()} decodes them for display, sorting and search.
 */
public sealed interface Address permits Address.Mailbox, Address.Group {

    /**
     * One mailbox.
     *
     * @param name display name (the phrase, or a comment when there is no phrase), or null
     * @param adl obsolete source route such as "@relay1,@relay2", or null
     * @param mailbox local part, never null (may be empty)
     * @param host domain, never null; empty when the address had no domain (NIL would mean a
     *     group in IMAP)
     */
    record Mailbox(String name, String adl, String mailbox, String host) implements Address {
        public Mailbox {
            Objects.requireNonNull(mailbox, "mailbox");
            Objects.requireNonNull(host, "host");
        }

        /** "mailbox@host", or just the mailbox when there is no host. */
        public String address() {
            return host.isEmpty() ? mailbox : mailbox + "@" + host;
        }

        /** The display name with RFC 2047 encoded words decoded, or null. */
        public String decodedName() {
            return name == null ? null : EncodedWords.decode(name);
        }
    }

    /**
     * The addresses of an unfolded address header value (From, To, ...), leniently as ENVELOPE
     * reads them; empty for garbage. SMTP submission uses it to check the From header.
     */
    static List<Address> parseList(String value) {
        return AddressParser.parse(value);
    }

    /** A group (RFC 5322 §3.4): its raw display name and its members. */
    record Group(String name, List<Mailbox> members) implements Address {
        public Group {
            Objects.requireNonNull(name, "name");
            members = List.copyOf(members);
        }
    }
}
