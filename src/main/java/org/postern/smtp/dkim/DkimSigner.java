package org.postern.smtp.dkim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Signs messages for a domain with both of its keys (RFC 6376 §5, RFC 8463): relaxed/relaxed,
 * the fields that identify and describe the message, From listed once more than it occurs so no
 * second From can be added without breaking the signature (§8.15). The Ed25519 signature comes
 * first, as RFC 8463's example has it.
 */
public final class DkimSigner {
    /** Fields signed when present (RFC 6376 §5.4.1's recommendations, and what large providers sign). */
    static final List<String> SIGNED = List.of("from", "reply-to", "subject", "date", "message-id", "to", "cc",
            "in-reply-to", "references", "mime-version", "content-type", "content-transfer-encoding", "list-id",
            "list-unsubscribe", "list-unsubscribe-post", "sender");
    private static final Set<String> OVERSIGNED = Set.of("from", "subject", "date", "to", "cc", "reply-to");

    private final DkimKeys keys;
    private final Clock clock;

    public DkimSigner(DkimKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /**
     * The DKIM-Signature fields (CRLF-terminated, to be put on top of the message) for a message
     * read from {@code message}, signed for {@code domain}.
     */
    public String sign(String domain, InputStream message) throws IOException {
        HeaderReader.Split split = HeaderReader.split(message);
        return sign(domain, split.fields(), split.body());
    }

    String sign(String domain, List<HeaderField> fields, InputStream body) throws IOException {
        BodyHasher hasher = new BodyHasher(Canonicalization.RELAXED, -1);
        try (OutputStream h = hasher) {
            body.transferTo(h);
        }
        String bh = Base64.getEncoder().encodeToString(hasher.digest());
        List<String> signed = new ArrayList<>();
        for (String name : SIGNED) {
            long n = fields.stream().filter(f -> f.name().equals(name)).count();
            for (long i = 0; i < n + (OVERSIGNED.contains(name) && n > 0 ? 1 : 0); i++) {
                signed.add(name);
            }
        }
        StringBuilder out = new StringBuilder();
        long now = clock.millis() / 1000;
        for (DkimKeys.Key key : List.of(keys.keys(domain)[1], keys.keys(domain)[0])) {
            String unsigned = "DKIM-Signature: v=1; a=" + key.algorithm().word() + "; c=relaxed/relaxed; d=" + domain
                    + "; s=" + key.selector() + ";\r\n\tt=" + now + "; h=" + String.join(":", signed)
                    + ";\r\n\tbh=" + bh + ";\r\n\tb=";
            HeaderField field = new HeaderField("dkim-signature", unsigned + "\r\n");
            byte[] data = HeaderHash.data(fields, signed, Canonicalization.RELAXED, field);
            byte[] sig;
            try {
                sig = key.algorithm().sign(key.privateKey(), data);
            } catch (GeneralSecurityException e) {
                throw new IOException("DKIM signing with " + key.algorithm().word() + " failed: " + e.getMessage(), e);
            }
            out.append(unsigned).append(fold(Base64.getEncoder().encodeToString(sig))).append("\r\n");
        }
        return out.toString();
    }

    /** Breaks a long value into lines of at most 72 characters; relaxed canonicalization removes the folding. */
    private static String fold(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i += 72) {
            if (i > 0) {
                sb.append("\r\n\t ");
            }
            sb.append(s, i, Math.min(s.length(), i + 72));
        }
        return sb.toString();
    }
}
