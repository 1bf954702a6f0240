package org.postern.smtp.dmarc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * RFC 7489 §3.2: the organizational domain is the public suffix of a name plus one label. Every
 * top-level domain is a public suffix; longer ones come from {@code public-suffixes.txt}.
 */
public final class OrganizationalDomain {
    private static final Set<String> SUFFIXES = load();

    private OrganizationalDomain() {}

    private static Set<String> load() {
        Set<String> s = new HashSet<>();
        try (InputStream in = OrganizationalDomain.class.getResourceAsStream("public-suffixes.txt")) {
            if (in == null) {
                throw new IllegalStateException("public-suffixes.txt missing from the build");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                String l = line.strip();
                if (!l.isEmpty() && !l.startsWith("#")) {
                    s.add(l.toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Set.copyOf(s);
    }

    public static String of(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        String[] labels = d.split("\\.");
        if (labels.length <= 2) {
            return d;
        }
        // the longest listed suffix; at least the top-level domain
        int suffixLabels = 1;
        for (int n = labels.length - 1; n >= 2; n--) {
            if (SUFFIXES.contains(String.join(".", java.util.Arrays.copyOfRange(labels, labels.length - n, labels.length)))) {
                suffixLabels = n;
                break;
            }
        }
        int keep = Math.min(labels.length, suffixLabels + 1);
        return String.join(".", java.util.Arrays.copyOfRange(labels, labels.length - keep, labels.length));
    }
}
