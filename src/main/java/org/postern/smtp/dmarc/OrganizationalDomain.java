package org.postern.smtp.dmarc;

import com.google.common.net.InternetDomainName;
import java.util.Locale;

/**
 * RFC 7489 §3.2: the organizational domain is the public suffix of a name plus one label. The
 * suffixes are those of the ICANN section of the Public Suffix List (https://publicsuffix.org/)
 * as Guava ships it ({@link InternetDomainName#registrySuffix()}); a name under no listed
 * suffix is taken as under its top-level domain.
 */
public final class OrganizationalDomain {
    private OrganizationalDomain() {}

    public static String of(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        try {
            InternetDomainName name = InternetDomainName.from(d);
            if (name.isUnderRegistrySuffix()) {
                return name.topDomainUnderRegistrySuffix().toString();
            }
            if (name.isRegistrySuffix()) {
                return d; // a public suffix itself has no organization above it
            }
        } catch (IllegalArgumentException e) {
            // not a name Guava accepts (e.g. an underscore label): fall back to the last two labels
        }
        String[] labels = d.split("\\.");
        return labels.length <= 2 ? d : labels[labels.length - 2] + "." + labels[labels.length - 1];
    }
}
