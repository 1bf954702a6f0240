package org.postern.store;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;

/**
 * Mail addresses as the directory compares them: the domain in lower case (IDNA to ASCII), the
 * local part compared without regard to case, and a {@code +tag} subaddress removed
 * (RFC 5233, as Gmail does).
 */
public final class Addresses {
    private Addresses() {}

    /** A parsed address: local part and domain, both non-empty. */
    public record Address(String local, String domain) {
        @Override
        public String toString() {
            return local + "@" + domain;
        }
    }

    /**
     * Parses {@code local@domain}; empty when it is not a plausible mailbox address. Accepts
     * UTF-8 local parts (RFC 6531) and internationalised domains.
     */
    public static Optional<Address> parse(String address) {
        if (address == null) {
            return Optional.empty();
        }
        String a = address.strip();
        int at = a.lastIndexOf('@');
        if (at <= 0 || at == a.length() - 1 || a.length() > 320) {
            return Optional.empty();
        }
        String local = a.substring(0, at);
        String domain = a.substring(at + 1);
        if (local.length() > 64 || local.indexOf('@') >= 0 || containsForbidden(local) || containsForbidden(domain)) {
            return Optional.empty();
        }
        String asciiDomain;
        try {
            asciiDomain = IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (asciiDomain.isEmpty() || asciiDomain.startsWith(".") || asciiDomain.endsWith(".")
                || asciiDomain.contains("..") || !asciiDomain.matches("[a-z0-9.-]+")) {
            return Optional.empty();
        }
        return Optional.of(new Address(local, asciiDomain));
    }

    /** The address without its {@code +tag}, for delivery: {@code alice+news@x} → {@code alice@x}. */
    public static Address withoutTag(Address a) {
        int plus = a.local().indexOf('+');
        return plus > 0 ? new Address(a.local().substring(0, plus), a.domain()) : a;
    }

    private static boolean containsForbidden(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch <= ' ' || ch == 0x7f || ch == '<' || ch == '>' || ch == '"' || ch == '\\' || ch == ',' || ch == ';'
                    || ch == ':' || ch == '(' || ch == ')' || ch == '[' || ch == ']') {
                return true;
            }
        }
        return false;
    }
}
