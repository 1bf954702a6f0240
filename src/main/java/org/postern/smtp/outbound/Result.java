package org.postern.smtp.outbound;

/**
 * What one attempt did for one recipient.
 *
 * @param address   the recipient
 * @param kind      delivered (into a mailbox here), relayed (to a next hop that does not offer DSN), passed on (to
 *                  one that does, which reports from then on: RFC 3461 §5.2.2), failed for good, failed for
 *                  now, or not tried this round
 * @param reply     the remote reply or the reason, one line ("550 5.1.1 no such user"), for the queue and DSNs
 * @param remoteMta the host that answered, or null when none did
 */
record Result(String address, Kind kind, String reply, String remoteMta) {
    enum Kind { DELIVERED, RELAYED, PASSED_ON, PERMANENT, TEMPORARY, NOT_TRIED }

    static Result temporary(String address, String reply, String remoteMta) {
        return new Result(address, Kind.TEMPORARY, reply, remoteMta);
    }

    static Result permanent(String address, String reply, String remoteMta) {
        return new Result(address, Kind.PERMANENT, reply, remoteMta);
    }

    /** The enhanced status code (RFC 3463) of the reply, or one derived from its kind. */
    String status() {
        String[] words = reply.split(" ");
        for (int i = 0; i < Math.min(2, words.length); i++) {
            if (words[i].matches("[245]\\.[0-9]{1,3}\\.[0-9]{1,3}")) {
                return words[i];
            }
        }
        return switch (kind) {
            case DELIVERED, RELAYED, PASSED_ON -> "2.0.0";
            case PERMANENT -> "5.0.0";
            default -> "4.0.0";
        };
    }

    /** The reply came from an SMTP server ("550 ..."), as opposed to a local reason. */
    boolean fromSmtp() {
        return reply.length() > 3 && reply.substring(0, 3).chars().allMatch(Character::isDigit) && reply.charAt(3) == ' ';
    }
}
