package org.postern.smtp.dkim;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The data the signature covers (RFC 6376 §3.7): the selected header fields, then the signature field without b=. */
final class HeaderHash {
    private HeaderHash() {}

    /**
     * §5.4.2: each name of h= takes the last instance not yet taken, bottom up; a name with no
     * instance left contributes nothing (the "oversigning" that stops a field being added).
     */
    static byte[] data(List<HeaderField> fields, List<String> signed, Canonicalization c, HeaderField signatureWithoutB) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, Integer> cursor = new HashMap<>(); // per name: search below this index next
        for (String n : signed) {
            String name = n.strip().toLowerCase(Locale.ROOT);
            int i = cursor.getOrDefault(name, fields.size()) - 1;
            while (i >= 0 && !fields.get(i).name().equals(name)) {
                i--;
            }
            if (i >= 0) {
                out.writeBytes(c.header(fields.get(i)).getBytes(StandardCharsets.ISO_8859_1));
                cursor.put(name, i);
            } else {
                cursor.put(name, 0);
            }
        }
        String sig = c.header(signatureWithoutB);
        sig = sig.substring(0, sig.length() - 2); // §3.7: without its final CR LF
        out.writeBytes(sig.getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    /** The signature field with the value of b= removed (§3.5 b=, §3.7), kept as written otherwise. */
    static HeaderField withoutB(HeaderField f) {
        String raw = f.raw();
        int colon = raw.indexOf(':');
        String value = raw.substring(colon + 1);
        StringBuilder out = new StringBuilder(raw.substring(0, colon + 1));
        int start = 0;
        while (start <= value.length()) {
            int semi = value.indexOf(';', start);
            int end = semi < 0 ? value.length() : semi;
            String spec = value.substring(start, end);
            int eq = spec.indexOf('=');
            if (eq > 0 && spec.substring(0, eq).strip().equals("b")) {
                String tail = spec.substring(eq + 1);
                // keep the folding that ends the field so the canonical form is unchanged apart from the value
                String trailing = tail.endsWith("\r\n") ? "\r\n" : tail.endsWith("\n") ? "\n" : "";
                out.append(spec, 0, eq + 1).append(trailing);
            } else {
                out.append(spec);
            }
            if (semi < 0) {
                break;
            }
            out.append(';');
            start = semi + 1;
        }
        return new HeaderField(f.name(), out.toString());
    }
}
