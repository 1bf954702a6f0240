package org.postern.smtp;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One SMTP reply: a three-digit code, an enhanced status code (RFC 2034, RFC 3463) or null, and
 * one or more lines of text. Written as {@code 250-...} continuation lines and a last
 * {@code 250 ...} line (RFC 5321 §4.2.1).
 */
public record Reply(int code, String status, List<String> lines) {

    public Reply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code " + code);
        }
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply has at least one line");
        }
    }

    public static Reply of(int code, String status, String text) {
        return new Reply(code, status, List.of(text));
    }

    /** 4xx: the client may try again later. */
    public boolean isTemporary() {
        return code >= 400 && code < 500;
    }

    /** 2xx or 3xx. */
    public boolean isPositive() {
        return code < 400;
    }

    /** The reply as it goes on the wire, CRLF after each line. */
    public byte[] wire() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            sb.append(code).append(i == lines.size() - 1 ? ' ' : '-');
            if (status != null) {
                sb.append(status).append(' ');
            }
            sb.append(lines.get(i)).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The first line without CRLF, for logs: "250 2.0.0 OK". */
    @Override
    public String toString() {
        return code + (status == null ? "" : " " + status) + " " + lines.getFirst();
    }
}
