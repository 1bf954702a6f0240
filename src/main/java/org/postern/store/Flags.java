package org.postern.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The system flags of RFC 9051 §2.3.2 as bits. Keywords (user-defined flags) are kept apart as
 * strings. \Recent is not stored: it belongs to a session (RFC 3501 §2.3.2), not to the message.
 */
public final class Flags {
    public static final int SEEN = 1;
    public static final int ANSWERED = 1 << 1;
    public static final int FLAGGED = 1 << 2;
    public static final int DELETED = 1 << 3;
    public static final int DRAFT = 1 << 4;
    public static final int ALL = SEEN | ANSWERED | FLAGGED | DELETED | DRAFT;

    private static final String[] NAMES = {"\\Seen", "\\Answered", "\\Flagged", "\\Deleted", "\\Draft"};

    private Flags() {}

    /** The bit of a system flag name (case-insensitive), or 0 if it is not one. */
    public static int bit(String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equalsIgnoreCase(name)) {
                return 1 << i;
            }
        }
        return 0;
    }

    /** The flag names of the bits set, in a fixed order. */
    public static List<String> names(int bits) {
        List<String> out = new ArrayList<>(5);
        for (int i = 0; i < NAMES.length; i++) {
            if ((bits & (1 << i)) != 0) {
                out.add(NAMES[i]);
            }
        }
        return out;
    }

    public static String toString(int bits) {
        return String.join(" ", names(bits)).toLowerCase(Locale.ROOT);
    }
}
