package org.postern.mime;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One MIME parameter as IMAP shows it (RFC 3501 §7.4.2 body-fld-param).
 *
 * <p>RFC 2231 continuations are already joined: {@code filename*0*=...; filename*1*=...} becomes
 * one {@code filename*} whose value is still in the {@code charset'language'%XX} form, so that a
 * client can decode it. Use {@link MimeFields#param(String)} for the decoded value.
 */
public record Param(String name, String value) {

    public Param {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    /** True if {@code name} matches case-insensitively (RFC 2045 §5.1). */
    public boolean is(String other) {
        return name.equalsIgnoreCase(other);
    }

    /** The first value for {@code name}, or null. */
    static String find(List<Param> params, String name) {
        for (Param p : params) {
            if (p.is(name)) {
                return p.value();
            }
        }
        return null;
    }

    String upperName() {
        return name.toUpperCase(Locale.ROOT);
    }
}
