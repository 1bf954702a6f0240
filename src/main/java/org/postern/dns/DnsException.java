package org.postern.dns;

/**
 * A DNS question that got no usable answer. The base class is temporary (SERVFAIL, timeout,
 * REFUSED): asking later may work. {@link NoSuchDomain} is the permanent NXDOMAIN.
 */
public class DnsException extends Exception {
    public DnsException(String message) {
        super(message, null, false, false);
    }

    /** True when asking again later may give an answer. */
    public boolean temporary() {
        return true;
    }

    /** NXDOMAIN (RFC 1035 §4.1.1 RCODE 3): the name does not exist. */
    public static final class NoSuchDomain extends DnsException {
        public NoSuchDomain(String name) {
            super(name + ": no such domain (NXDOMAIN)");
        }

        @Override
        public boolean temporary() {
            return false;
        }
    }
}
