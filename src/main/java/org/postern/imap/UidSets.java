package org.postern.imap;

/** UID sets in their compact wire form: {@code 1:3,7,9:10} (RFC 9051 §9 uid-set). */
final class UidSets {
    private UidSets() {}

    /** Formats UIDs in the given order, joining runs of consecutive ones into ranges. */
    static String format(long[] uids) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < uids.length) {
            int j = i;
            while (j + 1 < uids.length && uids[j + 1] == uids[j] + 1) {
                j++;
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(uids[i]);
            if (j > i) {
                sb.append(':').append(uids[j]);
            }
            i = j + 1;
        }
        return sb.toString();
    }
}
