package org.postern.mime;

import java.util.List;
import java.util.Objects;

/**
 * A Content-Disposition (RFC 2183): its type in lower case ("inline", "attachment") and its
 * parameters, RFC 2231 continuations joined as in {@link Param}.
 */
public record Disposition(String type, List<Param> params) {

    public Disposition {
        Objects.requireNonNull(type, "type");
        params = List.copyOf(params);
    }
}
