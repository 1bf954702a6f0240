package org.postern.smtp.dkim;

import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The body hash (RFC 6376 §3.7) as the body streams through: canonicalization (§3.4.3 simple,
 * §3.4.4 relaxed) with deferred empty lines, so trailing ones can be dropped at the end, and the
 * {@code l=} limit (§3.5) on the canonical bytes. A bare LF ends a line as CR LF would.
 */
public final class BodyHasher extends OutputStream {
    private final Canonicalization c;
    private final long limit;
    private final MessageDigest sha256;
    private long counted;
    private long pendingLineEnds;
    private boolean pendingSpace;
    private boolean pendingCr;
    private boolean anyContent;
    private boolean lineOpen;
    private byte[] digest;

    /** @param limit the l= value, or -1 for the whole body */
    public BodyHasher(Canonicalization c, long limit) {
        this.c = c;
        this.limit = limit;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void write(int b) {
        if (pendingCr) {
            pendingCr = false;
            if (b == '\n') {
                lineEnd();
                return;
            }
            content('\r');
        }
        switch (b) {
            case '\r' -> pendingCr = true;
            case '\n' -> lineEnd();
            case ' ', '\t' -> {
                if (c == Canonicalization.RELAXED) {
                    pendingSpace = true;
                } else {
                    content(b);
                }
            }
            default -> content(b);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            write(b[i] & 0xff);
        }
    }

    private void lineEnd() {
        pendingSpace = false; // §3.4.4 (a): trailing white space of a line is ignored
        pendingLineEnds++;
        lineOpen = false;
    }

    private void content(int b) {
        for (; pendingLineEnds > 0; pendingLineEnds--) {
            emit('\r');
            emit('\n');
        }
        if (pendingSpace) {
            pendingSpace = false;
            emit(' '); // §3.4.4 (a): a run of white space is one space, also at the start of a line
        }
        emit(b);
        anyContent = true;
        lineOpen = true;
    }

    private void emit(int b) {
        if (limit < 0 || counted < limit) {
            sha256.update((byte) b);
        }
        counted++;
    }

    /** The hash; the body is complete. */
    public byte[] digest() {
        if (digest == null) {
            if (pendingCr) {
                pendingCr = false;
                content('\r');
            }
            if (anyContent) {
                emit('\r'); // §3.4.3, §3.4.4: a body with content ends with one CR LF, trailing empty lines removed
                emit('\n');
            } else if (c == Canonicalization.SIMPLE) {
                emit('\r'); // §3.4.3: an empty body is one CR LF
                emit('\n');
            }
            digest = sha256.digest();
        }
        return digest.clone();
    }

    /** Canonical body bytes counted so far (after {@link #digest()}: the canonical body's length). */
    public long length() {
        return counted;
    }
}
