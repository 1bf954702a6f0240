package org.postern.mime;

import java.util.List;
import java.util.Objects;

/**
 * The MIME header fields of one entity that IMAP reports (RFC 3501 §7.4.2, RFC 9051 §7.5.2).
 *
 * <p>Tokens that MIME defines as case-insensitive (type, subtype, encoding, disposition type) are
 * kept in lower case; the renderer upper-cases them. Free-form values (id, description, md5,
 * location, parameter values) are kept as they appear in the header, unfolded, with leading
 * white space removed. A missing field is null (an empty list for {@code language}).
 *
 * @param type media type, e.g. "text" (RFC 2045 §5.1); defaulted when absent or invalid
 * @param subtype media subtype, e.g. "plain"
 * @param params Content-Type parameters in header order
 * @param location the URI of Content-Location (RFC 2557 §4.2), comments and folding removed
 * @param encoding Content-Transfer-Encoding token, null when absent or not a token
 *     (which means "7bit", RFC 2045 §6.1)
 */
public record MimeFields(
        String type,
        String subtype,
        List<Param> params,
        String id,
        String description,
        String encoding,
        String md5,
        Disposition disposition,
        List<String> language,
        String location) {

    public MimeFields {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(subtype, "subtype");
        params = List.copyOf(params);
        language = List.copyOf(language);
    }

    /** text/plain with no parameters: RFC 2045 §5.2's default (charset us-ascii is implied). */
    public static MimeFields defaultText() {
        return new MimeFields("text", "plain", List.of(), null, null, null, null, null, List.of(), null);
    }

    /** The default of a part inside multipart/digest (RFC 2046 §5.1.5). */
    public static MimeFields defaultMessage() {
        return defaultText().withType("message", "rfc822");
    }

    public MimeFields withType(String newType, String newSubtype) {
        return new MimeFields(newType, newSubtype, params, id, description, encoding, md5,
                disposition, language, location);
    }

    MimeFields withParams(List<Param> newParams) {
        return new MimeFields(type, subtype, newParams, id, description, encoding, md5,
                disposition, language, location);
    }

    public boolean isText() {
        return type.equals("text");
    }

    public boolean isMultipart() {
        return type.equals("multipart");
    }

    /** message/rfc822 or message/global (RFC 9051 §7.5.2 body-type-msg). */
    public boolean isMessage() {
        return type.equals("message") && (subtype.equals("rfc822") || subtype.equals("global"));
    }

    /** The transfer encoding in lower case, "7bit" when absent. */
    public String encodingOrDefault() {
        return encoding == null ? "7bit" : encoding;
    }

    /**
     * The decoded value of a Content-Type parameter: RFC 2231 {@code name*} forms are decoded
     * with their charset; a plain value carrying RFC 2047 encoded words (a common violation) is
     * decoded too. Null when absent.
     */
    public String param(String name) {
        return Rfc2231.decodedValue(params, name);
    }

    /** The charset parameter, or "us-ascii" for a text part without one (RFC 2046 §4.1.2). */
    public String charset() {
        String charset = param("charset");
        if (charset == null && isText()) {
            return "us-ascii";
        }
        return charset;
    }

    /**
     * The file name a client would show: the disposition's "filename", else the type's "name"
     * (decoded as in {@link #param(String)}); null when there is none.
     */
    public String filename() {
        if (disposition != null) {
            String name = Rfc2231.decodedValue(disposition.params(), "filename");
            if (name != null) {
                return name;
            }
        }
        return param("name");
    }
}
