package org.postern.smtp.dkim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.postern.dns.Dns;
import org.postern.dns.DnsException;
import org.postern.smtp.dkim.DkimResult.Status;

/**
 * Verifies the DKIM signatures of a message (RFC 6376 §6) in two steps, so the body streams
 * once: {@link #begin} reads the signatures from the header fields and makes a body hasher per
 * signature; the body is written to {@link Pending#body()}; {@link Pending#finish()} compares the
 * body hashes, fetches the keys and checks the signatures.
 */
public final class DkimVerifier {
    public static final int MAX_SIGNATURES = 8;

    private final Dns dns;
    private final Clock clock;

    public DkimVerifier(Dns dns, Clock clock) {
        this.dns = dns;
        this.clock = clock;
    }

    /** Verifies a whole message read from a stream (tests, tools). */
    public List<DkimResult> verify(InputStream message) throws IOException {
        HeaderReader.Split split = HeaderReader.split(message);
        Pending p = begin(split.fields());
        try (OutputStream body = p.body()) {
            split.body().transferTo(body);
        }
        return p.finish();
    }

    public Pending begin(List<HeaderField> fields) {
        return new Pending(fields);
    }

    /** One message's signatures while its body streams. */
    public final class Pending {
        private final List<HeaderField> fields;
        private final List<Object> items = new ArrayList<>(); // DkimSignature with its hasher, or a DkimResult
        private final List<BodyHasher> hashers = new ArrayList<>();

        private Pending(List<HeaderField> fields) {
            this.fields = List.copyOf(fields);
            int n = 0;
            for (HeaderField f : fields) {
                if (!f.name().equals("dkim-signature") || n++ >= MAX_SIGNATURES) {
                    continue;
                }
                try {
                    DkimSignature s = DkimSignature.parse(f);
                    if (s.algorithm() == null) {
                        items.add(result(s, Status.PERMERROR, "algorithm " + s.algorithmWord() + " is not accepted"
                                + (s.algorithmWord().toLowerCase(Locale.ROOT).contains("sha1") ? " (RFC 8301)" : "")));
                        continue;
                    }
                    BodyHasher h = new BodyHasher(s.bodyC(), s.length());
                    hashers.add(h);
                    items.add(new Object[] {s, h});
                } catch (IllegalArgumentException e) {
                    items.add(new DkimResult(Status.PERMERROR, null, null, null, null, "malformed signature: " + e.getMessage()));
                }
            }
        }

        /** Where the body goes: every signature's hasher at once. */
        public OutputStream body() {
            return new OutputStream() {
                @Override
                public void write(int b) {
                    for (BodyHasher h : hashers) {
                        h.write(b);
                    }
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    for (BodyHasher h : hashers) {
                        h.write(b, off, len);
                    }
                }
            };
        }

        /** The result of each signature, in header order; none when the message is unsigned. */
        public List<DkimResult> finish() {
            List<DkimResult> out = new ArrayList<>();
            for (Object item : items) {
                if (item instanceof DkimResult r) {
                    out.add(r);
                } else {
                    Object[] pair = (Object[]) item;
                    out.add(check((DkimSignature) pair[0], (BodyHasher) pair[1], fields));
                }
            }
            return out;
        }
    }

