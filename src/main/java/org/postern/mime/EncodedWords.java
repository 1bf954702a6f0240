package org.postern.mime;

import java.util.regex.Pattern;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;

/**
 * RFC 2047 encoded-word decoding (with RFC 2231 §5 language tags), delegated to mime4j; for
 * SEARCH and display of header values that {@link ParsedMessage} does not decode already.
 */
public final class EncodedWords {

    /** The "*language" suffix RFC 2231 §5 allows after the charset of an encoded word. */
    private static final Pattern LANGUAGE = Pattern.compile("=\\?([^?*\\s]+)\\*[^?\\s]*\\?");

    private EncodedWords() {
    }

    /**
     * Decodes the encoded words of an unfolded header value (RFC 2047 §6.1, white space between
     * adjacent encoded words dropped). Words in an unknown charset or with broken encoding are left
     * as they are; this never throws.
     */
    public static String decode(String value) {
        if (value == null || !value.contains("=?")) {
            return value;
        }
        try {
            String words = value.indexOf('*') >= 0 ? LANGUAGE.matcher(value).replaceAll("=?$1?") : value;
            return DecoderUtil.decodeEncodedWords(words, DecodeMonitor.SILENT);
        } catch (RuntimeException e) {
            return value;
        }
    }
}
