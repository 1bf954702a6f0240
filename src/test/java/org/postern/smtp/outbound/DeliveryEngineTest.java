package org.postern.smtp.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postern.delivery.LocalDelivery;
import org.postern.dns.Zone;
import org.postern.net.ClientTls;
import org.postern.net.PemKeyMaterial;
import org.postern.net.WriteWatchdog;
import org.postern.store.OutboundQueue;
import org.postern.testing.MovingClock;
import org.postern.testing.TestServer;

/**
 * The delivery engine against scripted and real MX hosts on loopback, DNS from an in-memory
 * zone, time from a clock the test moves. Attempts run by {@link DeliveryEngine#work}, so each
 * test decides when the engine looks at the queue.
 */
@Timeout(60)
class DeliveryEngineTest {
    static final String MESSAGE = "From: alice@a.test\r\nTo: bob@b.test\r\nSubject: hello\r\n\r\nHi Bob\r\n.a dot\r\n";

    @TempDir
    Path dir;
    TestServer a;
    ScriptedMx mx;
    Zone zone;
    MovingClock clock = new MovingClock(Instant.parse("2026-11-26T09:00:00Z"));
    WriteWatchdog watchdog = new WriteWatchdog("test-watchdog", Duration.ofSeconds(1));
    OutboundQueue queue;
    String policy; // the MTA-STS policy text, or null for none
    List<String> policyFetches = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        a = TestServer.start(dir.resolve("a"), "mx.a.test", "127.0.0.1", Map.of(), clock, "alice@a.test");
        queue = a.services().queue();
        mx = new ScriptedMx("127.0.0.1");
        zone = new Zone().mx("b.test", 10, "mx.b.test").a("mx.b.test", "127.0.0.1");
    }

    @AfterEach
    void stop() throws IOException {
        mx.close();
        watchdog.close();
        a.close();
    }

    DeliveryEngine engine(int port, int perDomain, ClientTls verified) {
        OutboundSettings settings = OutboundSettings.defaults("mx.a.test").withPort(port)
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10))
                .withLimits(10, perDomain, Duration.ofSeconds(1));
        LocalDelivery delivery = new LocalDelivery(a.services().store(), a.services().directory(), clock, 10_000_000);
        return new DeliveryEngine(new OutboundServices(settings, queue, a.services().store().blobs(), a.services().directory(),
                delivery, zone, verified, a.services().mtaSts(), watchdog, clock), new Doorbell(), d -> {
                    policyFetches.add(d);
                    if (policy == null) {
                        throw new IOException("no policy (test)");
                    }
                    return policy;
                });
    }

    DeliveryEngine engine() {
        return engine(mx.port(), 4, ClientTls.systemTrust());
    }

    long enqueue(String from, List<String> to, String message) throws IOException {
        return queue.enqueue(a.services().store().blobs().put(message.getBytes(StandardCharsets.UTF_8)),
                new OutboundQueue.Envelope(from, to, OutboundQueue.Body.SEVEN_BIT, false, 1L), clock.millis());
    }

    long enqueue(String from, List<String> to, String message, OutboundQueue.Options options,
                 Map<String, OutboundQueue.RecipientDsn> dsn) throws IOException {
        return queue.enqueue(a.services().store().blobs().put(message.getBytes(StandardCharsets.UTF_8)),
                new OutboundQueue.Envelope(from, to, OutboundQueue.Body.SEVEN_BIT, false, 1L, options, dsn), clock.millis());
    }

    static OutboundQueue.RecipientDsn notifyOn(OutboundQueue.Notify... n) {
        return new OutboundQueue.RecipientDsn(java.util.Set.of(n), null);
    }

    /** One round as the engine's loop does it: every message due now. */
    void round(DeliveryEngine engine) {
        for (OutboundQueue.Entry e : queue.due(clock.millis(), 100)) {
            engine.work(e);
        }
    }

    @Test
    void aMessageGoesToTheMxHostDotStuffedAndLeavesTheQueue() throws Exception {
        long id = enqueue("alice@a.test", List.of("bob@b.test", "carol@b.test"), MESSAGE);
        round(engine());
        assertThat(mx.received).singleElement().satisfies(r -> {
            assertThat(r.mailFrom()).isEqualTo("alice@a.test");
            assertThat(r.rcpts()).containsExactly("bob@b.test", "carol@b.test");
            assertThat(r.data()).isEqualTo(MESSAGE.replace("\r\n.a dot", "\r\n..a dot")); // RFC 5321 §4.5.2
        });
        assertThat(queue.entry(id)).isEmpty();
        assertThat(a.inbox("alice@a.test")).isEmpty(); // no notice for a delivery
    }

    @Test
    void withoutMxRecordsTheDomainsOwnAddressIsUsed() throws Exception {
        zone.a("c.test", "127.0.0.1"); // RFC 5321 §5.1: the implicit MX
        enqueue("alice@a.test", List.of("dave@c.test"), MESSAGE);
        round(engine());
        assertThat(mx.received).singleElement().extracting(ScriptedMx.Received::rcpts).isEqualTo(List.of("dave@c.test"));
    }

    @Test
    void aNullMxBouncesAtOnceWithAnRfc3464Report() throws Exception {
        zone.mx("nomail.test", 0, ".");
        long id = enqueue("alice@a.test", List.of("x@nomail.test"), MESSAGE);
        round(engine());
        assertThat(queue.entry(id)).isEmpty();
        assertThat(mx.connections.get()).isZero();
        round(engine()); // the bounce is queued for a local sender: delivered home
        List<String> inbox = a.inbox("alice@a.test");
        assertThat(inbox).singleElement().satisfies(dsn -> {
            assertThat(dsn).contains("From: Mail Delivery Subsystem <mailer-daemon@mx.a.test>\r\n")
                    .contains("To: <alice@a.test>\r\n").contains("Subject: Delivery Status Notification (Failure)\r\n")
                    .contains("Auto-Submitted: auto-replied\r\n")
                    .contains("Content-Type: multipart/report; report-type=delivery-status;")
                    .contains("Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.a.test\r\nArrival-Date: ")
                    .contains("\r\nFinal-Recipient: rfc822; x@nomail.test\r\nAction: failed\r\nStatus: 5.1.10\r\n")
                    .contains("Content-Type: text/rfc822-headers\r\n\r\nFrom: alice@a.test\r\nTo: bob@b.test\r\nSubject: hello\r\n")
                    .doesNotContain("Hi Bob");
        });
        assertThat(queue.entries()).isEmpty();
    }

    @Test
    void aNonexistentDomainFailsForGood() throws Exception {
        enqueue("alice@a.test", List.of("x@nowhere.test"), MESSAGE);
        round(engine());
        round(engine());
        assertThat(a.inbox("alice@a.test")).singleElement().asString().contains("Status: 5.1.2");
    }

    @Test
    void aRefusedRecipientBouncesWhileTheOtherIsDelivered() throws Exception {
        mx.rcpt = r -> r.startsWith("nobody") ? "550 5.1.1 <" + r + ">: no such user here" : "250 2.1.5 OK";
        long id = enqueue("alice@a.test", List.of("bob@b.test", "nobody@b.test"), MESSAGE);
        round(engine());
        assertThat(mx.received).singleElement().extracting(ScriptedMx.Received::rcpts).isEqualTo(List.of("bob@b.test"));
        assertThat(queue.entry(id)).isEmpty();
        round(engine());
        assertThat(a.inbox("alice@a.test")).singleElement().asString()
                .contains("Final-Recipient: rfc822; nobody@b.test\r\nAction: failed\r\nStatus: 5.1.1\r\n"
                        + "Remote-MTA: dns; mx.b.test\r\nDiagnostic-Code: smtp; 550 5.1.1 <nobody@b.test>: no such user here\r\n")
                .doesNotContain("Final-Recipient: rfc822; bob@b.test");
    }

    @Test
    void temporaryFailuresAreRetriedWithBackOffADelayNoticeOnceAndABounceAfterFiveDays() throws Exception {
        mx.rcpt = r -> "451 4.3.0 try later";
        DeliveryEngine engine = engine();
        long id = enqueue("alice@a.test", List.of("bob@b.test"), MESSAGE);
        round(engine);
        OutboundQueue.Recipient r = queue.entry(id).orElseThrow().recipients().getFirst();
        assertThat(r.attempts()).isEqualTo(1);
        assertThat(r.nextAttempt()).isEqualTo(clock.millis() + Duration.ofMinutes(5).toMillis());
        assertThat(r.lastReply()).isEqualTo("451 4.3.0 try later");
        round(engine); // not due yet
        assertThat(mx.connections.get()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(5));
        round(engine);
        assertThat(queue.entry(id).orElseThrow().recipients().getFirst().nextAttempt())
                .isEqualTo(clock.millis() + Duration.ofMinutes(10).toMillis());
        assertThat(a.inbox("alice@a.test")).isEmpty();
        // four hours on: the next failure tells the sender, once
        clock.advance(Duration.ofHours(4));
        round(engine);
        round(engine);
        assertThat(a.inbox("alice@a.test")).singleElement().asString()
                .contains("Subject: Delivery Status Notification (Delay)").contains("Action: delayed\r\nStatus: 4.3.0\r\n")
                .contains("Will-Retry-Until: Tue, 1 Dec 2026 09:00:00 +0000");
        clock.advance(Duration.ofHours(4));
        round(engine);
        round(engine);
        assertThat(a.inbox("alice@a.test")).hasSize(1);
        assertThat(queue.entry(id).orElseThrow().delayNotified()).isTrue();
        // the pauses grow to four hours at most
        OutboundQueue.Recipient later = queue.entry(id).orElseThrow().recipients().getFirst();
        assertThat(later.nextAttempt() - clock.millis()).isLessThanOrEqualTo(Duration.ofHours(4).toMillis());
        // five days after queueing, the next failure is final
        clock.advance(Duration.ofDays(5));
        round(engine);
        assertThat(queue.entry(id)).isEmpty();
        round(engine);
        assertThat(a.inbox("alice@a.test")).hasSize(2).last().asString()
                .contains("(Failure)").contains("Action: failed\r\nStatus: 4.4.7\r\n")
                .contains("Delivery time expired after 5 days");
    }

    @Test
    void theNullSenderNeverGetsABounce() throws Exception {
        mx.rcpt = r -> "550 5.1.1 no such user";
        long id = enqueue("", List.of("bob@b.test"), MESSAGE);
        round(engine());
        assertThat(queue.entry(id)).isEmpty();
        assertThat(queue.entries()).isEmpty(); // no notice queued at all
        assertThat(a.inbox("alice@a.test")).isEmpty();
    }

    @Test
    void aHostThatRefusesTheSessionIsPassedOverForTheNextMx() throws Exception {
        // two MX hosts (the engine uses one port for all, so both are the scripted host here)
        zone.remove("b.test").remove("mx.b.test").mx("b.test", 5, "mx1.b.test").mx("b.test", 10, "mx2.b.test")
                .a("mx1.b.test", "127.0.0.1").a("mx2.b.test", "127.0.0.1");
        mx.greeting = "421 4.3.2 busy";
        long id = enqueue("alice@a.test", List.of("bob@b.test"), MESSAGE);
        round(engine());
        assertThat(mx.connections.get()).isEqualTo(2); // RFC 5321 §5.1: each MX host in turn
        OutboundQueue.Recipient r = queue.entry(id).orElseThrow().recipients().getFirst();
        assertThat(r.state()).isEqualTo(OutboundQueue.State.PENDING);
        assertThat(r.lastReply()).contains("421 4.3.2 busy");
    }

    @Test
    void oneDomainGetsNoMoreConnectionsThanItsLimit() throws Exception {
        mx.holdData = new CountDownLatch(1);
        DeliveryEngine engine = engine(mx.port(), 1, ClientTls.systemTrust());
        long first = enqueue("alice@a.test", List.of("bob@b.test"), MESSAGE);
        long second = enqueue("alice@a.test", List.of("carol@b.test"), MESSAGE);
        Thread t = Thread.ofVirtual().start(() -> engine.work(queue.entry(first).orElseThrow()));
        while (mx.concurrent.get() == 0) {
            Thread.sleep(10);
        }
        engine.work(queue.entry(second).orElseThrow()); // the domain's one permit is taken: not tried
        assertThat(queue.entry(second).orElseThrow().recipients().getFirst().attempts()).isZero();
        mx.holdData.countDown();
        t.join();
        assertThat(queue.entry(first)).isEmpty();
        engine.work(queue.entry(second).orElseThrow());
        assertThat(queue.entry(second)).isEmpty();
        assertThat(mx.maxConcurrent.get()).isEqualTo(1);
    }

    @Test
    void aMtaStsEnforcePolicyThatNamesOtherHostsStopsDelivery() throws Exception {
        zone.txt("_mta-sts.b.test", "v=STSv1; id=20261126");
        policy = "version: STSv1\r\nmode: enforce\r\nmx: mx.elsewhere.test\r\nmax_age: 86400\r\n";
        long id = enqueue("alice@a.test", List.of("bob@b.test"), MESSAGE);
        round(engine());
        assertThat(policyFetches).containsExactly("b.test");
        assertThat(mx.connections.get()).isZero();
        assertThat(queue.entry(id).orElseThrow().recipients().getFirst().lastReply()).startsWith("4.7.5 No MX host of b.test");
        // RFC 8461 §3.3: with the TXT record stripped and HTTPS blocked, the cached policy (in the
        // database, so also for a new engine) still applies until its max_age runs out
        zone.remove("_mta-sts.b.test");
        policy = null;
        clock.advance(Duration.ofMinutes(5));
        round(engine());
        assertThat(mx.connections.get()).isZero();
        assertThat(queue.entry(id).orElseThrow().recipients().getFirst().attempts()).isEqualTo(2);
        clock.advance(Duration.ofDays(1));
        round(engine());
        assertThat(mx.received).hasSize(1);
    }

    @Test
    void aMtaStsEnforcePolicyRefusesAHostWithoutStarttls() throws Exception {
        zone.txt("_mta-sts.b.test", "v=STSv1; id=1");
        policy = "version: STSv1\nmode: enforce\nmx: *.b.test\nmax_age: 86400\n";
        long id = enqueue("alice@a.test", List.of("bob@b.test"), MESSAGE);
        round(engine());
        assertThat(mx.received).isEmpty();
        assertThat(queue.entry(id).orElseThrow().recipients().getFirst().lastReply()).contains("does not offer STARTTLS");
        // testing mode only reports: the message goes, in plain text
        policy = policy.replace("enforce", "testing");
        zone.remove("_mta-sts.b.test").txt("_mta-sts.b.test", "v=STSv1; id=2");
        clock.advance(Duration.ofMinutes(5));
        round(engine());
        assertThat(mx.received).hasSize(1);
    }

    @Test
    void starttlsIsUsedWhenOfferedAndMtaStsChecksTheCertificate() throws Exception {
        try (TestServer b = TestServer.start(dir.resolve("b"), "mx.b.test", "127.0.0.1", Map.of(), clock, "bob@b.test")) {
            ClientTls trustsB = ClientTls.trusting(PemKeyMaterial.readCertificates(b.services().config().tlsCertificate()));
            // opportunistic: a self-signed certificate is fine
            enqueue("alice@a.test", List.of("bob@b.test"), MESSAGE);
            round(engine(b.smtpPort(), 4, ClientTls.systemTrust()));
            assertThat(b.inbox("bob@b.test")).singleElement().asString().contains("with ESMTPS").contains("Hi Bob");
            // enforce: the certificate must be trusted and name the MX host
            zone.txt("_mta-sts.b.test", "v=STSv1; id=1");
            policy = "version: STSv1\nmode: enforce\nmx: mx.b.test\nmax_age: 86400\n";
            long refused = enqueue("alice@a.test", List.of("bob@b.test"), MESSAGE);
            round(engine(b.smtpPort(), 4, ClientTls.systemTrust()));
            assertThat(b.inbox("bob@b.test")).hasSize(1);
            assertThat(queue.entry(refused).orElseThrow().recipients().getFirst().lastReply()).startsWith("4.7.5")
                    .contains("TLS failed");
            clock.advance(Duration.ofMinutes(5));
            round(engine(b.smtpPort(), 4, trustsB));
            assertThat(b.inbox("bob@b.test")).hasSize(2);
            assertThat(queue.entry(refused)).isEmpty();
            // testing: a certificate that does not check out still gets TLS, unchecked (RFC 8461 §5)
            zone.remove("_mta-sts.b.test").txt("_mta-sts.b.test", "v=STSv1; id=2");
            policy = policy.replace("enforce", "testing");
            enqueue("alice@a.test", List.of("bob@b.test"), MESSAGE);
            round(engine(b.smtpPort(), 4, ClientTls.systemTrust()));
            assertThat(b.inbox("bob@b.test")).hasSize(3).last().asString().contains("with ESMTPS");
        }
    }

    // ---- DSN (RFC 3461 §5)

    @Test
    void notifyNeverSuppressesTheBounceAndNotifyFailureTheDelayNotice() throws Exception {
        mx.rcpt = a -> a.startsWith("never") ? "550 5.1.1 no such user" : "451 4.3.0 try later";
        long id = enqueue("alice@a.test", List.of("never@b.test", "failonly@b.test", "plain@b.test"), MESSAGE,
                OutboundQueue.Options.NONE, Map.of("never@b.test", notifyOn(), "failonly@b.test", notifyOn(OutboundQueue.Notify.FAILURE)));
        DeliveryEngine engine = engine();
        round(engine);
        assertThat(a.inbox("alice@a.test")).isEmpty(); // NOTIFY=NEVER: no failure notice
        clock.advance(Duration.ofHours(4));
        round(engine);
        round(engine);
        assertThat(a.inbox("alice@a.test")).singleElement().asString() // only the recipient without NOTIFY is in the delay notice
                .contains("Action: delayed").contains("Final-Recipient: rfc822; plain@b.test")
                .doesNotContain("failonly@b.test").doesNotContain("never@b.test");
        assertThat(queue.entry(id).orElseThrow().pending()).hasSize(2);
    }

    @Test
    void notifySuccessToAHostWithoutDsnGivesARelayedNotice() throws Exception { // RFC 3461 §5.2.2
        enqueue("alice@a.test", List.of("bob@b.test", "carol@b.test"), MESSAGE, new OutboundQueue.Options(null, "env-1", false),
                Map.of("bob@b.test", new OutboundQueue.RecipientDsn(java.util.Set.of(OutboundQueue.Notify.SUCCESS),
                        "rfc822;bobby@b.test")));
        DeliveryEngine engine = engine();
        round(engine);
        assertThat(mx.commands).contains("MAIL FROM:<alice@a.test> SIZE=" + MESSAGE.length(), "RCPT TO:<bob@b.test>");
        round(engine);
        assertThat(a.inbox("alice@a.test")).singleElement().asString()
                .contains("Subject: Delivery Status Notification (Success)")
                .contains("Original-Envelope-Id: env-1\r\nReporting-MTA: dns; mx.a.test\r\n")
                .contains("Original-Recipient: rfc822; bobby@b.test\r\nFinal-Recipient: rfc822; bob@b.test\r\nAction: relayed\r\n"
                        + "Status: 2.0.0\r\nRemote-MTA: dns; mx.b.test\r\nDiagnostic-Code: smtp; 250 2.0.0 queued\r\n")
                .doesNotContain("carol@b.test");
    }

    @Test
    void aHostThatOffersDsnGetsTheParametersAndReportsItself() throws Exception { // RFC 3461 §5.2.1
        mx.extensions = List.of("PIPELINING", "8BITMIME", "DSN");
        enqueue("alice@a.test", List.of("bob@b.test", "carol@b.test"), MESSAGE,
                new OutboundQueue.Options(OutboundQueue.Ret.HDRS, "id 1+2=3", false),
                Map.of("bob@b.test", new OutboundQueue.RecipientDsn(java.util.Set.of(OutboundQueue.Notify.SUCCESS,
                        OutboundQueue.Notify.DELAY), "rfc822;b=b@b.test")));
        DeliveryEngine engine = engine();
        round(engine);
        assertThat(mx.commands).contains("MAIL FROM:<alice@a.test> RET=HDRS ENVID=id+201+2B2+3D3", "RCPT TO:<bob@b.test> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;b+3Db@b.test",
                "RCPT TO:<carol@b.test>");
        round(engine);
        assertThat(a.inbox("alice@a.test")).isEmpty(); // the next hop reports from now on
        assertThat(queue.entries()).isEmpty();
    }

    @Test
    void notifySuccessForALocalRecipientGivesADeliveredNotice() throws Exception { // RFC 3461 §5.2.3
        a.services().directory().addAccount("ann@a.test", "x");
        enqueue("alice@a.test", List.of("ann@a.test"), MESSAGE, OutboundQueue.Options.NONE,
                Map.of("ann@a.test", notifyOn(OutboundQueue.Notify.SUCCESS)));
        DeliveryEngine engine = engine();
        round(engine);
        round(engine);
        assertThat(a.inbox("ann@a.test")).singleElement().asString().contains("Hi Bob");
        assertThat(a.inbox("alice@a.test")).singleElement().asString().contains("Action: delivered\r\nStatus: 2.0.0\r\n")
                .contains("Final-Recipient: rfc822; ann@a.test");
    }

    @Test
    void retFullReturnsTheWholeMessageAndRetHdrsOnlyItsHeader() throws Exception { // RFC 3461 §4.3
        mx.rcpt = a -> "550 5.1.1 no such user";
        enqueue("alice@a.test", List.of("bob@b.test"), MESSAGE, new OutboundQueue.Options(OutboundQueue.Ret.FULL, null, false), Map.of());
        DeliveryEngine engine = engine();
        round(engine);
        round(engine);
        assertThat(a.inbox("alice@a.test")).singleElement().asString()
                .contains("Content-Type: message/rfc822\r\n\r\n" + MESSAGE + "\r\n--dsn-")
                .doesNotContain("Original-Envelope-Id");
        enqueue("alice@a.test", List.of("bob@b.test"), MESSAGE, new OutboundQueue.Options(OutboundQueue.Ret.HDRS, null, false), Map.of());
        round(engine);
        round(engine);
        assertThat(a.inbox("alice@a.test")).hasSize(2).last().asString()
                .contains("Content-Type: text/rfc822-headers\r\n\r\nFrom: alice@a.test\r\n").doesNotContain("Hi Bob");
    }

    // ---- REQUIRETLS (RFC 8689)

    static final OutboundQueue.Options REQUIRETLS = new OutboundQueue.Options(OutboundQueue.Ret.FULL, null, true);

    @Test
    void requiretlsNeverGoesInPlainTextAndBouncesWith5730() throws Exception {
        long id = enqueue("alice@a.test", List.of("bob@b.test"), MESSAGE, REQUIRETLS, Map.of());
        DeliveryEngine engine = engine();
        round(engine);
        assertThat(mx.received).isEmpty();
        assertThat(mx.commands).noneMatch(c -> c.startsWith("MAIL"));
        assertThat(queue.entry(id)).isEmpty();
        round(engine);
        assertThat(a.inbox("alice@a.test")).singleElement().asString()
                .contains("Action: failed\r\nStatus: 5.7.30\r\n").contains("does not offer STARTTLS")
                .contains("Content-Type: text/rfc822-headers").doesNotContain("Hi Bob"); // §5: as if RET=HDRS
    }

    @Test
    void requiretlsGoesOnlyOverAVerifiedCertificateToAHostThatOffersIt() throws Exception { // RFC 8689 §4.2.1
        try (TestServer b = TestServer.start(dir.resolve("b"), "mx.b.test", "127.0.0.1", Map.of(), clock, "bob@b.test")) {
            ClientTls trustsB = ClientTls.trusting(PemKeyMaterial.readCertificates(b.services().config().tlsCertificate()));
            long unchecked = enqueue("alice@a.test", List.of("bob@b.test"), MESSAGE, REQUIRETLS, Map.of());
            round(engine(b.smtpPort(), 4, ClientTls.systemTrust())); // a self-signed certificate does not do
            assertThat(b.inbox("bob@b.test")).isEmpty();
            assertThat(queue.entry(unchecked)).isEmpty();
            round(engine(b.smtpPort(), 4, ClientTls.systemTrust()));
            assertThat(a.inbox("alice@a.test")).singleElement().asString().contains("Status: 5.7.30")
                    .contains("TLS with a valid certificate for mx.b.test failed");
            enqueue("alice@a.test", List.of("bob@b.test"), MESSAGE, REQUIRETLS, Map.of());
            round(engine(b.smtpPort(), 4, trustsB));
            assertThat(b.inbox("bob@b.test")).singleElement().asString().contains("with ESMTPS").contains("Hi Bob");
            assertThat(queue.entries()).isEmpty();
        }
    }

    @Test
    void aHostWithTlsButWithoutRequiretlsGetsNothing() throws Exception {
        try (TestServer b = TestServer.start(dir.resolve("b"), "mx.b.test", "127.0.0.1", Map.of(), clock, "bob@b.test")) {
            ClientTls trustsB = ClientTls.trusting(PemKeyMaterial.readCertificates(b.services().config().tlsCertificate()));
            // TLS with a good certificate, but no REQUIRETLS in EHLO: not good enough
            mx.tls = org.postern.net.TlsContext.load(b.services().config().tlsCertificate(), b.services().config().tlsKey());
            enqueue("alice@a.test", List.of("bob@b.test"), MESSAGE, REQUIRETLS, Map.of());
            round(engine(mx.port(), 4, trustsB));
            assertThat(mx.commands).contains("STARTTLS").noneMatch(c -> c.startsWith("MAIL"));
            round(engine(mx.port(), 4, trustsB));
            assertThat(a.inbox("alice@a.test")).singleElement().asString().contains("Status: 5.7.30")
                    .contains("does not offer REQUIRETLS");
            // with REQUIRETLS offered, the parameter goes on
            mx.extensions = List.of("PIPELINING", "8BITMIME", "REQUIRETLS");
            enqueue("alice@a.test", List.of("bob@b.test"), MESSAGE, REQUIRETLS, Map.of());
            round(engine(mx.port(), 4, trustsB));
            assertThat(mx.received).hasSize(1);
            assertThat(mx.commands).contains("MAIL FROM:<alice@a.test> REQUIRETLS");
        }
    }

    @Test
    void tlsRequiredNoDeliversDespiteAnEnforcePolicyButNotUnderRequiretls() throws Exception { // RFC 8689 §3, §4.1
        zone.txt("_mta-sts.b.test", "v=STSv1; id=1");
        policy = "version: STSv1\nmode: enforce\nmx: *.b.test\nmax_age: 86400\n";
        String optional = "TLS-Required: No\r\n" + MESSAGE;
        enqueue("alice@a.test", List.of("bob@b.test"), optional);
        round(engine());
        assertThat(mx.received).singleElement().extracting(ScriptedMx.Received::data).asString().startsWith("TLS-Required: No");
        long both = enqueue("alice@a.test", List.of("bob@b.test"), optional, REQUIRETLS, Map.of());
        round(engine());
        assertThat(mx.received).hasSize(1);
        assertThat(queue.entry(both)).isEmpty(); // bounced with 5.7.30
        assertThat(TlsRequired.no("Subject: x\r\nTLS-Required: Yes\r\n".getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(TlsRequired.no("TLS-Required:\r\n no\r\n".getBytes(StandardCharsets.US_ASCII))).isTrue();
        assertThat(TlsRequired.no("TLS-Required: No\r\nTLS-Required: No\r\n".getBytes(StandardCharsets.US_ASCII))).isFalse();
    }

    @Test
    void backOffDoublesFromFiveMinutesToFourHours() {
        OutboundSettings s = OutboundSettings.defaults("h");
        assertThat(List.of(1, 2, 3, 4, 5, 6, 7, 8, 20).stream().map(n -> s.backoff(n).toMinutes()))
                .containsExactly(5L, 10L, 20L, 40L, 80L, 160L, 240L, 240L, 240L);
    }
}