    private DkimResult check(DkimSignature s, BodyHasher h, List<HeaderField> fields) {
        if (s.expires() >= 0 && s.expires() < clock.millis() / 1000) {
            return result(s, Status.FAIL, "signature expired (x=)");
        }
        byte[] bh = h.digest();
        if (s.length() >= 0 && h.length() < s.length()) {
            return result(s, Status.FAIL, "body shorter than l= says");
        }
        if (!MessageDigest.isEqual(bh, s.bodyHash())) {
            return result(s, Status.FAIL, "body hash did not verify");
        }
        List<String> records;
        String name = s.selector() + "._domainkey." + s.domain();
        try {
            records = dns.txt(name);
        } catch (DnsException.NoSuchDomain e) {
            return result(s, Status.PERMERROR, "no key for signature at " + name);
        } catch (DnsException e) {
            return result(s, Status.TEMPERROR, "key lookup failed: " + e.getMessage());
        }
        if (records.isEmpty()) {
            return result(s, Status.PERMERROR, "no key for signature at " + name);
        }
        KeyRecord key;
        try {
            key = KeyRecord.parse(records.getFirst(), s.algorithm());
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return result(s, Status.PERMERROR, "key record: " + e.getMessage());
        }
        if (key.revoked()) {
            return result(s, Status.FAIL, "key revoked (empty p=)");
        }
        if (key.strict() && !s.identity().substring(s.identity().lastIndexOf('@') + 1).equalsIgnoreCase(s.domain())) {
            return result(s, Status.PERMERROR, "key has t=s but i= is a subdomain");
        }
        if (key.publicKey() instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < 1024) {
            return result(s, Status.PERMERROR, "RSA key shorter than 1024 bits (RFC 8301 §3.2)");
        }
        byte[] data = HeaderHash.data(fields, s.signedHeaders(), s.headerC(), HeaderHash.withoutB(s.field()));
        boolean ok;
        try {
            ok = s.algorithm().verify(key.publicKey(), data, s.signature());
        } catch (GeneralSecurityException e) {
            ok = false;
        }
        if (!ok) {
            return result(s, key.testing() ? Status.NEUTRAL : Status.FAIL,
                    "signature did not verify" + (key.testing() ? " (key in testing mode, t=y)" : ""));
        }
        return result(s, Status.PASS, null);
    }

    private static DkimResult result(DkimSignature s, Status status, String reason) {
        return new DkimResult(status, s.domain(), s.selector(), s.algorithmWord(), s.b().substring(0, Math.min(8, s.b().length())),
                reason);
    }

    /** A key record (RFC 6376 §3.6.1). */
    record KeyRecord(PublicKey publicKey, boolean revoked, boolean testing, boolean strict) {
        static KeyRecord parse(String txt, Algorithm a) throws GeneralSecurityException {
            Tags t = Tags.parse(txt);
            if (t.get("v").isPresent() && !t.get("v").get().equals("DKIM1")) {
                throw new IllegalArgumentException("v= is not DKIM1");
            }
            String k = t.get("k").orElse("rsa").toLowerCase(Locale.ROOT);
            if (!k.equals(a.keyType())) {
                throw new IllegalArgumentException("key type " + k + " does not fit " + a.word());
            }
            if (t.get("h").isPresent() && !List.of(t.get("h").get().split(":")).stream().map(String::strip).toList().contains("sha256")) {
                throw new IllegalArgumentException("h= of the key does not allow sha256");
            }
            String flags = t.get("t").orElse("");
            boolean testing = List.of(flags.split(":")).stream().map(String::strip).toList().contains("y");
            boolean strict = List.of(flags.split(":")).stream().map(String::strip).toList().contains("s");
            String p = Tags.base64(t.require("p"));
            if (p.isEmpty()) {
                return new KeyRecord(null, true, testing, strict);
            }
            byte[] der;
            try {
                der = Base64.getDecoder().decode(p);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("p= is not base64");
            }
            if (a == Algorithm.ED25519_SHA256) {
                if (der.length != 32) {
                    throw new IllegalArgumentException("an Ed25519 key has 32 bytes (RFC 8463 §4)");
                }
                return new KeyRecord(DkimKeys.ed25519PublicKey(der), false, testing, strict);
            }
            PublicKey key;
            try {
                key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // some publish the bare RSAPublicKey of PKCS#1
                org.bouncycastle.asn1.pkcs.RSAPublicKey r = org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(der);
                key = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(r.getModulus(), r.getPublicExponent()));
            }
            return new KeyRecord(key, false, testing, strict);
        }
    }
}
