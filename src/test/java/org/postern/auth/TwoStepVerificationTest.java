package org.postern.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.store.sqlite.SqliteSecurity;
import org.postern.store.sqlite.TestStore;
import org.postern.testing.MovingClock;

class TwoStepVerificationTest {
    @TempDir
    Path dir;

    @Test
    void aCodeIsAcceptedOnceAndBackupCodesAreUsedUp() {
        try (TestStore t = new TestStore(dir)) {
            MovingClock clock = new MovingClock(Instant.ofEpochMilli(1_800_000_000_000L));
            SqliteSecurity security = new SqliteSecurity(t.db, clock);
            TwoStepVerification tsv = new TwoStepVerification(security, clock, "Postern");
            long id = t.directory.addAccount("alice@example.org", "h").id();
            assertThat(tsv.isOn(id)).isFalse();
            TwoStepVerification.Enrolment e = tsv.enable(id, "alice@example.org");
            assertThat(e.uri()).startsWith("otpauth://totp/Postern:alice%40example.org?secret=" + e.secret());
            assertThat(e.backupCodes()).hasSize(10).allMatch(c -> c.matches("\\d{8}"));
            assertThat(tsv.isOn(id)).isTrue();

            String now = Totp.code(e.secret(), Totp.step(clock.millis()));
            assertThat(tsv.verify(id, now)).isTrue();
            assertThat(tsv.verify(id, now)).as("the same code twice").isFalse();
            String previous = Totp.code(e.secret(), Totp.step(clock.millis()) - 1);
            assertThat(tsv.verify(id, previous)).as("an older step after a newer one").isFalse();
            clock.advance(Duration.ofSeconds(30));
            assertThat(tsv.verify(id, Totp.code(e.secret(), Totp.step(clock.millis())))).isTrue();
            assertThat(tsv.verify(id, "000000")).isFalse();

            String backup = e.backupCodes().getFirst();
            assertThat(tsv.verify(id, backup.substring(0, 4) + "-" + backup.substring(4))).isTrue();
            assertThat(tsv.verify(id, backup)).as("a backup code twice").isFalse();
            assertThat(tsv.backupCodesLeft(id)).isEqualTo(9);

            tsv.disable(id);
            assertThat(tsv.isOn(id)).isFalse();
            assertThat(tsv.verify(id, e.backupCodes().get(1))).isFalse();
        }
    }
}
