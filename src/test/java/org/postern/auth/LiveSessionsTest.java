package org.postern.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LiveSessionsTest {
    private static final class MutableClock extends Clock {
        long millis = 1_000;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    @Test
    void aRevocationEndsOnlyTheSessionsThatSignedInBeforeIt() {
        MutableClock clock = new MutableClock();
        LiveSessions sessions = new LiveSessions(clock);
        AtomicInteger ended = new AtomicInteger();
        sessions.register(7, Authenticator.Protocol.IMAP, "password", "phone", 0, () -> ended.addAndGet(1));
        clock.millis = 2_000;
        // The account was removed at 1,500 and a new one got its id; its session started at 2,000.
        sessions.register(7, Authenticator.Protocol.IMAP, "password", "laptop", 0, () -> ended.addAndGet(100));

        assertThat(sessions.terminate(7, null, null, 1_500)).isEqualTo(1);
        assertThat(ended).hasValue(1);
    }

    @Test
    void aRevocationNamesTheCredentialAndTheClient() {
        LiveSessions sessions = new LiveSessions();
        AtomicInteger ended = new AtomicInteger();
        sessions.register(1, Authenticator.Protocol.IMAP, "app:1", "Thunderbird", 0, ended::incrementAndGet);
        sessions.register(1, Authenticator.Protocol.POP3, "app:2", "Thunderbird", 0, ended::incrementAndGet);
        sessions.register(1, Authenticator.Protocol.SMTP, "app:1", "Outlook", 0, ended::incrementAndGet);

        assertThat(sessions.terminate(1, "app:1", "Thunderbird")).isEqualTo(1);
        assertThat(sessions.terminate(1, "app:1", null)).isEqualTo(2);
        assertThat(sessions.terminate(2, null, null)).isZero();
    }
}
