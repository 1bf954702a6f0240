package org.postern.smtp;

import java.io.EOFException;
import java.io.IOException;
import java.util.Optional;
import org.postern.auth.Authenticator;
import org.postern.auth.Sasl;
import org.postern.net.Line;
import org.postern.net.LineTooLongException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AUTH PLAIN and LOGIN with or without an initial response (RFC 4954, RFC 4616,
 * draft-murchison-sasl-login), submission only. The password is checked by
 * {@link Authenticator}, the one entry point, and never logged.
 */
final class AuthCommand {
    private static final Logger log = LoggerFactory.getLogger(AuthCommand.class);

    private AuthCommand() {}

    /** A client's SASL response line was "*" (RFC 4954 §4). */
    private static final class Cancelled extends Exception {
        Cancelled() {
            super(null, null, false, false);
        }
    }

    static Reply auth(Session s, Command.Auth c) throws IOException {
        if (!s.submission()) {
            return Replies.AUTH_ON_MX;
        }
        if (!s.passwordsAllowed()) {
            return Replies.MUST_STARTTLS;
        }
        if (s.helo == null) {
            return Replies.NEED_HELO;
        }
        if (s.account != null) {
            return Replies.ALREADY_AUTHENTICATED;
        }
        Optional<String> mech = Sasl.mechanism(c.mechanism());
        if (mech.isEmpty()) {
            return Replies.AUTH_MECHANISM;
        }
        Sasl.Credentials cred;
        try {
            cred = switch (mech.get()) {
                case "PLAIN" -> Sasl.plain(c.initialResponse() != null ? c.initialResponse() : ask(s, ""));
                case "LOGIN" -> {
                    String user = Sasl.loginStep(c.initialResponse() != null ? c.initialResponse()
                            : ask(s, Sasl.LOGIN_USERNAME_PROMPT));
                    yield new Sasl.Credentials(user, Sasl.loginStep(ask(s, Sasl.LOGIN_PASSWORD_PROMPT)));
                }
                default -> throw new IllegalStateException(mech.get());
            };
        } catch (Cancelled e) {
            return Replies.AUTH_CANCELLED;
        } catch (Sasl.SaslException e) {
            return Reply.of(501, "5.5.2", "Cannot decode the response: " + e.getMessage());
        }
        return signIn(s, cred);
    }

    private static Reply signIn(Session s, Sasl.Credentials cred) {
        String host = s.settings.hostname();
        Authenticator.Result r = s.services.authenticator().authenticate(cred.username(), cred.password(),
                Authenticator.Protocol.SMTP);
        return switch (r) {
            case Authenticator.Result.Success ok -> {
                s.account = ok.account();
                log.info("[smtp] {} authenticated as {}", s.connection.name(), ok.account().email());
                yield Replies.AUTH_OK;
            }
            case Authenticator.Result.Refused refused -> {
                log.info("[smtp] {} authentication refused for {}: {}", s.connection.name(), cred.username(), refused.reason());
                yield switch (refused.reason()) {
                    case TEMPORARY -> Replies.AUTH_TEMPORARY;
                    case INVALID_CREDENTIALS, IMAP_DISABLED, IMAP_DISABLED_FOR_DOMAIN, POP_DISABLED -> Replies.badCredentials(host);
                };
            }
        };
    }

    /** Sends a 334 challenge and reads the client's line (RFC 4954 §4). */
    private static String ask(Session s, String challenge) throws IOException, Cancelled, Sasl.SaslException {
        s.reply(Reply.of(334, null, challenge.isEmpty() ? "" : challenge));
        s.connection.flush();
        Line line;
        try {
            line = s.connection.reader().readLine();
        } catch (LineTooLongException e) {
            if (!e.resynced()) {
                throw e;
            }
            throw new Sasl.SaslException("the response is too long");
        }
        if (line == null || line.ending() == Line.Ending.EOF) {
            throw new EOFException("the client went away during AUTH");
        }
        if (!line.isClean()) {
            throw new Sasl.SaslException("bare CR or LF in the response");
        }
        String text = line.latin1().strip();
        if (text.equals("*")) {
            throw new Cancelled();
        }
        return text;
    }
}
