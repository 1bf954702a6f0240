package org.postern.smtp.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.dns.Zone;
import org.postern.smtp.dkim.Algorithm;
import org.postern.smtp.dkim.DkimKeys;
import org.postern.smtp.dkim.DkimResult;
import org.postern.smtp.dkim.DkimSigner;
import org.postern.smtp.spf.SpfResult;

/** SPF, DKIM and DMARC together on messages fed as the MX spools them, with DNS from an in-memory zone. */
class InboundChecksTest {
    static final InetAddress CLIENT = InetAddress.ofLiteral("192.0.2.25");
    static final String MESSAGE = "From: Ann <ann@a.example>\r\nTo: bob@postern.test\r\nSubject: hi\r\n"
            + "Date: Thu, 26 Nov 2026 09:00:00 +0000\r\nMessage-ID: <1@a.example>\r\n\r\nHello Bob.\r\n";

    @TempDir
    Path dir;
    Zone zone;
    DkimKeys keys;

    @BeforeEach
    void publish() throws Exception {
        keys = new DkimKeys(dir, "postern");
        DkimKeys.Key[] k = keys.keys("a.example");
        zone = new Zone().txt("a.example", "v=spf1 ip4:192.0.2.25 -all")
                .txt(k[0].selector() + "._domainkey.a.example", k[0].dnsRecord())
                .txt(k[1].selector() + "._domainkey.a.example", k[1].dnsRecord());
    }

