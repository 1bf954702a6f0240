package org.postern.smtp.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The delivery status notification's parts and fields (RFC 3464 §2, RFC 6522, RFC 6533). */
class DsnTest {
    static final Instant ARRIVAL = Instant.parse("2026-11-26T09:00:00Z");
    static final Instant NOW = Instant.parse("2026-11-26T13:05:00Z");
    static final Instant UNTIL = Instant.parse("2026-12-01T09:00:00Z");

    static String build(String sender, Dsn.Action action, List<Result> results, String header) {
        return new String(Dsn.build("mx.a.test", sender, action, results, ARRIVAL, NOW, UNTIL,
                header.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    @Test
    void aFailureHasThreePartsAndPerRecipientFields() {
        String dsn = build("alice@a.test", Dsn.Action.FAILED, List.of(
                Result.permanent("bob@b.test", "550 5.1.1 no such user", "mx.b.test[192.0.2.1]"),
                Result.permanent("x@nomail.test", "5.1.10 The domain nomail.test accepts no mail (null MX, RFC 7505)", null)),
                "Subject: hi\r\n");
        String boundary = dsn.replaceAll("(?s).*boundary=\"([^\"]+)\".*", "$1");
        assertThat(dsn.split("\r\n--" + boundary + "\r\n", -1)).hasSize(4); // preamble and three parts
        assertThat(dsn).endsWith("\r\n--" + boundary + "--\r\n");
        assertThat(dsn).contains("Reporting-MTA: dns; mx.a.test\r\nArrival-Date: Thu, 26 Nov 2026 09:00:00 +0000\r\n\r\n"
                + "Final-Recipient: rfc822; bob@b.test\r\nAction: failed\r\nStatus: 5.1.1\r\nRemote-MTA: dns; mx.b.test\r\n"
                + "Diagnostic-Code: smtp; 550 5.1.1 no such user\r\nLast-Attempt-Date: Thu, 26 Nov 2026 13:05:00 +0000\r\n\r\n"
                + "Final-Recipient: rfc822; x@nomail.test\r\nAction: failed\r\nStatus: 5.1.10\r\n"
                + "Last-Attempt-Date: Thu, 26 Nov 2026 13:05:00 +0000\r\n");
        assertThat(dsn).contains("Content-Type: text/rfc822-headers\r\n\r\nSubject: hi\r\n");
        assertThat(dsn).doesNotContain("Will-Retry-Until");
    }

    @Test
    void aDelaySaysUntilWhenItIsRetriedAndKeepsA4xxStatus() {
        String dsn = build("alice@a.test", Dsn.Action.DELAYED, List.of(Result.temporary("bob@b.test",
                "4.4.1 No MX host of b.test could be reached", null)), "Subject: hi\r\n");
        assertThat(dsn).contains("Subject: Delivery Status Notification (Delay)")
                .contains("Action: delayed\r\nStatus: 4.4.1\r\n")
                .contains("Will-Retry-Until: Tue, 1 Dec 2026 09:00:00 +0000\r\n")
                .doesNotContain("Diagnostic-Code"); // not an SMTP reply
    }

    @Test
    void utf8AddressesUseTheGlobalTypesOfRfc6533() {
        String dsn = build("j\u00f6rg@a.test", Dsn.Action.FAILED, List.of(Result.permanent("b\u00f6b@b.test",
                "550 5.1.1 no", "mx.b.test[192.0.2.1]")), "Subject: gr\u00fc\u00dfe\r\n");
        assertThat(dsn).contains("Content-Type: message/global-delivery-status\r\n")
                .contains("Final-Recipient: utf-8; b\u00f6b@b.test\r\n")
                .contains("Content-Type: message/global-headers\r\n");
    }

    @Test
    void theOriginalHeaderIsCutAtTheEmptyLineWithCrLfLineEnds() throws Exception {
        byte[] message = "From: a@a.test\nSubject: bare LF\n\nbody must not appear\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(new String(Dsn.header(new ByteArrayInputStream(message)), StandardCharsets.US_ASCII))
                .isEqualTo("From: a@a.test\r\nSubject: bare LF\r\n");
        byte[] huge = ("X: " + "a".repeat(Dsn.MAX_HEADER_BYTES * 2) + "\r\n\r\nbody").getBytes(StandardCharsets.US_ASCII);
        assertThat(Dsn.header(new ByteArrayInputStream(huge)).length).isLessThanOrEqualTo(Dsn.MAX_HEADER_BYTES + 2);
    }
}
