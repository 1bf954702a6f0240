package org.postern.mime;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Renders ENVELOPE, BODY and BODYSTRUCTURE values exactly as RFC 3501 §7.4.2 and RFC 9051 §7.5.2
 * define them. The results are the values only (what follows "ENVELOPE " or "BODYSTRUCTURE " in
 * a FETCH response), as bytes ready to write.
 *
 * <p>Conventions: case-insensitive tokens (type, subtype, parameter names, encoding, disposition
 * type) are upper-cased, values are as in the message; a text part without a charset parameter
 * gets ("CHARSET" "US-ASCII"); the extension data of BODYSTRUCTURE always has all four fields
 * (md5/params, disposition, language, location), NIL when absent; a multipart without parts
 * shows one empty text/plain part, as the grammar needs at least one.
 */
public final class ImapRender {

    private static final String EMPTY_PART = "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 0 0";

    private ImapRender() {
    }

    /** The ENVELOPE of a message, in US-ASCII mode. */
    public static byte[] envelope(ParsedMessage message) {
        return envelope(message.envelope(), false);
    }

    /** An ENVELOPE; {@code utf8Accept} once the client enabled UTF8=ACCEPT. */
    public static byte[] envelope(Envelope envelope, boolean utf8Accept) {
        return bytes(appendEnvelope(new StringBuilder(), envelope, utf8Accept));
    }

    /** BODYSTRUCTURE ({@code extensible}) or BODY (not) of a message, in US-ASCII mode. */
    public static byte[] bodyStructure(ParsedMessage message, boolean extensible) {
        return bodyStructure(message, extensible, false);
    }

    /** BODYSTRUCTURE or BODY; {@code utf8Accept} once the client enabled UTF8=ACCEPT. */
    public static byte[] bodyStructure(ParsedMessage message, boolean extensible, boolean utf8Accept) {
        return bytes(appendBody(new StringBuilder(), message.root(), extensible, utf8Accept));
    }

