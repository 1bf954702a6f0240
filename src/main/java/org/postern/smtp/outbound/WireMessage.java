package org.postern.smtp.outbound;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.postern.delivery.CrlfInputStream;

/**
 * Writes a stored message as DATA puts it on the wire (RFC 5321 §4.5.2): every line ended by
 * CR LF (a bare LF or CR, possible in a message that came by BDAT, becomes CR LF), a dot doubled
 * at the start of a line, and the final {@code .CRLF} after a last line end.
 */
final class WireMessage {
    private WireMessage() {}

    static void writeData(InputStream message, OutputStream out) throws IOException {
        InputStream in = new CrlfInputStream(message);
        byte[] buf = new byte[64 * 1024];
        byte[] outBuf = new byte[2 * buf.length + 8];
        boolean lineStart = true;
        int last = -1;
        for (int n; (n = in.read(buf)) > 0; ) {
            int o = 0;
            for (int i = 0; i < n; i++) {
                byte b = buf[i];
                if (lineStart && b == '.') {
                    outBuf[o++] = '.';
                }
                outBuf[o++] = b;
                lineStart = b == '\n';
                last = b;
            }
            out.write(outBuf, 0, o);
        }
        if (last != '\n' && last != -1) {
            out.write(new byte[] {'\r', '\n'});
        }
        out.write(new byte[] {'.', '\r', '\n'});
    }

    /** The message with CR LF line ends but no dot-stuffing, for BDAT (RFC 3030 §2). */
    static InputStream crlf(InputStream message) {
        return new CrlfInputStream(message);
    }
}
