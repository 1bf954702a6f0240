package org.postern.mime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

/**
 * A large message produced on the fly, never held in memory: a text part and a base64
 * attachment of {@code attachmentSize} pseudo-random bytes (76-character lines, CRLF).
 */
final class GeneratedMessage extends InputStream {

    static final String HEAD = "From: big@example.com\r\nSubject: big\r\n"
            + "Content-Type: multipart/mixed; boundary=\"BIG\"\r\n\r\n"
            + "--BIG\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
            + "--BIG\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    static final String TAIL = "\r\n--BIG--\r\n";

    private final long attachmentSize;
    private final SplittableRandom random = new SplittableRandom(7);
    private final CRC32 crc = new CRC32();
    private long produced;
    private byte[] chunk = HEAD.getBytes(StandardCharsets.US_ASCII);
    private int pos;
    private boolean tailSent;

    GeneratedMessage(long attachmentSize) {
        this.attachmentSize = attachmentSize;
    }

    /** Size of the base64 body: 76-character lines joined by CRLF, no final line break. */
    static long base64BodySize(long attachmentSize) {
        long chars = (attachmentSize + 2) / 3 * 4;
        long lines = (chars + 75) / 76;
        return chars + 2 * Math.max(0, lines - 1);
    }

    /** Line breaks inside the base64 body (the one before the boundary is the delimiter's). */
    static long base64LineBreaks(long attachmentSize) {
        long chars = (attachmentSize + 2) / 3 * 4;
        return Math.max(0, (chars + 75) / 76 - 1);
    }

    static long totalSize(long attachmentSize) {
        return HEAD.length() + base64BodySize(attachmentSize) + TAIL.length();
    }

    /** CRC-32 of the attachment bytes produced so far. */
    long attachmentCrc() {
        return crc.getValue();
    }

    private boolean next() {
        if (produced < attachmentSize) {
            int n = (int) Math.min(57 * 64, attachmentSize - produced);
            byte[] data = new byte[n];
            for (int i = 0; i < n; i++) {
                data[i] = (byte) random.nextInt(256);
            }
            crc.update(data);
            String b64 = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(data);
            produced += n;
            chunk = ((produced > n ? "\r\n" : "") + b64).getBytes(StandardCharsets.US_ASCII);
            pos = 0;
            return true;
        }
        if (!tailSent) {
            tailSent = true;
            chunk = TAIL.getBytes(StandardCharsets.US_ASCII);
            pos = 0;
            return true;
        }
        return false;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        while (pos >= chunk.length) {
            if (!next()) {
                return -1;
            }
        }
        int n = Math.min(len, chunk.length - pos);
        System.arraycopy(chunk, pos, b, off, n);
        pos += n;
        return n;
    }

    /** Run in a small-heap JVM by {@link LargeMessageTest}: parses a generated message, prints its sizes. */
    public static void main(String[] args) throws IOException {
        long size = Long.parseLong(args[0]);
        ParsedMessage m = MessageParser.parse(new GeneratedMessage(size));
        BodyPart attachment = m.part(2).orElseThrow();
        System.out.println("parsed " + m.size() + " " + attachment.span().bodySize() + " " + m.status());
    }
}
