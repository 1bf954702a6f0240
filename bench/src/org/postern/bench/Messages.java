package org.postern.bench;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The messages the benchmark appends: real MIME of mixed sizes, made up from a fixed seed so
 * every run appends the same mix. Each append gets its own Message-ID, so no two appended
 * messages are byte-identical (Postern stores identical content once; real mail is not identical).
 *
 * <p>The mix, by count: 35 % about 2 KB (text/plain), 30 % about 6 KB (text/plain), 20 % about
 * 20 KB (multipart/alternative, text and HTML), 12 % about 60 KB and 3 % about 200 KB
 * (multipart/mixed with a base64 attachment). Mean about 20 KB.
 */
final class Messages {
    private static final int TEMPLATES = 100;
    private static final String[] WORDS = ("the of and to in is that for it as was with be by on not he this are or his "
            + "from at which but have an they you were her she there been one all we their has would when if so no "
            + "meeting invoice schedule report budget draft review project update attached please thanks regards "
            + "tomorrow morning quarter figures customer delivery server mailbox release notes agenda minutes").split(" ");
    private static final DateTimeFormatter RFC5322 = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

    private final byte[][] templates = new byte[TEMPLATES][];
    private final String run;
    private final AtomicLong seq = new AtomicLong();

    Messages(String runId) {
        this.run = runId;
        SplittableRandom r = new SplittableRandom(20261126L);
        for (int i = 0; i < TEMPLATES; i++) {
            templates[i] = make(i, r);
        }
    }

    /** A fresh message: template {@code i} (any int, taken modulo the mix) with its own Message-ID. */
    byte[] next(int i) {
        byte[] t = templates[Math.floorMod(i, TEMPLATES)];
        byte[] id = ("Message-ID: <" + seq.incrementAndGet() + "." + run + "@bench.example.test>\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] m = new byte[id.length + t.length];
        System.arraycopy(id, 0, m, 0, id.length);
        System.arraycopy(t, 0, m, id.length, t.length);
        return m;
    }

    /** A small message for the notification test. */
    byte[] small() {
        return next(0);
    }

    long meanSize() {
        long sum = 0;
        for (byte[] t : templates) {
            sum += t.length;
        }
        return sum / TEMPLATES;
    }

    private static byte[] make(int i, SplittableRandom r) {
        int pick = (i * 37) % 100; // a fixed shuffle of the 100 slots
        StringBuilder m = new StringBuilder();
        ZonedDateTime date = ZonedDateTime.of(2026, 1 + i % 12, 1 + i % 28, i % 24, i % 60, 0, 0, ZoneOffset.UTC);
        m.append("Date: ").append(RFC5322.format(date)).append("\r\n");
        m.append("From: \"Sender ").append(i).append("\" <sender").append(i).append("@example.org>\r\n");
        m.append("To: \"Bench User\" <user@example.test>\r\n");
        if (i % 3 == 0) {
            m.append("Cc: colleague").append(i).append("@example.org, \"Team\" <team@example.org>\r\n");
        }
        m.append("Subject: ").append(words(r, 4 + i % 6)).append(" #").append(i).append("\r\n");
        m.append("MIME-Version: 1.0\r\n");
        if (pick < 35) {
            plain(m, text(r, 1_800));
        } else if (pick < 65) {
            plain(m, text(r, 5_800));
        } else if (pick < 85) {
            String b = "alt-" + i;
            m.append("Content-Type: multipart/alternative; boundary=\"").append(b).append("\"\r\n\r\n");
            String body = text(r, 8_000);
            m.append("--").append(b).append("\r\n");
            m.append("Content-Type: text/plain; charset=utf-8\r\n\r\n").append(body);
            m.append("--").append(b).append("\r\n");
            m.append("Content-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>")
                    .append(body.replace("\r\n", "</p>\r\n<p>")).append("</p></body></html>\r\n");
            m.append("--").append(b).append("--\r\n");
        } else {
            int attachment = pick < 97 ? 42_000 : 150_000;
            String b = "mixed-" + i;
            m.append("Content-Type: multipart/mixed; boundary=\"").append(b).append("\"\r\n\r\n");
            m.append("--").append(b).append("\r\n");
            m.append("Content-Type: text/plain; charset=utf-8\r\n\r\n").append(text(r, 1_500));
            m.append("--").append(b).append("\r\n");
            m.append("Content-Type: application/pdf; name=\"report-").append(i).append(".pdf\"\r\n");
            m.append("Content-Disposition: attachment; filename=\"report-").append(i).append(".pdf\"\r\n");
            m.append("Content-Transfer-Encoding: base64\r\n\r\n");
            byte[] bin = new byte[attachment];
            r.nextBytes(bin);
            String b64 = Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encodeToString(bin);
            m.append(b64).append("\r\n");
            m.append("--").append(b).append("--\r\n");
        }
        return m.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void plain(StringBuilder m, String body) {
        m.append("Content-Type: text/plain; charset=utf-8\r\n\r\n").append(body);
    }

    private static String text(SplittableRandom r, int bytes) {
        StringBuilder t = new StringBuilder(bytes + 100);
        int lineStart = 0;
        while (t.length() < bytes) {
            String w = WORDS[r.nextInt(WORDS.length)];
            if (t.length() - lineStart + w.length() > 72) {
                t.append("\r\n");
                lineStart = t.length();
            } else if (t.length() > lineStart) {
                t.append(' ');
            }
            t.append(w);
        }
        return t.append("\r\n").toString();
    }

    private static String words(SplittableRandom r, int n) {
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < n; k++) {
            if (k > 0) {
                s.append(' ');
            }
            s.append(WORDS[r.nextInt(WORDS.length)]);
        }
        return s.toString();
    }
}
