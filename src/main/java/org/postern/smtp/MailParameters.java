package org.postern.smtp;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.postern.store.OutboundQueue;

/**
 * The MAIL FROM parameters Postern offers: SIZE (RFC 1870), BODY (RFC 6152, RFC 3030), SMTPUTF8
 * (RFC 6531), RET and ENVID (RFC 3461 §4.3, §4.4), REQUIRETLS (RFC 8689, over TLS only) and,
 * on submission, AUTH (RFC 4954 §5, accepted and ignored). Anything else is {@code 555}
 * (RFC 5321 §4.1.1.11).
 */
record MailParameters(long size, OutboundQueue.Body body, boolean smtputf8, OutboundQueue.Options options) {
    /** RFC 3461 §4.4: an ENVID of at most 100 characters. */
    static final int MAX_ENVID = 100;

    static MailParameters parse(List<Command.Param> params, boolean submission, boolean tls, long maxSize) throws SmtpException {
        long size = -1;
        OutboundQueue.Body body = OutboundQueue.Body.SEVEN_BIT;
        boolean utf8 = false;
        OutboundQueue.Ret ret = null;
        String envid = null;
        boolean requireTls = false;
        Set<String> seen = new HashSet<>();
        for (Command.Param p : params) {
            if (!seen.add(p.keyword())) {
                throw new SmtpException(Replies.syntax("parameter " + p.keyword() + " given twice"));
            }
            switch (p.keyword()) {
                case "SIZE" -> {
                    if (p.value() == null || !p.value().matches("[0-9]{1,18}")) {
                        throw new SmtpException(Replies.syntax("SIZE needs a number of bytes"));
                    }
                    size = Long.parseLong(p.value());
                    if (size > maxSize) { // RFC 1870 §6.2: refuse at once
                        throw new SmtpException(Replies.MESSAGE_TOO_BIG);
                    }
                }
                case "BODY" -> body = switch (p.value() == null ? "" : p.value().toUpperCase(java.util.Locale.ROOT)) {
                    case "7BIT" -> OutboundQueue.Body.SEVEN_BIT;
                    case "8BITMIME" -> OutboundQueue.Body.EIGHT_BIT_MIME;
                    case "BINARYMIME" -> OutboundQueue.Body.BINARY_MIME;
                    default -> throw new SmtpException(Replies.syntax("BODY is 7BIT, 8BITMIME or BINARYMIME"));
                };
                case "SMTPUTF8" -> {
                    if (p.value() != null) {
                        throw new SmtpException(Replies.syntax("SMTPUTF8 takes no value"));
                    }
                    utf8 = true;
                }
                case "RET" -> ret = switch (p.value() == null ? "" : p.value().toUpperCase(java.util.Locale.ROOT)) {
                    case "FULL" -> OutboundQueue.Ret.FULL;
                    case "HDRS" -> OutboundQueue.Ret.HDRS;
                    default -> throw new SmtpException(Replies.syntax("RET is FULL or HDRS (RFC 3461 §4.3)"));
                };
                case "ENVID" -> {
                    if (p.value() == null || p.value().isEmpty() || p.value().length() > MAX_ENVID) {
                        throw new SmtpException(Replies.syntax("ENVID needs a value of 1 to " + MAX_ENVID
                                + " characters (RFC 3461 §4.4)"));
                    }
                    envid = Xtext.decode(p.value()).orElseThrow(() -> new SmtpException(Replies.syntax(
                            "ENVID is not valid xtext of printable ASCII (RFC 3461 §4)")));
                }
                case "REQUIRETLS" -> {
                    if (p.value() != null) {
                        throw new SmtpException(Replies.syntax("REQUIRETLS takes no value"));
                    }
                    if (!tls) { // RFC 8689: only offered, and only accepted, over TLS
                        throw new SmtpException(Replies.REQUIRETLS_WITHOUT_TLS);
                    }
                    requireTls = true;
                }
                case "AUTH" -> {
                    if (!submission) {
                        throw new SmtpException(Replies.UNSUPPORTED_PARAMETER);
                    }
                }
                default -> throw new SmtpException(Replies.UNSUPPORTED_PARAMETER);
            }
        }
        return new MailParameters(size, body, utf8, new OutboundQueue.Options(ret, envid, requireTls));
    }
}
