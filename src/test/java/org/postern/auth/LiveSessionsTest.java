package org.postern.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.postern.testing.MovingClock;

class LiveSessionsTest {
    @Test
    void aRevocationEndsOnlyTheSessionsThatSignedInBeforeIt() {
        MovingClock clock = new MovingClock(Instant.ofEpochMilli(1_000));
        LiveSessions sessions = new LiveSessions(clock);
        AtomicInteger ended = new AtomicInteger();
        sessions.register(7, Authenticator.Protocol.IMAP, "password", "phone", 0, () -> ended.addAndGet(1));
        clock.advance(Duration.ofMillis(1_000));
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
