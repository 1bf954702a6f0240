package org.postern.smtp.outbound;

import java.util.List;

/** A reply from a remote SMTP server (RFC 5321 §4.2): its code and its lines without the code. */
record PeerReply(int code, List<String> lines) {
    PeerReply {
        lines = List.copyOf(lines);
    }

    boolean positive() {
        return code >= 200 && code < 400;
    }

    boolean permanent() {
        return code >= 500;
    }

    /** "550 5.1.1 no such user", the lines joined by spaces, cut to 400 characters. */
    String oneLine() {
        String s = code + " " + String.join(" ", lines).replaceAll("[\\p{Cntrl}]", " ").strip();
        return s.length() > 400 ? s.substring(0, 400) : s;
    }

    @Override
    public String toString() {
        return oneLine();
    }
}