    private static byte[] bytes(StringBuilder sb) {
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    // RFC 3501 §7.4.2 envelope
    static StringBuilder appendEnvelope(StringBuilder out, Envelope e, boolean utf8) {
        out.append('(');
        ImapStrings.appendNString(out, e.date(), utf8).append(' ');
        ImapStrings.appendNString(out, e.subject(), utf8).append(' ');
        appendAddresses(out, e.from(), utf8).append(' ');
        appendAddresses(out, e.sender(), utf8).append(' ');
        appendAddresses(out, e.replyTo(), utf8).append(' ');
        appendAddresses(out, e.to(), utf8).append(' ');
        appendAddresses(out, e.cc(), utf8).append(' ');
        appendAddresses(out, e.bcc(), utf8).append(' ');
        ImapStrings.appendNString(out, e.inReplyTo(), utf8).append(' ');
        ImapStrings.appendNString(out, e.messageId(), utf8);
        return out.append(')');
    }

    private static StringBuilder appendAddresses(StringBuilder out, List<Address> addresses, boolean utf8) {
        if (addresses.isEmpty()) {
            return out.append("NIL");
        }
        out.append('(');
        for (Address a : addresses) {
            switch (a) {
                case Address.Mailbox m -> appendMailbox(out, m, utf8);
                case Address.Group g -> {
                    // RFC 3501 §7.4.2: group start is (NIL NIL name NIL), group end (NIL NIL NIL NIL)
                    out.append("(NIL NIL ");
                    ImapStrings.appendString(out, g.name(), utf8).append(" NIL)");
                    for (Address.Mailbox m : g.members()) {
                        appendMailbox(out, m, utf8);
                    }
                    out.append("(NIL NIL NIL NIL)");
                }
            }
        }
        return out.append(')');
    }

    private static void appendMailbox(StringBuilder out, Address.Mailbox m, boolean utf8) {
        out.append('(');
        ImapStrings.appendNString(out, m.name(), utf8).append(' ');
        ImapStrings.appendNString(out, m.adl(), utf8).append(' ');
        ImapStrings.appendString(out, m.mailbox(), utf8).append(' ');
        ImapStrings.appendString(out, m.host(), utf8).append(')');
    }

    // RFC 3501 §7.4.2 body / RFC 9051 §7.5.2
    static StringBuilder appendBody(StringBuilder out, BodyPart part, boolean ext, boolean utf8) {
        out.append('(');
        switch (part) {
            case BodyPart.Multipart m -> appendMultipart(out, m, ext, utf8);
            case BodyPart.Message msg -> {
                appendBodyFields(out, msg.fields(), msg.span(), utf8);
                out.append(' ');
                appendEnvelope(out, msg.envelope(), utf8).append(' ');
                appendBody(out, msg.body(), ext, utf8);
                out.append(' ').append(msg.span().bodyLines());
                appendSinglePartExtension(out, msg.fields(), ext, utf8);
            }
            case BodyPart.Leaf leaf -> {
                appendBodyFields(out, leaf.fields(), leaf.span(), utf8);
                if (leaf.fields().isText()) {
                    out.append(' ').append(leaf.span().bodyLines());
                }
                appendSinglePartExtension(out, leaf.fields(), ext, utf8);
            }
        }
        return out.append(')');
    }

    private static void appendMultipart(StringBuilder out, BodyPart.Multipart m, boolean ext, boolean utf8) {
        if (m.children().isEmpty()) {
            out.append(EMPTY_PART).append(ext ? " NIL NIL NIL NIL)" : ")");
        }
        for (BodyPart child : m.children()) {
            appendBody(out, child, ext, utf8);
        }
        out.append(' ');
        ImapStrings.appendString(out, upper(m.fields().subtype()), utf8);
        if (ext) {
            // body-ext-mpart: params, disposition, language, location
            out.append(' ');
            appendParams(out, m.fields().params(), false, utf8);
            appendDispositionLanguageLocation(out, m.fields(), utf8);
        }
    }

    /** type, subtype, params, id, description, encoding, size (body-type-basic's shared fields). */
    private static void appendBodyFields(StringBuilder out, MimeFields f, Span span, boolean utf8) {
        ImapStrings.appendString(out, upper(f.type()), utf8).append(' ');
        ImapStrings.appendString(out, upper(f.subtype()), utf8).append(' ');
        appendParams(out, f.params(), f.isText(), utf8);
        out.append(' ');
        ImapStrings.appendNString(out, f.id(), utf8).append(' ');
        ImapStrings.appendNString(out, f.description(), utf8).append(' ');
        ImapStrings.appendString(out, upper(f.encodingOrDefault()), utf8).append(' ');
        out.append(span.bodySize());
    }

    private static void appendSinglePartExtension(StringBuilder out, MimeFields f, boolean ext, boolean utf8) {
        if (!ext) {
            return;
        }
        // body-ext-1part: md5, disposition, language, location
        out.append(' ');
        ImapStrings.appendNString(out, f.md5(), utf8);
        appendDispositionLanguageLocation(out, f, utf8);
    }

    private static void appendDispositionLanguageLocation(StringBuilder out, MimeFields f, boolean utf8) {
        out.append(' ');
        Disposition d = f.disposition();
        if (d == null) {
            out.append("NIL");
        } else {
            out.append('(');
            ImapStrings.appendString(out, upper(d.type()), utf8).append(' ');
            appendParams(out, d.params(), false, utf8);
            out.append(')');
        }
        out.append(' ');
        if (f.language().isEmpty()) {
            out.append("NIL");
        } else {
            out.append('(');
            for (int i = 0; i < f.language().size(); i++) {
                if (i > 0) {
                    out.append(' ');
                }
                ImapStrings.appendString(out, f.language().get(i), utf8);
            }
            out.append(')');
        }
        out.append(' ');
        ImapStrings.appendNString(out, f.location(), utf8);
    }

    private static void appendParams(StringBuilder out, List<Param> params, boolean text, boolean utf8) {
        boolean addCharset = text && Param.find(params, "charset") == null && Param.find(params, "charset*") == null;
        if (params.isEmpty() && !addCharset) {
            out.append("NIL");
            return;
        }
        out.append('(');
        boolean first = true;
        if (addCharset) {
            out.append("\"CHARSET\" \"US-ASCII\""); // RFC 2045 §5.2 default
            first = false;
        }
        for (Param p : params) {
            if (!first) {
                out.append(' ');
            }
            first = false;
            ImapStrings.appendString(out, p.upperName(), utf8).append(' ');
            ImapStrings.appendString(out, p.value(), utf8);
        }
        out.append(')');
    }

    private static String upper(String s) {
        return s.toUpperCase(Locale.ROOT);
    }
}
