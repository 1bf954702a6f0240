package org.postern.smtp.dkim;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** Reads the header of a message from a stream, leaving the stream at the first byte of the body. */
final class HeaderReader {
    /** The largest header read; past it the message is treated as all header. */
    static final int MAX_HEADER = 1 << 20;

    record Split(List<HeaderField> fields, InputStream body) {}

    private HeaderReader() {}

    static Split split(InputStream message) throws IOException {
        InputStream in = message instanceof BufferedInputStream ? message : new BufferedInputStream(message, 64 * 1024);
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        boolean lineStart = true;
        while (header.size() < MAX_HEADER) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            if (lineStart && (b == '\r' || b == '\n')) {
                if (b == '\r') {
                    in.mark(1);
                    if (in.read() != '\n') {
                        in.reset();
                    }
                }
                break; // the empty line; the body follows
            }
            header.write(b);
            lineStart = b == '\n';
        }
        return new Split(HeaderField.parse(header.toByteArray()), in);
    }
}
