package org.postern.smtp;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.postern.store.OutboundQueue;

/**
 * The RCPT TO parameters Postern offers: NOTIFY and ORCPT of DSN (RFC 3461 §4.1, §4.2). Anything
 * else is {@code 555} (RFC 5321 §4.1.1.11); a bad value is {@code 501 5.5.4}.
 */
final class RcptParameters {
    /** RFC 3461 §4.2: an ORCPT of at most 500 characters. */
    static final int MAX_ORCPT = 500;

    private RcptParameters() {}

    static OutboundQueue.RecipientDsn parse(List<Command.Param> params) throws SmtpException {
        Set<OutboundQueue.Notify> notify = null;
        String orcpt = null;
        Set<String> seen = new HashSet<>();
        for (Command.Param p : params) {
            if (!seen.add(p.keyword())) {
                throw new SmtpException(Replies.syntax("parameter " + p.keyword() + " given twice"));
            }
            switch (p.keyword()) {
                case "NOTIFY" -> notify = notify(p.value());
                case "ORCPT" -> orcpt = orcpt(p.value());
                default -> throw new SmtpException(Replies.UNSUPPORTED_PARAMETER);
            }
        }
        return notify == null && orcpt == null ? OutboundQueue.RecipientDsn.NONE : new OutboundQueue.RecipientDsn(notify, orcpt);
    }

    // RFC 3461 §4.1: "NOTIFY=" ("NEVER" / 1#notify-list-element), NEVER alone
    private static Set<OutboundQueue.Notify> notify(String value) throws SmtpException {
        String bad = "NOTIFY is NEVER, or one or more of SUCCESS, FAILURE and DELAY separated by commas (RFC 3461 §4.1)";
        if (value == null || value.isEmpty()) {
            throw new SmtpException(Replies.syntax(bad));
        }
        String v = value.toUpperCase(Locale.ROOT);
        if (v.equals("NEVER")) {
            return Set.of();
        }
        Set<OutboundQueue.Notify> out = EnumSet.noneOf(OutboundQueue.Notify.class);
        for (String word : v.split(",", -1)) {
            OutboundQueue.Notify n = switch (word) {
                case "SUCCESS" -> OutboundQueue.Notify.SUCCESS;
                case "FAILURE" -> OutboundQueue.Notify.FAILURE;
                case "DELAY" -> OutboundQueue.Notify.DELAY;
                case "NEVER" -> throw new SmtpException(Replies.syntax("NOTIFY=NEVER cannot be combined with anything else "
                        + "(RFC 3461 §4.1)"));
                default -> throw new SmtpException(Replies.syntax(bad));
            };
            if (!out.add(n)) {
                throw new SmtpException(Replies.syntax("NOTIFY names " + n + " twice"));
            }
        }
        return out;
    }

    // RFC 3461 §4.2: "ORCPT=" addr-type ";" xtext, addr-type an atom (RFC 5322)
    private static String orcpt(String value) throws SmtpException {
        if (value == null || value.length() > MAX_ORCPT) {
            throw new SmtpException(Replies.syntax("ORCPT needs a value of at most " + MAX_ORCPT + " characters "
                    + "(RFC 3461 §4.2)"));
        }
        int semi = value.indexOf(';');
        if (semi <= 0 || !value.substring(0, semi).matches("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+")) {
            throw new SmtpException(Replies.syntax("ORCPT is addr-type;address, such as rfc822;alice@example.org (RFC 3461 §4.2)"));
        }
        String address = Xtext.decode(value.substring(semi + 1)).orElseThrow(() -> new SmtpException(Replies.syntax(
                "the ORCPT address is not valid xtext of printable ASCII (RFC 3461 §4)")));
        if (address.isEmpty()) {
            throw new SmtpException(Replies.syntax("ORCPT has an empty address (RFC 3461 §4.2)"));
        }
        return value.substring(0, semi).toLowerCase(Locale.ROOT) + ";" + address;
    }
}
