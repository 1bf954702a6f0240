package org.postern.mime;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Collects, line by line, the header fields of one entity that MIME structure and ENVELOPE need.
 * Other fields are skipped without being stored; the first occurrence of a field wins; each value
 * is cut at {@link #MAX_FIELD} bytes and all stored values share the parser's {@link Budget}, so
 * memory stays bounded whatever the header.
 */
final class RawHeader {

    static final int MAX_FIELD = 64 * 1024;

    static final Set<String> KEPT = Set.of(
            "content-type", "content-transfer-encoding", "content-id", "content-description",
            "content-disposition", "content-language", "content-location", "content-md5",
            "date", "subject", "from", "sender", "reply-to", "to", "cc", "bcc",
            "in-reply-to", "message-id", "references");

    /** Bytes that all kept header values of one parse may use together. */
    static final class Budget {
        private long remaining;

        Budget(long bytes) {
            this.remaining = bytes;
        }

        boolean take(int n) {
            if (remaining < n) {
                remaining = 0;
                return false;
            }
            remaining -= n;
            return true;
        }
    }

    private final Budget budget;
    private final List<HeaderField> fields = new ArrayList<>();
    private String currentName;
    private byte[] current;
    private int currentLen;

    RawHeader(Budget budget) {
        this.budget = budget;
    }

    /** Adds one header line (or piece of a long line) of the entity. */
    void line(byte[] buf, int off, int len, boolean lineStart) {
        if (len == 0) {
            return;
        }
        if (!lineStart || HeaderField.isWsp(buf[off])) {
            append(buf, off, len);
            return;
        }
        finish();
        int colon = -1;
        for (int i = off; i < off + len; i++) {
            if (buf[i] == ':') {
                colon = i;
                break;
            }
            if (buf[i] == '\n') {
                break;
            }
        }
        if (colon < 0) {
            return;
        }
        int nameEnd = colon;
        while (nameEnd > off && HeaderField.isWsp(buf[nameEnd - 1])) {
            nameEnd--;
        }
        String name = new String(buf, off, nameEnd - off, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        if (!KEPT.contains(name) || get(name) != null) {
            return;
        }
        currentName = name;
        current = new byte[Math.min(len, 256)];
        currentLen = 0;
        append(buf, colon + 1, off + len - colon - 1);
    }

    private void append(byte[] buf, int off, int len) {
        if (currentName == null) {
            return;
        }
        int n = Math.min(len, MAX_FIELD - currentLen);
        if (n <= 0 || !budget.take(n)) {
            return;
        }
        if (currentLen + n > current.length) {
            current = Arrays.copyOf(current, Math.max(currentLen + n, current.length * 2));
        }
        System.arraycopy(buf, off, current, currentLen, n);
        currentLen += n;
    }

    /** Ends the field being collected; call once after the last line. */
    void finish() {
        if (currentName != null) {
            fields.add(HeaderField.of(currentName, current, currentLen));
            currentName = null;
            current = null;
        }
    }

    /** The first field of that (lower-case) name, or null. */
    HeaderField field(String name) {
        for (HeaderField f : fields) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }

    /** The value of the first field of that (lower-case) name, or null. */
    String get(String name) {
        HeaderField f = field(name);
        return f == null ? null : f.value();
    }
}
