package org.postern.smtp.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.dns.Zone;
import org.postern.smtp.dkim.DkimResult.Status;

/** DKIM against RFC 8463's published example, and Postern's own signatures through every kind of damage. */
class DkimTest {
    static final Clock SIGNED_AT = Clock.fixed(Instant.ofEpochSecond(1528637909), ZoneOffset.UTC);

    /** RFC 8463 Appendix A.2. */
    static Zone rfc8463Keys() {
        return new Zone()
                .txt("brisbane._domainkey.football.example.com", "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=")
                .txt("test._domainkey.football.example.com", "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWR"
                        + "iGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutAC"
                        + "DfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3"
                        + "Ip3G+2kryOTIKT+l/K4w3QIDAQAB");
    }

    static final String HEADERS = "From: Joe SixPack <joe@football.example.com>\r\n"
            + "To: Suzie Q <suzie@shopping.example.net>\r\n"
            + "Subject: Is dinner ready?\r\n"
            + "Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)\r\n"
            + "Message-ID: <20030712040037.46341.5F8J@football.example.com>\r\n";
    static final String BODY = "Hi.\r\n\r\nWe lost the game.  Are you hungry yet?\r\n\r\nJoe.\r\n";

    /** RFC 8463 Appendix A.3: the example message signed with both keys. */
    static final String RFC8463_SIGNED = "DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed;\r\n"
            + " d=football.example.com; i=@football.example.com;\r\n"
            + " q=dns/txt; s=brisbane; t=1528637909; h=from : to :\r\n"
            + " subject : date : message-id : from : subject : date;\r\n"
            + " bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;\r\n"
            + " b=/gCrinpcQOoIfuHNQIbq4pgh9kyIK3AQUdt9OdqQehSwhEIug4D11Bus\r\n"
            + " Fa3bT3FY5OsU7ZbnKELq+eXdp1Q1Dw==\r\n"
            + "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\r\n"
            + " d=football.example.com; i=@football.example.com;\r\n"
            + " q=dns/txt; s=test; t=1528637909; h=from : to : subject :\r\n"
            + " date : message-id : from : subject : date;\r\n"
            + " bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;\r\n"
            + " b=F45dVWDfMbQDGHJFlXUNB2HKfbCeLRyhDXgFpEL8GwpsRe0IeIixNTe3\r\n"
            + " DhCVlUrSjV4BwcVcOF6+FF3Zo9Rpo1tFOeS9mPYQTnGdaSGsgeefOsk2Jz\r\n"
            + " dA+L10TeYt9BgDfQNZtKdN1WO//KgIqXP7OdEFE4LjFYNcUxZQ4FADY+8=\r\n"
            + HEADERS + "\r\n" + BODY;

