package org.postern.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.postern.testing.MovingClock;

class ThrottleTest {
    @Test
    void aFewMistakesAreFreeThenTheWaitDoublesUpToAMaximum() {
        MovingClock clock = new MovingClock(Instant.ofEpochMilli(1_800_000_000_000L));
        Throttle t = new Throttle(clock);
        for (int i = 0; i < Throttle.FREE_FAILURES; i++) {
            assertThat(t.blocked("10.0.0.1", "alice@example.org", false)).isEmpty();
            t.failed("10.0.0.1", "alice@example.org");
        }
        assertThat(t.blocked("10.0.0.1", "alice@example.org", false)).isEmpty();
        t.failed("10.0.0.1", "alice@example.org");
        Duration first = t.blocked("10.0.0.1", "alice@example.org", false).orElseThrow();
        t.failed("10.0.0.1", "alice@example.org");
        Duration second = t.blocked("10.0.0.1", "alice@example.org", false).orElseThrow();
        assertThat(second).isGreaterThan(first);
        for (int i = 0; i < 100; i++) {
            t.failed("10.0.0.1", "alice@example.org");
        }
        assertThat(t.blocked("10.0.0.1", "alice@example.org", false).orElseThrow()).isLessThanOrEqualTo(Throttle.MAX_BLOCK);
        clock.advance(Throttle.MAX_BLOCK.plusMillis(1));
        assertThat(t.blocked("10.0.0.1", "alice@example.org", false)).isEmpty();
    }

    @Test
    void theOwnerAtAKnownAddressIsNotLockedOutByAnAttackerElsewhere() {
        MovingClock clock = new MovingClock(Instant.ofEpochMilli(1_800_000_000_000L));
        Throttle t = new Throttle(clock);
        for (int i = 0; i < 50; i++) {
            t.failed("203.0.113.9", "alice@example.org");
        }
        assertThat(t.blocked("203.0.113.9", "alice@example.org", false)).isPresent();
        assertThat(t.blocked("198.51.100.7", "alice@example.org", false)).as("new address: the account is blocked").isPresent();
        assertThat(t.blocked("198.51.100.7", "alice@example.org", true)).as("the owner's known address").isEmpty();
        assertThat(t.blocked("198.51.100.7", "bob@example.org", false)).as("other accounts").isEmpty();
    }

    @Test
    void ipv6AddressesCountPerSlash64() {
        assertThat(Throttle.addressKey("2001:db8:1:2:aaaa::1")).isEqualTo(Throttle.addressKey("2001:db8:1:2:bbbb::9"));
        assertThat(Throttle.addressKey("2001:db8:1:2::1")).isNotEqualTo(Throttle.addressKey("2001:db8:1:3::1"));
    }
}
