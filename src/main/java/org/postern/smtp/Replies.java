package org.postern.smtp;

/**
 * The texts people read (DESIGN.md, Error texts): Gmail's codes and wording, with links to
 * Postern's own help pages. Every reply carries an enhanced status code (RFC 2034, RFC 3463)
 * except the greeting and the EHLO lines.
 */
final class Replies {
    private Replies() {}

    static final Reply OK = Reply.of(250, "2.0.0", "OK");
    static final Reply SENDER_OK = Reply.of(250, "2.1.0", "OK");
    static final Reply RECIPIENT_OK = Reply.of(250, "2.1.5", "OK");
    static final Reply START_DATA = Reply.of(354, null, "Go ahead; end with <CRLF>.<CRLF>");
    static final Reply READY_FOR_TLS = Reply.of(220, "2.0.0", "Ready to start TLS");
    static final Reply AUTH_OK = Reply.of(235, "2.7.0", "Accepted");
    static final Reply VRFY = Reply.of(252, "2.1.5", "Cannot VRFY user, but will accept message and attempt delivery");

    // RFC 5321 §4.2.2, §4.2.4
    static final Reply UNRECOGNISED = Reply.of(500, "5.5.1", "Unrecognized command");
    static final Reply LINE_TOO_LONG = Reply.of(500, "5.5.2", "Line too long");
    static final Reply NOT_UTF8 = Reply.of(500, "5.5.2", "Syntax error: the command is not valid UTF-8");
    static final Reply BARE_LINE_END_COMMAND = Reply.of(500, "5.5.2",
            "Syntax error: bare CR or LF in a command; lines end with CRLF (RFC 5321 §2.3.8)");
    static final Reply EXPN = Reply.of(502, "5.5.1", "EXPN is not available");
    static final Reply NEED_HELO = Reply.of(503, "5.5.1", "Send EHLO or HELO first");
    static final Reply NESTED_MAIL = Reply.of(503, "5.5.1", "Sender already specified; RSET first");
    static final Reply NEED_MAIL = Reply.of(503, "5.5.1", "Need MAIL before RCPT");
    static final Reply NEED_RCPT = Reply.of(503, "5.5.1", "Need RCPT before DATA");
    static final Reply NO_VALID_RECIPIENTS = Reply.of(554, "5.5.1", "No valid recipients");
    static final Reply TOO_MANY_RECIPIENTS = Reply.of(452, "4.5.3", "Too many recipients; send the others in another message");
    static final Reply UNSUPPORTED_PARAMETER = Reply.of(555, "5.5.4", "Unsupported MAIL/RCPT parameter");
    static final Reply MESSAGE_TOO_BIG = Reply.of(552, "5.3.4", "Message size exceeds fixed maximum message size");
    static final Reply BINARY_NEEDS_BDAT = Reply.of(503, "5.5.1", "BODY=BINARYMIME requires BDAT, not DATA (RFC 3030 §3)");
    static final Reply BARE_LINE_END_DATA = Reply.of(550, "5.6.0",
            "Message refused: bare CR, bare LF or NUL in the message; lines must end with CRLF (RFC 5321 §2.3.8)");
    static final Reply DATA_LINE_TOO_LONG = Reply.of(550, "5.6.0",
            "Message refused: a line is too long for DATA; send it with BDAT (CHUNKING)");
    static final Reply REQUIRETLS_WITHOUT_TLS = Reply.of(530, "5.7.10",
            "REQUIRETLS needs a TLS session: STARTTLS first (RFC 8689)");
    static final Reply NON_ASCII_ADDRESS = Reply.of(553, "5.6.7", "Non-ASCII addresses require SMTPUTF8 (RFC 6531)");
    static final Reply TEMPORARY = Reply.of(451, "4.3.0", "Temporary System Problem. Try again later.");
    static final Reply ALREADY_TLS = Reply.of(503, "5.5.1", "TLS is already active");
    static final Reply TLS_AFTER_AUTH = Reply.of(503, "5.5.1", "Already authenticated; STARTTLS is not allowed now");
    static final Reply TLS_UNAVAILABLE = Reply.of(454, "4.7.0", "TLS not available");
    static final Reply MUST_STARTTLS = Reply.of(530, "5.7.0", "Must issue a STARTTLS command first.");
    static final Reply ALREADY_AUTHENTICATED = Reply.of(503, "5.5.1", "Already authenticated");
    static final Reply AUTH_MECHANISM = Reply.of(504, "5.5.4", "Unrecognized authentication type");
    static final Reply AUTH_CANCELLED = Reply.of(501, "5.7.0", "Authentication cancelled");
    static final Reply AUTH_TEMPORARY = Reply.of(454, "4.7.0", "Temporary authentication failure. Try again later.");
    static final Reply AUTH_ON_MX = Reply.of(502, "5.5.1",
            "AUTH is not available on this port; mail clients send on port 587 (STARTTLS) or 465 (TLS)");
    static final Reply NULL_SENDER_SUBMISSION = Reply.of(553, "5.7.1", "The null sender <> cannot be used to send mail");

    static Reply syntax(String what) {
        return Reply.of(501, "5.5.4", "Syntax error: " + what);
    }

    static Reply greeting(String host) {
        return Reply.of(220, null, host + " ESMTP Postern ready");
    }

    static Reply closing(String host) {
        return Reply.of(221, "2.0.0", host + " closing connection");
    }

    static Reply help(String host) {
        return Reply.of(214, "2.0.0", "Postern; see https://" + host + "/help/");
    }

    static Reply timeout(String host) {
        return Reply.of(421, "4.4.2", host + " Error: timeout exceeded; closing connection");
    }

    static Reply tooManyErrors(String host) {
        return Reply.of(421, "4.7.0", host + " Too many errors; closing connection");
    }

    static Reply tooManyConnections(String host) {
        return Reply.of(421, "4.7.0", host + " Too many simultaneous connections from your IP address. Try again later.");
    }

    static Reply badCredentials(String host) {
        return Reply.of(535, "5.7.8", "Username and Password not accepted. For more information, go to https://"
                + host + "/help/login");
    }

    static Reply authenticationRequired(String host) {
        return Reply.of(530, "5.7.0", "Authentication Required. For more information, go to https://" + host + "/help/smtp");
    }

    static Reply relayDenied(String address) {
        return Reply.of(550, "5.7.1", "<" + address + ">: Relay access denied");
    }

    static Reply noSuchUser(String address, String host) {
        return Reply.of(550, "5.1.1", "<" + address + ">: no such user. The email account that you tried to reach "
                + "does not exist. For more information, go to https://" + host + "/help/no-such-user");
    }

    static Reply badRecipientSyntax(String why) {
        return Reply.of(501, "5.1.3", "Bad recipient address syntax: " + why);
    }

    static Reply badSenderSyntax(String why) {
        return Reply.of(501, "5.1.7", "Bad sender address syntax: " + why);
    }

    static Reply senderNotYours(String address, String host) {
        return Reply.of(553, "5.7.1", "<" + address + ">: Sender address rejected: not owned by the authenticated "
                + "account. For more information, go to https://" + host + "/help/send-as");
    }

    static Reply fromNotYours(String host) {
        return Reply.of(553, "5.7.1", "The From header names an address that the authenticated account does not own. "
                + "For more information, go to https://" + host + "/help/send-as");
    }
}
