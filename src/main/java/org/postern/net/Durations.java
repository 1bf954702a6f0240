package org.postern.net;

import java.time.Duration;

/** Short human renderings of durations for log lines and messages. */
final class Durations {
    private Durations() {
    }

    /** "250ms", "4.2s", "30min". */
    static String human(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            return (ms / 100) / 10.0 + "s";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "min";
        }
        return ms / 1000 + "s";
    }

    /** Milliseconds for {@code setSoTimeout}: at least 1 (0 would mean forever), at most int. */
    static int soTimeoutMillis(Duration d) {
        long ms = d.toMillis();
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ms));
    }
}
