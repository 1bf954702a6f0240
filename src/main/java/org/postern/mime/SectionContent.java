package org.postern.mime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The bytes of one body section, ready to send as a literal: its length first, then a stream.
 * Raw sections are ranges of the stored message; filtered and decoded ones are computed.
 */
public interface SectionContent {

    /**
     * False when the section names a part that does not exist (or HEADER/TEXT of a part that is
     * not a message): the content is then empty, which servers send as "" (RFC 3501 §6.4.5
     * leaves the reply open; an empty string is what clients accept).
     */
    boolean exists();

    /** Length in octets. May read the content once (decoded sections) and remember it. */
    long length() throws IOException;

    /** The content; the caller closes the stream. */
    InputStream open() throws IOException;

    /** True if the content holds a NUL octet, which needs literal8 (RFC 3516 §4.2). */
    default boolean containsNul() throws IOException {
        try (InputStream in = open()) {
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == 0) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    default void writeTo(OutputStream out) throws IOException {
        try (InputStream in = open()) {
            in.transferTo(out);
        }
    }

    /**
     * The partial fetch {@code <origin.count>} (RFC 3501 §6.4.5): {@code count} octets from
     * {@code origin}, fewer at the end; empty when {@code origin} is past the end.
     */
    default SectionContent partial(long origin, long count) throws IOException {
        if (origin < 0 || count < 0) {
            throw new IllegalArgumentException("negative partial range");
        }
        long length = length();
        long from = Math.min(origin, length);
        long n = Math.min(count, length - from);
        return Contents.slice(this, from, n);
    }
}
