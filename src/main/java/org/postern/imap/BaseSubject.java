package org.postern.imap;

/**
 * The base subject of RFC 5256 §2.1, which SORT SUBJECT and both THREAD algorithms compare: the
 * subject without "Re:", "Fwd:", "[list]" leaders, "(fwd)" trailers and "[fwd: ...]" wrappers.
 *
 * @param text             the base subject, with ASCII letters as written
 * @param replyOrForward   whether a "Re:"/"Fwd:" leader, a "(fwd)" trailer or a "[fwd: ...]"
 *                         wrapper was removed (RFC 5256 §3, REFERENCES step 5)
 */
record BaseSubject(String text, boolean replyOrForward) {

    /** The base subject of a subject whose RFC 2047 encoded words are already decoded. */
    static BaseSubject of(String subject) {
        String s = collapse(subject); // step 1
        boolean extracted = false;
        while (true) {
            // step 2: subj-trailer = "(fwd)" / WSP
            while (true) {
                if (s.endsWith(" ")) {
                    s = s.substring(0, s.length() - 1);
                } else if (s.length() >= 5 && s.regionMatches(true, s.length() - 5, "(fwd)", 0, 5)) {
                    s = s.substring(0, s.length() - 5);
                    extracted = true;
                } else {
                    break;
                }
            }
            // steps 3 to 5: subj-leader, then a leading subj-blob if something is left after it
            boolean changed = true;
            while (changed) {
                changed = false;
                while (true) {
                    if (s.startsWith(" ")) {
                        s = s.substring(1);
                        changed = true;
                        continue;
                    }
                    int n = refwdLeader(s);
                    if (n == 0) {
                        break;
                    }
                    s = s.substring(n);
                    extracted = true;
                    changed = true;
                }
                int blob = blob(s, 0);
                if (blob > 0 && blob < s.length()) {
                    s = s.substring(blob);
                    changed = true;
                }
            }
            // step 6: subj-fwd = "[fwd:" subj-base "]"
            if (s.length() >= 6 && s.regionMatches(true, 0, "[fwd:", 0, 5) && s.endsWith("]")) {
                s = s.substring(5, s.length() - 1);
                extracted = true;
                continue;
            }
            return new BaseSubject(s, extracted);
        }
    }

    /** Tabs and line ends become spaces, and runs of spaces one space. */
    private static String collapse(String subject) {
        StringBuilder sb = new StringBuilder(subject.length());
        boolean space = false;
        for (int i = 0; i < subject.length(); i++) {
            char c = subject.charAt(i);
            boolean wsp = c == ' ' || c == '\t' || c == '\r' || c == '\n';
            if (wsp) {
                if (!space) {
                    sb.append(' ');
                }
            } else {
                sb.append(c);
            }
            space = wsp;
        }
        return sb.toString();
    }

    /** The length of {@code *subj-blob subj-refwd} at the start of {@code s}, or 0. */
    private static int refwdLeader(String s) {
        int pos = 0;
        for (int n; (n = blob(s, pos)) > 0; ) {
            pos += n;
        }
        // subj-refwd = ("re" / ("fw" ["d"])) *WSP [subj-blob] ":"
        if (s.regionMatches(true, pos, "re", 0, 2)) {
            pos += 2;
        } else if (s.regionMatches(true, pos, "fwd", 0, 3)) {
            pos += 3;
        } else if (s.regionMatches(true, pos, "fw", 0, 2)) {
            pos += 2;
        } else {
            return 0;
        }
        while (pos < s.length() && s.charAt(pos) == ' ') {
            pos++;
        }
        pos += blob(s, pos);
        return pos < s.length() && s.charAt(pos) == ':' ? pos + 1 : 0;
    }

    /** The length of {@code subj-blob = "[" *BLOBCHAR "]" *WSP} at {@code pos}, or 0. */
    private static int blob(String s, int pos) {
        if (pos >= s.length() || s.charAt(pos) != '[') {
            return 0;
        }
        int i = pos + 1;
        while (i < s.length() && s.charAt(i) != ']') {
            if (s.charAt(i) == '[') {
                return 0;
            }
            i++;
        }
        if (i >= s.length()) {
            return 0;
        }
        i++;
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return i - pos;
    }

    /**
     * Compares two strings with the {@code i;ascii-casemap} collation (RFC 4790 §9.2), the one
     * RFC 5256 §2.2 names: ASCII letters fold to upper case, everything else compares by code point.
     */
    static int compareAsciiCasemap(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            int d = Integer.compare(upper(ca), upper(cb));
            if (d != 0) {
                return d;
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    /** The key under which {@link #compareAsciiCasemap} finds two strings equal. */
    static String asciiUpper(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            sb.append((char) upper(s.charAt(i)));
        }
        return sb.toString();
    }

    private static int upper(int c) {
        return c >= 'a' && c <= 'z' ? c - 32 : c;
    }
}
