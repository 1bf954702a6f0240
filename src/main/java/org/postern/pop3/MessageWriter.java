package org.postern.pop3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Streams a stored message as the body of a RETR or TOP response (RFC 1939 §3): lines end in
 * CR LF (a bare LF gets its CR), a line that starts with "." gets another in front
 * (dot-stuffing), and the response ends with "." on a line of its own. Memory is two fixed
 * buffers whatever the message's size: nothing is loaded whole.
 *
 * <p>For TOP (RFC 1939 §7) it stops after the header, the empty line that ends it, and
 * {@code bodyLines} lines of the body; a message without a body is sent whole.
 */
final class MessageWriter {
    static final long ALL = -1;
    private static final int CHUNK = 16 * 1024;

    private final OutputStream out;
    private final long bodyLines;
    private final byte[] outBuf = new byte[2 * CHUNK + 4];
    private int outLen;

    private boolean atLineStart = true;
    private boolean lineEmpty = true;
    private boolean pendingCr;
    private boolean inBody;
    private long bodyLinesLeft;
    private boolean done;

    private MessageWriter(OutputStream out, long bodyLines) {
        this.out = out;
        this.bodyLines = bodyLines;
        this.bodyLinesLeft = bodyLines;
    }

    /**
     * Writes {@code in} to {@code out}, terminated; {@code bodyLines} is {@link #ALL} for RETR or
     * the line count of TOP (0 for the header alone).
     */
    static void write(InputStream in, OutputStream out, long bodyLines) throws IOException {
        new MessageWriter(out, bodyLines).copy(in);
    }

    private void copy(InputStream in) throws IOException {
        byte[] inBuf = new byte[CHUNK];
        int n;
        while (!done && (n = in.read(inBuf)) >= 0) {
            for (int i = 0; i < n && !done; i++) {
                take(inBuf[i]);
            }
            drain();
        }
        if (!done) {
            if (pendingCr) {
                pendingCr = false;
                endLine(); // a final CR: take it as the end of the last line
            } else if (!atLineStart) {
                endLine(); // the last line had no line end: give it one before the "."
            }
        }
        put((byte) '.');
        put((byte) '\r');
        put((byte) '\n');
        drain();
    }

    private void take(byte b) {
        if (pendingCr) {
            pendingCr = false;
            if (b == '\n') {
                endLine();
                return;
            }
            content((byte) '\r'); // a bare CR is content
        }
        if (b == '\r') {
            pendingCr = true;
        } else if (b == '\n') {
            endLine(); // a bare LF: sent as CR LF
        } else {
            content(b);
        }
    }

    private void content(byte b) {
        if (atLineStart && b == '.') {
            put((byte) '.'); // RFC 1939 §3: byte-stuff the termination character
        }
        put(b);
        atLineStart = false;
        lineEmpty = false;
    }

    private void endLine() {
        put((byte) '\r');
        put((byte) '\n');
        if (inBody) {
            bodyLinesLeft--;
        } else if (lineEmpty) {
            inBody = true; // the empty line that ends the header
        }
        atLineStart = true;
        lineEmpty = true;
        if (bodyLines != ALL && inBody && bodyLinesLeft <= 0) {
            done = true;
        }
    }

    private void put(byte b) {
        outBuf[outLen++] = b;
    }

    private void drain() throws IOException {
        if (outLen > 0) {
            out.write(outBuf, 0, outLen);
            outLen = 0;
        }
    }
}