    static List<DkimResult> verify(Zone zone, String message) throws Exception {
        return new DkimVerifier(zone, SIGNED_AT).verify(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void rfc8463ExampleVerifiesWithBothAlgorithms() throws Exception {
        List<DkimResult> r = verify(rfc8463Keys(), RFC8463_SIGNED);
        assertThat(r).extracting(DkimResult::status).containsExactly(Status.PASS, Status.PASS);
        assertThat(r).extracting(DkimResult::algorithm).containsExactly("ed25519-sha256", "rsa-sha256");
        assertThat(r.getFirst().domain()).isEqualTo("football.example.com");
    }

    @Test
    void rfc8463BodyHashIsTheRelaxedHashOfTheExampleBody() {
        BodyHasher h = new BodyHasher(Canonicalization.RELAXED, -1);
        h.write(BODY.getBytes(StandardCharsets.US_ASCII), 0, BODY.length());
        assertThat(Base64.getEncoder().encodeToString(h.digest())).isEqualTo("2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=");
    }

    @Test
    void aChangedBodyOrHeaderFailsTheRfc8463Example() throws Exception {
        assertThat(verify(rfc8463Keys(), RFC8463_SIGNED.replace("We lost", "We won")))
                .extracting(DkimResult::status).containsExactly(Status.FAIL, Status.FAIL);
        List<DkimResult> r = verify(rfc8463Keys(), RFC8463_SIGNED.replace("Is dinner ready?", "Is lunch ready?"));
        assertThat(r).extracting(DkimResult::status).containsExactly(Status.FAIL, Status.FAIL);
        assertThat(r.getFirst().reason()).contains("signature did not verify");
    }

    @Test
    void relaxedCanonicalizationForgivesWhitespaceAndCaseChangesInTransit() throws Exception {
        String mangled = RFC8463_SIGNED.replace("Subject: Is dinner ready?", "SUBJECT:   Is  dinner\r\n ready?  ")
                .replace("Joe.\r\n", "Joe.  \r\n\r\n\r\n");
        assertThat(verify(rfc8463Keys(), mangled)).extracting(DkimResult::status).containsExactly(Status.PASS, Status.PASS);
    }

    @Test
    void canonicalBodiesFollowRfc6376Section3_4_5() {
        // §3.4.5's example: " C \r\nD \t E\r\n\r\n\r\n"
        String body = " C \r\nD \t E\r\n\r\n\r\n";
        assertThat(canonical(Canonicalization.RELAXED, body)).isEqualTo(" C\r\nD E\r\n");
        assertThat(canonical(Canonicalization.SIMPLE, body)).isEqualTo(" C \r\nD \t E\r\n");
        assertThat(canonical(Canonicalization.SIMPLE, "")).isEqualTo("\r\n");
        assertThat(canonical(Canonicalization.RELAXED, "")).isEqualTo("");
        assertThat(canonical(Canonicalization.RELAXED, "\r\n\r\n")).isEqualTo("");
        assertThat(canonical(Canonicalization.RELAXED, "no line end")).isEqualTo("no line end\r\n");
        assertThat(Canonicalization.RELAXED.header(HeaderField.of("SubJect : AbC\r\n".getBytes())))
                .isEqualTo("subject:AbC\r\n");
        assertThat(Canonicalization.RELAXED.header(HeaderField.of("Subject \t:\t Your Name\t \r\n\t Here \r\n".getBytes())))
                .isEqualTo("subject:Your Name Here\r\n");
    }

    /** The canonical form, found by hashing candidate strings is not possible; so compare the hash of the expected form. */
    private static String canonical(Canonicalization c, String body) {
        BodyHasher h = new BodyHasher(c, -1);
        h.write(body.getBytes(StandardCharsets.ISO_8859_1), 0, body.length());
        byte[] got = h.digest();
        for (String candidate : List.of(" C\r\nD E\r\n", " C \r\nD \t E\r\n", "\r\n", "", "no line end\r\n")) {
            try {
                if (java.util.Arrays.equals(got, java.security.MessageDigest.getInstance("SHA-256")
                        .digest(candidate.getBytes(StandardCharsets.ISO_8859_1)))) {
                    return candidate;
                }
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return "(something else)";
    }

    @Test
    void postenSignsWithBothKeysAndEachVerifies(@TempDir Path dir) throws Exception {
        DkimKeys keys = new DkimKeys(dir, "postern");
        String message = "From: Alice <alice@a.test>\r\nTo: bob@b.test\r\nSubject: hello\r\nDate: Thu, 1 Jan 2026 00:00:00 +0000\r\n"
                + "Message-ID: <1@a.test>\r\n\r\nHello Bob.\r\n.leading dot\r\n\r\n";
        String sig = new DkimSigner(keys, SIGNED_AT).sign("a.test", new ByteArrayInputStream(message.getBytes()));
        assertThat(sig).startsWith("DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed; d=a.test; s=postern-ed25519;");
        assertThat(sig).contains("a=rsa-sha256; c=relaxed/relaxed; d=a.test; s=postern-rsa;");
        assertThat(sig.lines()).allMatch(l -> l.length() <= 100);
        DkimKeys.Key[] k = keys.keys("a.test");
        Zone zone = new Zone().txt("postern-rsa._domainkey.a.test", k[0].dnsRecord())
                .txt("postern-ed25519._domainkey.a.test", k[1].dnsRecord());
        assertThat(k[0].dnsRecord()).startsWith("v=DKIM1; k=rsa; p=MIIBIjAN"); // RSA-2048 SubjectPublicKeyInfo
        assertThat(k[1].dnsRecord()).matches("v=DKIM1; k=ed25519; p=[A-Za-z0-9+/]{43}=");
        assertThat(verify(zone, sig + message)).extracting(DkimResult::status).containsExactly(Status.PASS, Status.PASS);
        // an added second From breaks both: From is oversigned
        assertThat(verify(zone, sig + "From: mallory@evil.test\r\n" + message)).extracting(DkimResult::status)
                .containsExactly(Status.FAIL, Status.FAIL);
        // the keys are kept: a second DkimKeys reads the same ones
        assertThat(new DkimKeys(dir, "postern").keys("a.test")[1].dnsRecord()).isEqualTo(k[1].dnsRecord());
        assertThat(java.nio.file.Files.getPosixFilePermissions(keys.file("a.test", Algorithm.RSA_SHA256)))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void lengthLimitCoversOnlyThePrefixAndMissingOrRevokedKeysAreReported(@TempDir Path dir) throws Exception {
        DkimKeys keys = new DkimKeys(dir, "s");
        DkimKeys.Key ed = keys.keys("a.test")[1];
        String header = "From: a@a.test\r\nSubject: l\r\n";
        String body = "first line\r\n";
        // sign by hand with l=12 (the canonical "first line\r\n")
        BodyHasher h = new BodyHasher(Canonicalization.SIMPLE, -1);
        h.write(body.getBytes(), 0, body.length());
        String unsigned = "DKIM-Signature: v=1; a=ed25519-sha256; c=simple/simple; d=a.test; s=s-ed25519; l=12; h=from:subject; bh="
                + Base64.getEncoder().encodeToString(h.digest()) + "; b=";
        List<HeaderField> fields = HeaderField.parse(header.getBytes());
        byte[] data = HeaderHash.data(fields, List.of("from", "subject"), Canonicalization.SIMPLE,
                new HeaderField("dkim-signature", unsigned + "\r\n"));
        String signed = unsigned + Base64.getEncoder().encodeToString(Algorithm.ED25519_SHA256.sign(ed.privateKey(), data)) + "\r\n";
        Zone zone = new Zone().txt("s-ed25519._domainkey.a.test", ed.dnsRecord());
        assertThat(verify(zone, signed + header + "\r\n" + body)).extracting(DkimResult::status).containsExactly(Status.PASS);
        assertThat(verify(zone, signed + header + "\r\n" + body + "appended by a list\r\n"))
                .extracting(DkimResult::status).containsExactly(Status.PASS); // l= lets a suffix through, as RFC 6376 §8.2 warns
        assertThat(verify(zone, signed + header + "\r\n" + "first\r\n")).extracting(DkimResult::status).containsExactly(Status.FAIL);
        assertThat(verify(new Zone().exists("a.test"), signed + header + "\r\n" + body).getFirst().status())
                .isEqualTo(Status.PERMERROR);
        assertThat(verify(new Zone().txt("s-ed25519._domainkey.a.test", "v=DKIM1; k=ed25519; p="),
                signed + header + "\r\n" + body).getFirst().reason()).contains("revoked");
        assertThat(verify(new Zone().fail("s-ed25519._domainkey.a.test"), signed + header + "\r\n" + body).getFirst().status())
                .isEqualTo(Status.TEMPERROR);
    }

    @Test
    void malformedAndSha1SignaturesArePermErrors() throws Exception {
        String m = "DKIM-Signature: v=1; a=rsa-sha1; d=a.test; s=x; h=from; bh=AAAA; b=AAAA\r\n"
                + "DKIM-Signature: v=1; a=rsa-sha256; d=a.test; s=x; h=to; bh=AAAA; b=AAAA\r\n"
                + "DKIM-Signature: v=1; a=rsa-sha256; d=a.test; s=x; h=from; bh=AAAA; b=AAAA; i=@other.test\r\n"
                + "DKIM-Signature: garbage\r\n"
                + "From: a@a.test\r\n\r\nbody\r\n";
        List<DkimResult> r = verify(new Zone(), m);
        assertThat(r).extracting(DkimResult::status).containsOnly(Status.PERMERROR).hasSize(4);
        assertThat(r.get(0).reason()).contains("RFC 8301");
        assertThat(r.get(1).reason()).contains("From");
        assertThat(r.get(2).reason()).contains("i=");
    }
}
