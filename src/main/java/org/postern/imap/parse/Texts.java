package org.postern.imap.parse;

/** Helpers for the human-readable text of error responses. */
final class Texts {
    static final int CLIP = 48;

    private Texts() {
    }

    /** Any text made safe for a response line: characters outside printable ASCII become {@code ?}. */
    static String sanitize(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }

    /**
     * Client text made safe to echo in a response: at most {@value #CLIP} characters, and
     * anything outside printable ASCII shown as {@code ?} (response text is one line of
     * TEXT-CHAR, RFC 9051 §9).
     */
    static String clip(String s) {
        String head = s.length() > CLIP ? s.substring(0, CLIP) : s;
        return sanitize(head) + (s.length() > CLIP ? "..." : "");
    }
}
