package org.postern.pop3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.postern.store.MailStore;
import org.postern.store.Mailbox;
import org.postern.store.PopSettings;
import org.postern.store.PopSettings.AfterDownload;
import org.postern.store.StoredMessage;

/** Which messages a session is offered under Gmail's settings, and the marks a session keeps. */
class MaildropTest {
    static final long DAY = Duration.ofDays(1).toMillis();
    static final long NOW = 1_800_000_000_000L;

    /** Messages with UIDs 1..n; message ids 101..; message i received {@code ages[i]} days ago. */
    static MailStore.Snapshot snapshot(int... agesInDays) {
        List<StoredMessage> ms = new ArrayList<>();
        for (int i = 0; i < agesInDays.length; i++) {
            ms.add(new StoredMessage(i + 1, 101 + i, 0, Set.of(), 1, NOW, "b" + i, 10 + i, NOW - agesInDays[i] * DAY));
        }
        return new MailStore.Snapshot(new Mailbox(7, 1, "INBOX", null, 4242, agesInDays.length + 1, 1), ms);
    }

    static Maildrop offer(MailStore.Snapshot s, long[] downloaded, PopSettings p, boolean recent) {
        return Maildrop.offer(s, downloaded, p, recent, NOW, Duration.ofDays(30));
    }

    static List<String> ids(Maildrop m) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < m.size(); i++) {
            out.add(m.uniqueId(i));
        }
        return out;
    }

    @Test
    void normalModeOffersWhatPopHasNotDownloaded() {
        Maildrop m = offer(snapshot(100, 50, 10, 1), new long[] {102, 104}, PopSettings.DEFAULT, false);
        assertThat(ids(m)).containsExactly("4242.1", "4242.3");
    }

    @Test
    void recentModeOffersTheLast30DaysDownloadedOrNot() {
        Maildrop m = offer(snapshot(100, 31, 29, 1, 0), new long[] {103, 104}, PopSettings.DEFAULT, true);
        assertThat(ids(m)).containsExactly("4242.3", "4242.4", "4242.5");
    }

    @Test
    void newMailOnlyOffersWhatArrivedSinceTheSwitch() {
        PopSettings fromNow = new PopSettings(NOW - 5 * DAY, AfterDownload.KEEP);
        assertThat(ids(offer(snapshot(10, 6, 5, 1), new long[0], fromNow, false))).containsExactly("4242.3", "4242.4");
        assertThat(ids(offer(snapshot(10, 6, 5, 1), new long[] {104}, fromNow, false))).containsExactly("4242.3");
        // Recent mode never reaches back past the switch either.
        assertThat(ids(offer(snapshot(10, 6, 5, 1), new long[] {104}, fromNow, true))).containsExactly("4242.3", "4242.4");
    }

    @Test
    void marksAndTheirErrors() {
        Maildrop m = offer(snapshot(3, 2, 1), new long[0], PopSettings.DEFAULT, false);
        assertThat(m.countAndSize()).containsExactly(3, 33);
        m.delete(m.index(1));
        m.retrieved(m.index(2));
        assertThat(m.countAndSize()).containsExactly(2, 23);
        assertThatThrownBy(() -> m.index(1)).hasMessage("Message 1 already deleted.");
        assertThatThrownBy(() -> m.index(4)).hasMessage("No such message, only 3 messages in maildrop.");
        assertThatThrownBy(() -> m.index(0)).hasMessage("No such message, only 3 messages in maildrop.");
        assertThat(m.accessedUids()).containsExactly(1, 2);
        m.markGone(new long[] {2, 99});
        assertThatThrownBy(() -> m.index(2)).hasMessageContaining("deleted from INBOX in another session");
        assertThat(m.accessedUids()).containsExactly(1);
        m.undeleteAll();
        assertThat(m.countAndSize()).containsExactly(2, 22);
        assertThat(m.accessedUids()).isEmpty();
        assertThat(m.index(1)).isZero();
    }
}
