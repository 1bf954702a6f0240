package org.postern.mime;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a raw message one line at a time, knowing the absolute offset of every line, with a
 * fixed-size buffer whatever the input. A line ends after LF (CRLF, bare LF and mixed endings all
 * work); a line longer than {@link #MAX_LINE} comes in pieces, the later pieces not being at the
 * start of a line.
 *
 * <p>Usage: {@link #peek()} makes the next line current without consuming it, {@link #consume()}
 * moves past it. Not thread-safe.
 */
final class LineReader {

    static final int MAX_LINE = 16 * 1024;

    private final InputStream in;
    // Twice the longest line: room to compact a partial line and read on (messages are mostly
    // smaller than this, and one is parsed per delivery: a larger buffer is mostly zeroing).
    private final byte[] buf = new byte[2 * MAX_LINE];
    private long bufBase;
    private int start;
    private int end;
    private int lineEnd = -1;
    private int scanFrom;
    private boolean eof;
    private boolean atLineStart = true;
    private long lfCount;
    private int last1 = -1;
    private int last2 = -1;

    LineReader(InputStream in) {
        this.in = in;
    }

    /** Absolute offset of the current line (or of the end, after the last line). */
    long offset() {
        return bufBase + start;
    }

    /** Number of LF bytes in all consumed lines. */
    long lfCount() {
        return lfCount;
    }

    /**
     * Makes the next line current. Returns false at the end of input.
     */
    boolean peek() throws IOException {
        if (lineEnd >= 0) {
            return true;
        }
        while (true) {
            int limit = Math.min(end, start + MAX_LINE);
            for (int i = Math.max(scanFrom, start); i < limit; i++) {
                if (buf[i] == '\n') {
                    lineEnd = i + 1;
                    return true;
                }
            }
            scanFrom = limit;
            if (end - start >= MAX_LINE) {
                lineEnd = start + MAX_LINE;
                return true;
            }
            if (eof) {
                if (end > start) {
                    lineEnd = end;
                    return true;
                }
                return false;
            }
            fill();
        }
    }

    private void fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            bufBase += start;
            end -= start;
            scanFrom -= start;
            start = 0;
        }
        int n = in.read(buf, end, buf.length - end);
        if (n < 0) {
            eof = true;
        } else {
            end += n;
        }
    }

    /** Whether the current line starts a line (false for the later pieces of a long line). */
    boolean atLineStart() {
        return atLineStart;
    }

    byte[] buffer() {
        return buf;
    }

    /** Index in {@link #buffer()} of the current line's first byte. */
    int lineStart() {
        return start;
    }

    /** Length of the current line, line break included. */
    int lineLength() {
        return lineEnd - start;
    }

    /** Length of the current line without its CRLF or LF. */
    int contentLength() {
        int len = lineEnd - start;
        if (len > 0 && buf[lineEnd - 1] == '\n') {
            len--;
            if (len > 0 && buf[start + len - 1] == '\r') {
                len--;
            }
        }
        return len;
    }

    /** An empty line, CRLF or LF alone. */
    boolean isBlank() {
        if (!atLineStart) {
            return false;
        }
        int len = lineEnd - start;
        return (len == 1 && buf[start] == '\n') || (len == 2 && buf[start] == '\r' && buf[start + 1] == '\n');
    }

    /** Moves past the current line; {@link #peek()} must have returned true. */
    void consume() {
        int len = lineEnd - start;
        boolean lf = buf[lineEnd - 1] == '\n';
        if (lf) {
            lfCount++;
        }
        if (len >= 2) {
            last2 = buf[lineEnd - 2];
        } else {
            last2 = last1;
        }
        last1 = buf[lineEnd - 1];
        atLineStart = lf;
        start = lineEnd;
        lineEnd = -1;
    }

    /**
     * Length of the line break that ended the consumed input: 2 for CRLF, 1 for LF, 0 otherwise.
     * Before a boundary line, these bytes belong to the delimiter (RFC 2046 §5.1.1).
     */
    int previousLineBreak() {
        if (last1 != '\n') {
            return 0;
        }
        return last2 == '\r' ? 2 : 1;
    }

    /** Consumes everything left. */
    void skipToEnd() throws IOException {
        while (peek()) {
            consume();
        }
    }
}
