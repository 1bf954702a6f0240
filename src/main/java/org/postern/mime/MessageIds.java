package org.postern.mime;

import java.util.ArrayList;
import java.util.List;

/** Extracts msg-ids (RFC 5322 §3.6.4) from Message-ID, In-Reply-To and References. */
final class MessageIds {

    private static final int MAX_IDS = 1000;

    private MessageIds() {
    }

    /**
     * The ids of a header value without their angle brackets. Without any "&lt;", a single word is
     * taken as an id, and in free text (old In-Reply-To) the words holding '@' are.
     */
    static List<String> all(String value) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        int i = value.indexOf('<');
        if (i >= 0) {
            while (i >= 0 && out.size() < MAX_IDS) {
                int close = value.indexOf('>', i + 1);
                if (close < 0) {
                    break;
                }
                String id = value.substring(i + 1, close).strip();
                if (!id.isEmpty()) {
                    out.add(id);
                }
                i = value.indexOf('<', close + 1);
            }
            return out;
        }
        String[] words = value.strip().split("[ \t]+");
        if (words.length == 1 && !words[0].isEmpty()) {
            out.add(words[0]);
            return out;
        }
        for (String w : words) {
            if (w.indexOf('@') > 0 && out.size() < MAX_IDS) {
                out.add(w);
            }
        }
        return out;
    }

    /** The first id, or null. */
    static String first(String value) {
        List<String> ids = all(value);
        return ids.isEmpty() ? null : ids.get(0);
    }
}
