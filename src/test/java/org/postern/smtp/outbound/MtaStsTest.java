package org.postern.smtp.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.dns.Zone;
import org.postern.store.MtaStsCache;
import org.postern.store.sqlite.SqliteMtaStsCache;
import org.postern.store.sqlite.TestStore;
import org.postern.testing.MovingClock;

/**
 * MTA-STS policy discovery with its durable cache (RFC 8461 §3.3, §5.1): DNS from an in-memory
 * zone, policy files from the test, the cache in a real SQLite file that is closed and reopened
 * as a restart would, time from a clock the test moves.
 */
class MtaStsTest {
    static final String ENFORCE = "version: STSv1\r\nmode: enforce\r\nmx: mx.b.test\r\nmx: *.backup.b.test\r\nmax_age: 86400\r\n";
    static final String TESTING = "version: STSv1\nmode: testing\nmx: mx.b.test\nmax_age: 86400\n";

    @TempDir
    Path dir;
    TestStore store;
    Zone zone = new Zone();
    MovingClock clock = new MovingClock(Instant.parse("2026-11-26T09:00:00Z"));
    String policy; // what the HTTPS fetch answers, or null when it fails
    List<String> fetches = new ArrayList<>();

    @BeforeEach
    void open() {
        store = new TestStore(dir, clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** A new MtaSts over a new cache instance on the same database file, as after a restart. */
    MtaSts restart() {
        store.close();
        store = new TestStore(dir, clock);
        return mtaSts();
    }

    MtaSts mtaSts() {
        return new MtaSts(zone, d -> {
            fetches.add(d);
            if (policy == null) {
                throw new IOException("connection refused (test)");
            }
            return policy;
        }, new SqliteMtaStsCache(store.db), clock);
    }

    /** The domain publishes a policy: the TXT record with its id, and the file the fetch answers (null: the fetch fails). */
    void publish(String id, String text) {
        zone.remove("_mta-sts.b.test").txt("_mta-sts.b.test", "v=STSv1; id=" + id);
        policy = text;
    }

    MtaStsCache cache() {
        return new SqliteMtaStsCache(store.db);
    }

    static Optional<MtaStsPolicy.Mode> mode(Optional<MtaStsPolicy> p) {
        return p.map(MtaStsPolicy::mode);
    }

    @Test
    void anEnforcePolicyOutlivesARestartWhenTheAttackerStripsTheTxtRecordOrBlocksTheFetch() {
        publish("20261126", ENFORCE);
        Optional<MtaStsPolicy> p = mtaSts().policy("B.test");
        assertThat(mode(p)).contains(MtaStsPolicy.Mode.ENFORCE);
        assertThat(p.orElseThrow().mx()).containsExactly("mx.b.test", "*.backup.b.test");
        assertThat(cache().get("b.test")).hasValueSatisfying(c -> {
            assertThat(c.id()).isEqualTo("20261126");
            assertThat(c.mode()).isEqualTo("enforce");
            assertThat(c.mx()).containsExactly("mx.b.test", "*.backup.b.test");
            assertThat(c.maxAge()).isEqualTo(86400);
            assertThat(c.fetchedAt()).isEqualTo(clock.millis());
        });
        // the server restarts; an attacker removes the TXT record and blocks HTTPS
        clock.advance(Duration.ofHours(2));
        zone.remove("_mta-sts.b.test");
        policy = null;
        MtaSts after = restart();
        p = after.policy("b.test");
        assertThat(mode(p)).contains(MtaStsPolicy.Mode.ENFORCE);
        assertThat(p.orElseThrow().matches("mx.b.test")).isTrue();
        assertThat(p.orElseThrow().matches("mx.attacker.test")).isFalse();
        // or answers the TXT question with a failure, or with a new id whose policy cannot be fetched
        zone.fail("_mta-sts.b.test");
        assertThat(mode(after.policy("b.test"))).contains(MtaStsPolicy.Mode.ENFORCE);
        zone.remove("_mta-sts.b.test").txt("_mta-sts.b.test", "v=STSv1; id=evil");
        assertThat(mode(restart().policy("b.test"))).contains(MtaStsPolicy.Mode.ENFORCE);
        assertThat(fetches).containsExactly("b.test", "b.test");
    }

    @Test
    void aPolicyExpiresAfterItsMaxAgeAndIsForgotten() {
        publish("1", ENFORCE.replace("86400", "3600"));
        MtaSts m = mtaSts();
        assertThat(mode(m.policy("b.test"))).contains(MtaStsPolicy.Mode.ENFORCE);
        zone.remove("_mta-sts.b.test");
        clock.advance(Duration.ofSeconds(3599));
        assertThat(mode(restart().policy("b.test"))).contains(MtaStsPolicy.Mode.ENFORCE);
        clock.advance(Duration.ofSeconds(1)); // §5.1: after max_age, as if the domain had no policy
        assertThat(restart().policy("b.test")).isEmpty();
        assertThat(cache().get("b.test")).isEmpty();
    }

    @Test
    void maxAgeIsCappedAtTheRfcsLimit() {
        publish("1", ENFORCE.replace("86400", "9999999999"));
        assertThat(mtaSts().policy("b.test").orElseThrow().maxAge()).isEqualTo(31_557_600);
        assertThat(cache().get("b.test").orElseThrow().maxAge()).isEqualTo(31_557_600);
        zone.remove("_mta-sts.b.test");
        clock.advance(Duration.ofSeconds(31_557_600 - 1));
        assertThat(restart().policy("b.test")).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(restart().policy("b.test")).isEmpty();
    }

    @Test
    void aKnownIdIsNotFetchedAgainAndAChangedIdReplacesThePolicy() {
        publish("1", ENFORCE);
        MtaSts m = mtaSts();
        m.policy("b.test");
        m.policy("b.test");
        assertThat(restart().policy("b.test")).isPresent();
        assertThat(fetches).hasSize(1);
        publish("2", TESTING);
        assertThat(mode(restart().policy("b.test"))).contains(MtaStsPolicy.Mode.TESTING);
        assertThat(fetches).hasSize(2);
        assertThat(cache().get("b.test").orElseThrow()).extracting(MtaStsCache.Policy::id, MtaStsCache.Policy::mode)
                .containsExactly("2", "testing");
    }

    @Test
    void aFailedRefetchKeepsEnforcingTheOldPolicyAndIsRetriedAfterFiveMinutes() {
        publish("1", ENFORCE);
        MtaSts m = mtaSts();
        m.policy("b.test");
        publish("2", null);
        assertThat(mode(m.policy("b.test"))).contains(MtaStsPolicy.Mode.ENFORCE);
        assertThat(mode(m.policy("b.test"))).contains(MtaStsPolicy.Mode.ENFORCE);
        assertThat(fetches).hasSize(2); // §3.3: not again within five minutes for the same id
        policy = "this is not a policy";
        assertThat(MtaStsPolicy.parse("version: STSv1\nmode: enforce\nmx:\nmax_age: 60\n")).isEmpty(); // an empty mx field
        clock.advance(Duration.ofMinutes(5));
        assertThat(mode(m.policy("b.test"))).contains(MtaStsPolicy.Mode.ENFORCE); // an invalid one changes nothing either
        assertThat(fetches).hasSize(3);
        assertThat(cache().get("b.test").orElseThrow().id()).isEqualTo("1");
        policy = TESTING;
        clock.advance(Duration.ofMinutes(5));
        assertThat(mode(m.policy("b.test"))).contains(MtaStsPolicy.Mode.TESTING);
        assertThat(cache().get("b.test").orElseThrow().id()).isEqualTo("2");
    }

    @Test
    void withoutACachedPolicyAFailedFetchMeansNoPolicy() { // §3.3
        publish("1", null);
        assertThat(mtaSts().policy("b.test")).isEmpty();
        assertThat(cache().get("b.test")).isEmpty();
        assertThat(mtaSts().policy("c.test")).isEmpty(); // no TXT record: nothing fetched
        assertThat(fetches).containsExactly("b.test");
    }

    @Test
    void aStillPublishedPolicyIsRefreshedDailySoItNeverRunsOut() {
        publish("1", ENFORCE.replace("86400", "172800")); // two days
        MtaSts m = mtaSts();
        m.policy("b.test");
        clock.advance(Duration.ofHours(23));
        m.policy("b.test");
        assertThat(fetches).hasSize(1);
        clock.advance(Duration.ofHours(1));
        m.policy("b.test");
        assertThat(fetches).hasSize(2);
        assertThat(cache().get("b.test").orElseThrow().fetchedAt()).isEqualTo(clock.millis());
        // a failed refresh keeps the policy until it really expires: two days after the last good fetch
        policy = null;
        zone.remove("_mta-sts.b.test");
        clock.advance(Duration.ofHours(47));
        assertThat(mode(restart().policy("b.test"))).contains(MtaStsPolicy.Mode.ENFORCE);
        clock.advance(Duration.ofHours(1));
        assertThat(restart().policy("b.test")).isEmpty();
    }

    @Test
    void aCachedPolicyIsCheckedWhenItIsMade() {
        assertThatThrownBy(() -> new MtaStsCache.Policy("b.test", "no-dashes", "enforce", List.of("mx.b.test"), 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("letters and digits");
        assertThatThrownBy(() -> new MtaStsCache.Policy("b.test", "1", "ENFORCE!", List.of("mx.b.test"), 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("enforce, testing or none");
        assertThatThrownBy(() -> new MtaStsCache.Policy("b.test", "1", "enforce", List.of("a\nb"), 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad mx pattern");
        assertThatThrownBy(() -> new MtaStsCache.Policy("b.test", "1", "enforce", List.of(), -1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative max_age");
        assertThat(new MtaStsCache.Policy("B.Test", "1", "none", List.of(), 99_999_999_999L, 0))
                .extracting(MtaStsCache.Policy::domain, MtaStsCache.Policy::maxAge).containsExactly("b.test", 31_557_600L);
    }
}
