package org.postern.mime;

import java.util.List;

/** Builds the ENVELOPE of a message from its header (RFC 3501 §7.4.2). */
final class EnvelopeBuilder {

    private EnvelopeBuilder() {
    }

    static Envelope build(RawHeader header) {
        List<Address> from = AddressParser.parse(header.get("from"));
        List<Address> sender = AddressParser.parse(header.get("sender"));
        List<Address> replyTo = AddressParser.parse(header.get("reply-to"));
        return new Envelope(
                header.get("date"),
                header.get("subject"),
                from,
                sender.isEmpty() ? from : sender,
                replyTo.isEmpty() ? from : replyTo,
                AddressParser.parse(header.get("to")),
                AddressParser.parse(header.get("cc")),
                AddressParser.parse(header.get("bcc")),
                header.get("in-reply-to"),
                header.get("message-id"));
    }
}
