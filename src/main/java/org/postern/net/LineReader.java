package org.postern.net;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads lines and counted byte runs (IMAP literals, SMTP BDAT chunks) from a stream, with hard
 * limits, so that a connection's memory stays bounded whatever the client sends: one fixed
 * input buffer plus one line buffer of at most {@code maxLineBytes + 1} bytes.
 *
 * <p>Line endings, RFC 5321 §2.3.8 and RFC 9051 §2.2: the protocols say CR LF. In
 * {@link Mode#STRICT} only CR LF ends a line; a bare CR or bare LF stays in the content and is
 * flagged on the {@link Line}, so no sequence other than CR LF can ever end a line (the defence
 * against SMTP smuggling, where {@code <LF>.<LF>} or {@code <CR>.<CR>} is used to end DATA early
 * on one server but not on another). In {@link Mode#LENIENT} (IMAP, POP3) a bare LF ends a line
 * too; {@link Line#ending()} still says which terminator was seen, so a protocol can accept bare
 * LF in commands while still demanding CR LF where it matters.
 *
 * <p>An over-long line is thrown as {@link LineTooLongException} after the rest of the line has
 * been read and dropped (never buffered), up to {@link #maxSkipBytes()} bytes.
 *
 * <p>Not thread-safe: one reader per connection, used by the connection's own thread. After an
 * exception from the underlying stream (such as {@link IdleTimeoutException}) a partly read line
 * is kept, and the next {@link #readLine()} continues it.
 */
public final class LineReader {

    /** How line terminators are recognised. */
    public enum Mode {
        /** Only CR LF ends a line; bare CR and bare LF are content, flagged on the line (SMTP). */
        STRICT,
        /** CR LF or a bare LF ends a line; bare CR is content, flagged (IMAP, POP3). */
        LENIENT
    }

    /** Upper bound for {@code maxLineBytes}: lines are for commands, not for messages. */
    public static final int MAX_LINE_LIMIT = 1 << 24;
    static final int BUFFER_SIZE = 8192;
    /** The buffer of a reader that gets only short lines: most of an idle connection's life. */
    static final int SMALL_BUFFER = 1024;
    private static final int INITIAL_LINE_CAPACITY = 256;
    private static final int SHRINK_ABOVE = 8192;
    private static final long DEFAULT_MAX_SKIP = 1L << 20;
    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private InputStream in;
    private byte[] buf = new byte[SMALL_BUFFER];
    private int lastFill;
    private int pos;
    private int limit;
    private boolean eof;

    private int maxLineBytes;
    private long maxSkipBytes = DEFAULT_MAX_SKIP;
    private Mode mode;

    // the line being assembled; kept in fields so a timed-out read can resume
    private byte[] line;
    private int lineLen;
    private boolean skipping;
    private long skipped;
    private boolean prevCr;
    private boolean bareLfInLine;

    public LineReader(InputStream in, int maxLineBytes, Mode mode) {
        this.in = Objects.requireNonNull(in, "in");
        maxLineBytes(maxLineBytes);
        mode(mode);
        this.line = new byte[Math.min(INITIAL_LINE_CAPACITY, maxLineBytes + 1)];
    }

    /**
     * Reads the next line.
     *
     * @return the line, or null when the stream ended before any byte of a new line
     * @throws LineTooLongException when the line's content exceeds {@link #maxLineBytes()}
     */
    public Line readLine() throws IOException {
        while (true) {
            if (pos == limit && !fill()) {
                return endOfStream();
            }
            int lf = indexOfLf(pos, limit);
            int end = lf < 0 ? limit : lf;
            if (end > pos) {
                append(pos, end - pos);
                prevCr = buf[end - 1] == CR;
                pos = end;
            }
            if (lf < 0) {
                checkSkipLimit();
                continue;
            }
            pos = lf + 1;
            if (mode == Mode.LENIENT || prevCr) {
                return finish(prevCr ? Line.Ending.CRLF : Line.Ending.LF);
            }
            // STRICT and a bare LF: content, not a terminator
            bareLfInLine = true;
            append(lf, 1);
            prevCr = false;
            checkSkipLimit();
        }
    }

    /**
     * Copies exactly {@code n} bytes to {@code sink}, streaming through the reader's fixed buffer
     * (RFC 9051 §4.3 literals, RFC 3030 §2 BDAT chunks). Call only between lines.
     *
     * @throws EOFException when the stream ends first; the connection should then be closed
     */
    public void readExactly(long n, OutputStream sink) throws IOException {
        if (n < 0) {
            throw new IllegalArgumentException("negative length " + n);
        }
        if (lineLen != 0 || skipping) {
            throw new IllegalStateException("a partial line is pending");
        }
        prevCr = false;
        long remaining = n;
        while (remaining > 0) {
            if (pos == limit && !fill()) {
                throw new EOFException("stream ended with " + remaining + " of " + n + " bytes unread");
            }
            int k = (int) Math.min(remaining, limit - pos);
            sink.write(buf, pos, k);
            pos += k;
            remaining -= k;
        }
    }

    /** Bytes received but not yet returned (the read-ahead buffer plus a partial line). */
    public int buffered() {
        return limit - pos + lineLen;
    }

    /**
     * Drops everything received but not yet returned and returns how many bytes that was.
     * Before a TLS upgrade this is what keeps pipelined plaintext out of the TLS session
     * (RFC 3207 §4.2, CVE-2011-0411).
     */
    public int discardBuffered() {
        int n = buffered();
        pos = 0;
        limit = 0;
        resetLine();
        return n;
    }

    /** True once the stream has ended. */
    public boolean isEof() {
        return eof;
    }

    public int maxLineBytes() {
        return maxLineBytes;
    }

    /** Sets the longest line content accepted, in bytes, terminator excluded. */
    public void maxLineBytes(int max) {
        if (max < 1 || max > MAX_LINE_LIMIT) {
            throw new IllegalArgumentException("maxLineBytes must be 1.." + MAX_LINE_LIMIT + ": " + max);
        }
        if (lineLen > 0 || skipping) {
            throw new IllegalStateException("a partial line is pending");
        }
        this.maxLineBytes = max;
    }

    public long maxSkipBytes() {
        return maxSkipBytes;
    }

    /** Sets how many bytes of an over-long line are skipped looking for its end before giving up. */
    public void maxSkipBytes(long max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxSkipBytes must be positive: " + max);
        }
        this.maxSkipBytes = max;
    }

    public Mode mode() {
        return mode;
    }

    public void mode(Mode mode) {
        this.mode = Objects.requireNonNull(mode, "mode");
    }

    /** Capacity of the line buffer, for tests of the memory bound. */
    int lineCapacity() {
        return line.length;
    }

    /** Continues on another stream, as after a TLS upgrade; call {@link #discardBuffered()} first. */
    /**
     * Puts a decoding stream (such as an inflater) between the source and this reader, from the
     * next unread byte on: bytes already read ahead are decoded too. Only between lines.
     */
    void wrapSource(java.util.function.UnaryOperator<InputStream> wrap) {
        if (lineLen != 0 || skipping) {
            throw new IllegalStateException("a line is half read");
        }
        InputStream source = in;
        if (limit > pos) {
            byte[] ahead = java.util.Arrays.copyOfRange(buf, pos, limit);
            source = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(ahead), in);
        }
        pos = 0;
        limit = 0;
        this.in = Objects.requireNonNull(wrap.apply(source), "in");
    }

    void switchSource(InputStream newIn) {
        if (buffered() != 0) {
            throw new IllegalStateException("buffered input must be discarded before switching");
        }
        this.in = Objects.requireNonNull(newIn, "in");
        this.eof = false;
    }

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        resize();
        int n;
        do {
            n = in.read(buf, 0, buf.length);
        } while (n == 0);
        lastFill = Math.max(n, 0);
        if (n < 0) {
            eof = true;
            pos = 0;
            limit = 0;
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }

    /**
     * Sizes the (empty) buffer before a read: doubled up to {@link #BUFFER_SIZE} while reads fill
     * it (a client sending a message), back to {@link #SMALL_BUFFER} after a short read (a client
     * sending commands, or about to go idle) — so that the thousands of connections sitting in
     * IDLE each block in their read with a small buffer, not 8 KiB.
     */
    private void resize() {
        if (lastFill == buf.length && buf.length < BUFFER_SIZE) {
            buf = new byte[Math.min(buf.length * 2, BUFFER_SIZE)];
        } else if (lastFill < SMALL_BUFFER && buf.length > SMALL_BUFFER) {
            buf = new byte[SMALL_BUFFER];
        }
    }

    /** The read buffer's current size (for tests). */
    int bufferCapacity() {
        return buf.length;
    }

    private int indexOfLf(int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] == LF) {
                return i;
            }
        }
        return -1;
    }

    private void append(int off, int n) {
        if (skipping) {
            skipped += n;
            return;
        }
        int cap = maxLineBytes + 1; // one more for a CR that may turn out to be the terminator
        if (lineLen + n > cap) {
            skipping = true;
            skipped = (long) lineLen + n;
            lineLen = 0;
            shrinkLineBuffer();
            return;
        }
        if (lineLen + n > line.length) {
            line = Arrays.copyOf(line, Math.min(cap, Math.max(line.length * 2, lineLen + n)));
        }
        System.arraycopy(buf, off, line, lineLen, n);
        lineLen += n;
    }

    private void checkSkipLimit() throws LineTooLongException {
        if (skipping && skipped > Math.max(maxSkipBytes, maxLineBytes)) {
            long n = skipped;
            resetLine();
            throw new LineTooLongException(n, maxLineBytes, false);
        }
    }

    private Line finish(Line.Ending ending) throws LineTooLongException {
        int terminatorCr = ending == Line.Ending.CRLF ? 1 : 0;
        if (skipping || lineLen - terminatorCr > maxLineBytes) {
            long n = skipping ? skipped - terminatorCr : lineLen - terminatorCr;
            resetLine();
            throw new LineTooLongException(n, maxLineBytes, true);
        }
        return take(lineLen - terminatorCr, ending);
    }

    private Line endOfStream() throws LineTooLongException {
        if (skipping || lineLen > maxLineBytes) {
            long n = skipping ? skipped : lineLen;
            resetLine();
            throw new LineTooLongException(n, maxLineBytes, false);
        }
        if (lineLen == 0) {
            return null;
        }
        return take(lineLen, Line.Ending.EOF);
    }

    private Line take(int contentLen, Line.Ending ending) {
        byte[] bytes = Arrays.copyOf(line, contentLen);
        boolean bareCr = false;
        for (byte b : bytes) {
            if (b == CR) {
                bareCr = true;
                break;
            }
        }
        Line result = new Line(bytes, ending, bareCr, bareLfInLine);
        resetLine();
        return result;
    }

    private void resetLine() {
        lineLen = 0;
        skipping = false;
        skipped = 0;
        prevCr = false;
        bareLfInLine = false;
        shrinkLineBuffer();
    }

    private void shrinkLineBuffer() {
        if (line.length > SHRINK_ABOVE) { // keep idle connections small
            line = new byte[Math.min(INITIAL_LINE_CAPACITY, maxLineBytes + 1)];
        }
    }
}
