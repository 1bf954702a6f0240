package org.postern.dns;

/**
 * One MX record (RFC 5321 §5.1): a preference (lower first) and a host name without the
 * trailing dot, in lower case. The null MX of RFC 7505 is preference 0 and host {@code ""}.
 */
public record Mx(int preference, String host) {
    /** RFC 7505 §3: "0 ." says the domain accepts no mail. */
    public boolean isNull() {
        return host.isEmpty();
    }
}
