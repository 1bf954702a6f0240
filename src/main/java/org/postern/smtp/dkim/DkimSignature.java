package org.postern.smtp.dkim;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * A parsed DKIM-Signature field (RFC 6376 §3.5) with the checks of §6.1.1.
 *
 * @param length l=, or -1
 * @param expires x= in epoch seconds, or -1
 */
record DkimSignature(HeaderField field, Algorithm algorithm, String algorithmWord, String domain, String selector,
                     String identity, List<String> signedHeaders, Canonicalization headerC, Canonicalization bodyC,
                     byte[] bodyHash, byte[] signature, String b, long length, long expires) {

    /** Parses and checks a field; throws {@link IllegalArgumentException} with the reason (a permerror). */
    static DkimSignature parse(HeaderField f) {
        Tags t = Tags.parse(f.value());
        if (!"1".equals(t.require("v"))) {
            throw new IllegalArgumentException("v= is not 1");
        }
        String a = t.require("a");
        Algorithm alg = Algorithm.of(a);
        String d = t.require("d").toLowerCase(Locale.ROOT);
        String s = t.require("s");
        List<String> h = Arrays.stream(t.require("h").split(":")).map(x -> x.strip().toLowerCase(Locale.ROOT)).toList();
        if (!h.contains("from")) {
            throw new IllegalArgumentException("h= does not include From (§5.4)");
        }
        String bh = Tags.base64(t.require("bh"));
        String b = Tags.base64(t.require("b"));
        String[] c = t.get("c").orElse("simple/simple").split("/");
        Canonicalization hc = Canonicalization.of(c[0]);
        Canonicalization bc = c.length > 1 ? Canonicalization.of(c[1]) : Canonicalization.SIMPLE;
        String i = t.get("i").orElse("@" + d);
        String iDomain = i.substring(i.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        if (!iDomain.equals(d) && !iDomain.endsWith("." + d)) {
            throw new IllegalArgumentException("i= is not in the domain of d= (§6.1.1)");
        }
        long l = t.get("l").map(v -> {
            if (!v.matches("[0-9]{1,76}")) {
                throw new IllegalArgumentException("l= is not a number");
            }
            return v.length() > 18 ? Long.MAX_VALUE : Long.parseLong(v);
        }).orElse(-1L);
        long x = t.get("x").map(v -> v.length() > 18 ? Long.MAX_VALUE : Long.parseLong(v)).orElse(-1L);
        if (t.get("q").isPresent() && !t.get("q").get().contains("dns/txt")) {
            throw new IllegalArgumentException("q= names no query method Postern knows");
        }
        byte[] bodyHash;
        byte[] sig;
        try {
            bodyHash = Base64.getDecoder().decode(bh);
            sig = Base64.getDecoder().decode(b);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("b= or bh= is not base64");
        }
        return new DkimSignature(f, alg, a, d, s, i, h, hc, bc, bodyHash, sig, b, l, x);
    }
}
