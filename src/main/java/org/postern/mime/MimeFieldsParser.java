package org.postern.mime;

import java.util.List;

/** Builds {@link MimeFields} from the collected header of one entity. */
final class MimeFieldsParser {

    private MimeFieldsParser() {
    }

    /**
     * Reads the Content-* fields. A missing or invalid Content-Type gives {@code defaults}'s type
     * (RFC 2045 §5.2; RFC 2046 §5.1.5 inside multipart/digest). Never throws.
     */
    static MimeFields parse(RawHeader header, MimeFields defaults) {
        String type = defaults.type();
        String subtype = defaults.subtype();
        List<Param> params = List.of();
        String contentType = header.get("content-type");
        if (contentType != null) {
            try {
                MimeSyntax.TypeAndParams tp = MimeSyntax.contentType(contentType);
                if (tp.type() != null) {
                    type = tp.type();
                    subtype = tp.subtype();
                    params = Rfc2231.join(tp.params());
                }
            } catch (RuntimeException e) {
                // keep the defaults
            }
        }
        return new MimeFields(type, subtype, params,
                header.get("content-id"),
                header.get("content-description"),
                encoding(header.get("content-transfer-encoding")),
                header.get("content-md5"),
                disposition(header.get("content-disposition")),
                languages(header.get("content-language")),
                location(header.get("content-location")));
    }

    private static String location(String value) {
        if (value == null) {
            return null;
        }
        try {
            return MimeSyntax.location(value);
        } catch (RuntimeException e) {
            return value;
        }
    }

    private static String encoding(String value) {
        if (value == null) {
            return null;
        }
        try {
            return MimeSyntax.singleToken(value);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Disposition disposition(String value) {
        if (value == null) {
            return null;
        }
        try {
            MimeSyntax.TypeAndParams tp = MimeSyntax.tokenAndParams(value);
            return tp.type() == null ? null : new Disposition(tp.type(), Rfc2231.join(tp.params()));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static List<String> languages(String value) {
        if (value == null) {
            return List.of();
        }
        try {
            return MimeSyntax.languages(value);
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /** The boundary parameter's raw value (RFC 2046 §5.1.1), or null when missing or empty. */
    static String boundary(MimeFields fields) {
        String b = Param.find(fields.params(), "boundary");
        if (b == null) {
            String extended = Param.find(fields.params(), "boundary*");
            b = extended == null ? null : Rfc2231.decodeExtended(extended);
        }
        return b == null || b.isEmpty() ? null : b;
    }
}
