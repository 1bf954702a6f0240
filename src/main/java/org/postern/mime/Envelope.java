package org.postern.mime;

import java.util.ArrayList;
import java.util.List;

/**
 * The ENVELOPE of a message (RFC 3501 §7.4.2, RFC 9051 §7.5.2): raw header values, unfolded.
 *
 * <p>String fields are null when the header is absent (NIL); address lists are empty when the
 * header is absent or holds no address (NIL). {@code sender} and {@code replyTo} already hold
 * {@code from} when their header is absent or empty, as the RFC requires.
 */
public record Envelope(
        String date,
        String subject,
        List<Address> from,
        List<Address> sender,
        List<Address> replyTo,
        List<Address> to,
        List<Address> cc,
        List<Address> bcc,
        String inReplyTo,
        String messageId) {

    public static final Envelope EMPTY =
            new Envelope(null, null, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), null, null);

    public Envelope {
        from = List.copyOf(from);
        sender = List.copyOf(sender);
        replyTo = List.copyOf(replyTo);
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        bcc = List.copyOf(bcc);
    }

    /** Every mailbox of a list, group members included, in order. */
    public static List<Address.Mailbox> mailboxes(List<Address> addresses) {
        List<Address.Mailbox> out = new ArrayList<>();
        for (Address a : addresses) {
            switch (a) {
                case Address.Mailbox m -> out.add(m);
                case Address.Group g -> out.addAll(g.members());
            }
        }
        return out;
    }
}