    String signed(String message) throws Exception {
        String sig = new DkimSigner(keys, Clock.systemUTC()).sign("a.example",
                new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)));
        return sig + message;
    }

    /** Feeds a message the way HeaderFilter does: whole raw fields, then the body after the empty line. */
    static InboundChecks.Verdict check(InboundChecks checks, InetAddress client, String mailFrom, String message,
                                       List<String> dropped) throws Exception {
        InboundChecks.Message m = checks.begin(client, mailFrom, "mail.a.example");
        int end = message.indexOf("\r\n\r\n") + 2;
        List<String> fields = new ArrayList<>();
        for (String line : message.substring(0, end).split("(?<=\r\n)")) {
            if (!fields.isEmpty() && (line.startsWith(" ") || line.startsWith("\t"))) {
                fields.set(fields.size() - 1, fields.getLast() + line);
            } else {
                fields.add(line);
            }
        }
        for (String f : fields) {
            if (!m.field(f.getBytes(StandardCharsets.UTF_8))) {
                dropped.add(f);
            }
        }
        try (OutputStream body = m.body()) {
            body.write(message.substring(end + 2).getBytes(StandardCharsets.UTF_8));
        }
        return m.finish();
    }

    InboundChecks.Verdict check(InboundChecks.Mode mode, InetAddress client, String message) throws Exception {
        return check(new InboundChecks("mx.postern.test", zone, Clock.systemUTC(), mode), client, "ann@a.example", message,
                new ArrayList<>());
    }

    @Test
    void aSignedMessageFromAnAllowedAddressPassesAllThree() throws Exception {
        zone.txt("_dmarc.a.example", "v=DMARC1; p=reject");
        InboundChecks.Verdict v = check(InboundChecks.Mode.HONOUR, CLIENT, signed(MESSAGE));
        assertThat(v.spf().status()).isEqualTo(SpfResult.Status.PASS);
        assertThat(v.dkim()).extracting(DkimResult::status).containsExactly(DkimResult.Status.PASS, DkimResult.Status.PASS);
        assertThat(v.dkim()).extracting(DkimResult::algorithm).containsExactly(Algorithm.ED25519_SHA256.word(),
                Algorithm.RSA_SHA256.word());
        assertThat(v.dmarc().status()).isEqualTo(DmarcResult.Status.PASS);
        assertThat(v.disposition()).isEqualTo(InboundChecks.Disposition.INBOX);
        assertThat(v.authenticationResults()).startsWith("Authentication-Results: mx.postern.test;\r\n\tspf=pass")
                .contains("smtp.mailfrom=ann@a.example;\r\n\tdkim=pass")
                .contains(" header.d=a.example header.s=postern-ed25519 header.a=ed25519-sha256 header.b=")
                .contains(" header.s=postern-rsa header.a=rsa-sha256 ")
                .contains(";\r\n\tdmarc=pass (p=reject) header.from=a.example\r\n")
                .endsWith("\r\n");
        // RFC 8601 §2.2: one field, every line but the first folded
        assertThat(v.authenticationResults().split("\r\n")).allSatisfy(l -> assertThat(l.length()).isLessThan(998));
    }

    @Test
    void dkimAloneIsEnoughForDmarcWhenSpfFails() throws Exception {
        zone.txt("_dmarc.a.example", "v=DMARC1; p=reject");
        InboundChecks.Verdict v = check(InboundChecks.Mode.HONOUR, InetAddress.ofLiteral("198.51.100.7"), signed(MESSAGE));
        assertThat(v.spf().status()).isEqualTo(SpfResult.Status.FAIL);
        assertThat(v.dmarc().status()).isEqualTo(DmarcResult.Status.PASS);
        assertThat(v.disposition()).isEqualTo(InboundChecks.Disposition.INBOX);
    }

    @Test
    void aForgedMessageUnderPRejectIsRefusedOrFiledAsTheModeSays() throws Exception {
        zone.txt("_dmarc.a.example", "v=DMARC1; p=reject");
        InetAddress elsewhere = InetAddress.ofLiteral("198.51.100.7");
        InboundChecks.Verdict v = check(InboundChecks.Mode.HONOUR, elsewhere, MESSAGE);
        assertThat(v.dmarc().status()).isEqualTo(DmarcResult.Status.FAIL);
        assertThat(v.dmarc().action()).isEqualTo(DmarcResult.Action.REJECT);
        assertThat(v.disposition()).isEqualTo(InboundChecks.Disposition.REJECT);
        assertThat(v.authenticationResults()).contains("spf=fail").contains("dkim=none (no signature)")
                .contains("dmarc=fail (p=reject dis=reject) header.from=a.example");
        assertThat(check(InboundChecks.Mode.QUARANTINE_ONLY, elsewhere, MESSAGE).disposition())
                .isEqualTo(InboundChecks.Disposition.JUNK);
        assertThat(check(InboundChecks.Mode.IGNORE, elsewhere, MESSAGE).disposition())
                .isEqualTo(InboundChecks.Disposition.INBOX);
    }

    @Test
    void aTamperedSignatureDoesNotSaveAForgeryUnderPQuarantine() throws Exception {
        zone.txt("_dmarc.a.example", "v=DMARC1; p=quarantine");
        String tampered = signed(MESSAGE).replace("Hello Bob.", "Send money.");
        InboundChecks.Verdict v = check(InboundChecks.Mode.HONOUR, InetAddress.ofLiteral("198.51.100.7"), tampered);
        assertThat(v.dkim()).extracting(DkimResult::status).containsOnly(DkimResult.Status.FAIL);
        assertThat(v.disposition()).isEqualTo(InboundChecks.Disposition.JUNK);
        assertThat(check(InboundChecks.Mode.IGNORE, InetAddress.ofLiteral("198.51.100.7"), tampered).disposition())
                .isEqualTo(InboundChecks.Disposition.INBOX);
    }

    @Test
    void aSubdomainFallsBackToTheOrganizationalDomainsSpPolicy() throws Exception {
        zone.txt("_dmarc.a.example", "v=DMARC1; p=none; sp=reject");
        String fromSub = MESSAGE.replace("ann@a.example", "ann@news.a.example");
        InboundChecks.Verdict v = check(InboundChecks.Mode.HONOUR, InetAddress.ofLiteral("198.51.100.7"), fromSub);
        assertThat(v.dmarc().fromDomain()).isEqualTo("news.a.example");
        assertThat(v.dmarc().published()).isEqualTo("reject");
        assertThat(v.disposition()).isEqualTo(InboundChecks.Disposition.REJECT);
        // relaxed alignment: SPF for a.example passes for news.a.example (RFC 7489 §3.1.2)
        InboundChecks.Verdict aligned = check(InboundChecks.Mode.HONOUR, CLIENT, fromSub);
        assertThat(aligned.dmarc().status()).isEqualTo(DmarcResult.Status.PASS);
    }

    @Test
    void strictAlignmentRefusesTheParentDomainsSpf() throws Exception {
        zone.txt("_dmarc.news.a.example", "v=DMARC1; p=reject; aspf=s");
        String fromSub = MESSAGE.replace("ann@a.example", "ann@news.a.example");
        InboundChecks.Verdict v = check(InboundChecks.Mode.HONOUR, CLIENT, fromSub);
        assertThat(v.spf().status()).isEqualTo(SpfResult.Status.PASS);
        assertThat(v.dmarc().status()).isEqualTo(DmarcResult.Status.FAIL);
    }

    @Test
    void aDnsFailureIsTemperrorAndNeverRefuses() throws Exception {
        zone.fail("_dmarc.a.example");
        InboundChecks.Verdict v = check(InboundChecks.Mode.HONOUR, InetAddress.ofLiteral("198.51.100.7"), MESSAGE);
        assertThat(v.dmarc().status()).isEqualTo(DmarcResult.Status.TEMPERROR);
        assertThat(v.disposition()).isEqualTo(InboundChecks.Disposition.INBOX);
    }

    @Test
    void twoFromDomainsArePermerror() throws Exception {
        zone.txt("_dmarc.a.example", "v=DMARC1; p=reject");
        String two = MESSAGE.replace("From: Ann <ann@a.example>", "From: Ann <ann@a.example>, eve@b.example");
        InboundChecks.Verdict v = check(InboundChecks.Mode.HONOUR, CLIENT, two);
        assertThat(v.dmarc().status()).isEqualTo(DmarcResult.Status.PERMERROR);
        assertThat(v.disposition()).isEqualTo(InboundChecks.Disposition.INBOX);
    }

    @Test
    void anAuthenticationResultsFieldClaimingToBeOursIsDroppedOthersStay() throws Exception {
        String forged = "Authentication-Results: MX.postern.test; dkim=pass header.d=bank.example\r\n"
                + "Authentication-Results: other.example; spf=pass\r\n" + MESSAGE;
        List<String> dropped = new ArrayList<>();
        check(new InboundChecks("mx.postern.test", zone, Clock.systemUTC(), InboundChecks.Mode.HONOUR), CLIENT,
                "ann@a.example", forged, dropped);
        assertThat(dropped).containsExactly("Authentication-Results: MX.postern.test; dkim=pass header.d=bank.example\r\n");
    }

    @Test
    void theNullSenderIsCheckedByItsHeloName() throws Exception {
        zone.txt("mail.a.example", "v=spf1 ip4:192.0.2.25 -all");
        InboundChecks.Verdict v = check(new InboundChecks("mx.postern.test", zone, Clock.systemUTC(),
                InboundChecks.Mode.HONOUR), CLIENT, "", MESSAGE, new ArrayList<>());
        assertThat(v.spf().status()).isEqualTo(SpfResult.Status.PASS);
        assertThat(v.authenticationResults()).contains("spf=pass").contains(" smtp.helo=mail.a.example;");
    }

    @Test
    void policyRecordsParseAsRfc7489Says() {
        assertThat(DmarcRecord.parse("v=DMARC1; p=quarantine; pct=50; adkim=s")).hasValueSatisfying(r -> {
            assertThat(r.p()).isEqualTo(DmarcRecord.Policy.QUARANTINE);
            assertThat(r.sp()).isEqualTo(DmarcRecord.Policy.QUARANTINE);
            assertThat(r.pct()).isEqualTo(50);
            assertThat(r.strictDkim()).isTrue();
            assertThat(r.strictSpf()).isFalse();
        });
        assertThat(DmarcRecord.parse("v=DMARC1; rua=mailto:d@a.example")).hasValueSatisfying(r ->
                assertThat(r.p()).isEqualTo(DmarcRecord.Policy.NONE)); // §6.6.3: rua without p is p=none
        assertThat(DmarcRecord.parse("v=DMARC1; p=bogus")).isEmpty();
        assertThat(DmarcRecord.parse("v=DMARC2; p=reject")).isEmpty();
        assertThat(DmarcRecord.isDmarc("v=DMARC1x; p=reject")).isFalse();
    }

    @Test
    void pctOutsideTheSampleTakesTheNextWeakerPolicy() throws Exception {
        zone.txt("_dmarc.a.example", "v=DMARC1; p=reject; pct=10");
        Dmarc sampledOut = new Dmarc(zone, () -> 50);
        Dmarc sampledIn = new Dmarc(zone, () -> 5);
        SpfResult spfFail = new SpfResult(SpfResult.Status.FAIL, "a.example", "");
        assertThat(sampledOut.evaluate("a.example", spfFail, List.of()).action()).isEqualTo(DmarcResult.Action.QUARANTINE);
        assertThat(sampledIn.evaluate("a.example", spfFail, List.of()).action()).isEqualTo(DmarcResult.Action.REJECT);
    }

    @Test
    void organizationalDomainsUseThePublicSuffixList() {
        assertThat(OrganizationalDomain.of("mail.example.com")).isEqualTo("example.com");
        assertThat(OrganizationalDomain.of("a.b.example.co.uk")).isEqualTo("example.co.uk");
        assertThat(OrganizationalDomain.of("Example.COM.")).isEqualTo("example.com");
        assertThat(OrganizationalDomain.of("com")).isEqualTo("com");
        assertThat(OrganizationalDomain.of("mx.shop.example.com.br")).isEqualTo("example.com.br");
        assertThat(OrganizationalDomain.of("a.b.c.kawasaki.jp")).isEqualTo("b.c.kawasaki.jp"); // wildcard rule *.kawasaki.jp
        assertThat(OrganizationalDomain.of("news.a.example")).isEqualTo("a.example"); // no listed suffix: the TLD
        assertThat(OrganizationalDomain.of("_dmarc.x.example.org")).isEqualTo("example.org");
    }
}
