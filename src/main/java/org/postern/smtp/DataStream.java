package org.postern.smtp;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import org.postern.net.Line;
import org.postern.net.LineReader;
import org.postern.net.LineTooLongException;

/**
 * The message of a DATA command as it arrives (RFC 5321 §4.1.1.4, §4.5.2): lines read with the
 * connection's strict {@link LineReader}, one leading dot removed from each line, ending at the
 * line that is a lone dot. The bytes handed on are the message, each line ended by CR LF.
 *
 * <p>SMTP smuggling cannot work here: a line ends only at CR LF, so the end of the data is only
 * {@code <CRLF>.<CRLF>}; {@code <LF>.<LF>}, {@code <CR>.<CR>} and their mixtures are content of
 * some line. A line that holds a bare CR, a bare LF or a NUL refuses the message
 * ({@link MessageRefused}) rather than passing it on to a server that might read it otherwise.
 *
 * <p>After a refusal, {@link #drain()} reads and drops the rest, to the real end of the data,
 * so the session can answer and go on. Nothing is held in memory but the current line.
 */
final class DataStream extends InputStream {
    private static final byte[] CRLF = {'\r', '\n'};

    private final LineReader reader;
    private final long maxSize;
    private byte[] line = new byte[0];
    private int pos;
    private boolean crlfPending;
    private boolean ended;
    private long size;
    private boolean connectionFailed;

    DataStream(LineReader reader, long maxSize) {
        this.reader = reader;
        this.maxSize = maxSize;
    }

    /** Bytes of message handed on so far. */
    long size() {
        return size;
    }

    /** True once the terminating lone dot was read. */
    boolean ended() {
        return ended;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (pos == line.length && !crlfPending) {
            if (ended || !nextLine()) {
                return -1;
            }
        }
        if (pos < line.length) {
            int n = Math.min(len, line.length - pos);
            System.arraycopy(line, pos, b, off, n);
            pos += n;
            return n;
        }
        int n = Math.min(len, 2);
        System.arraycopy(CRLF, 0, b, off, n);
        if (n == 2) {
            crlfPending = false;
        } else {
            line = new byte[] {'\n'}; // the LF still to come
            pos = 0;
            crlfPending = false;
        }
        return n;
    }

    /** Reads the next line; false at the end of the data. */
    private boolean nextLine() throws IOException {
        Line l = readLine();
        if (isEnd(l)) {
            ended = true;
            return false;
        }
        byte[] bytes = l.bytes();
        if (l.bareCr() || l.bareLf() || hasNul(bytes)) {
            throw new MessageRefused(Replies.BARE_LINE_END_DATA); // never passed on as it is
        }
        int skip = bytes.length > 0 && bytes[0] == '.' ? 1 : 0; // RFC 5321 §4.5.2 transparency
        size += bytes.length - skip + 2;
        if (size > maxSize) {
            throw new MessageRefused(Replies.MESSAGE_TOO_BIG);
        }
        line = skip == 0 ? bytes : java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        pos = 0;
        crlfPending = true;
        return true;
    }

    /** Reads and drops everything up to and including the end of the data. */
    void drain() throws IOException {
        line = new byte[0];
        pos = 0;
        crlfPending = false;
        while (!ended) {
            try {
                if (isEnd(readLine())) {
                    ended = true;
                }
            } catch (MessageRefused e) {
                // a too-long line while draining: already skipped to its end; keep going
            }
        }
    }

    /** True when reading from the client failed (gone, timed out): the session cannot go on. */
    boolean connectionFailed() {
        return connectionFailed;
    }

    private Line readLine() throws IOException {
        Line l;
        try {
            l = reader.readLine();
        } catch (LineTooLongException e) {
            if (!e.resynced()) {
                connectionFailed = true;
                throw e; // no line end in sight: the connection cannot be saved
            }
            throw new MessageRefused(Replies.DATA_LINE_TOO_LONG);
        } catch (IOException e) {
            connectionFailed = true;
            throw e;
        }
        if (l == null || l.ending() == Line.Ending.EOF) {
            connectionFailed = true;
            throw new EOFException("the client went away in the middle of DATA");
        }
        return l;
    }

    /** RFC 5321 §4.1.1.4: the data ends with a line holding one dot, CR LF before and after. */
    private static boolean isEnd(Line l) {
        return l.isClean() && l.length() == 1 && l.bytes()[0] == '.';
    }

    private static boolean hasNul(byte[] b) {
        for (byte x : b) {
            if (x == 0) {
                return true;
            }
        }
        return false;
    }
}
