package org.postern.smtp;

import java.io.EOFException;
import java.io.IOException;
import java.util.Optional;
import org.postern.auth.Authenticator;
import org.postern.auth.Sasl;
import org.postern.auth.Throttle;
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
        try {
            return switch (mech.get()) {
                case "PLAIN" -> {
                    Sasl.Credentials cred = Sasl.plain(c.initialResponse() != null ? c.initialResponse() : ask(s, ""));
                    yield finish(s, cred.username(), s.services.authenticator().authenticate(cred.username(), cred.password(),
                            Authenticator.Protocol.SMTP, client(s)));
                }
                case "LOGIN" -> {
                    String user = Sasl.loginStep(c.initialResponse() != null ? c.initialResponse()
                            : ask(s, Sasl.LOGIN_USERNAME_PROMPT));
                    String password = Sasl.loginStep(ask(s, Sasl.LOGIN_PASSWORD_PROMPT));
                    yield finish(s, user, s.services.authenticator().authenticate(user, password, Authenticator.Protocol.SMTP, client(s)));
                }
                case "OAUTHBEARER", "XOAUTH2" -> {
                    String response = c.initialResponse() != null ? c.initialResponse() : ask(s, "");
                    Sasl.BearerToken t = mech.get().equals("XOAUTH2") ? Sasl.xoauth2(response) : Sasl.oauthBearer(response);
                    Authenticator.Result r = s.services.authenticator().authenticateToken(t.username(), t.token(),
                            Authenticator.Protocol.SMTP, client(s));
                    if (r instanceof Authenticator.Result.Refused refused && refused.reason() == Authenticator.Reason.INVALID_CREDENTIALS) {
                        // RFC 7628 §3.2.2: an error challenge; the client answers it, then the failure.
                        ask(s, Sasl.oauthBearerError("https://" + s.settings.hostname() + "/.well-known/oauth-authorization-server"));
                    }
                    yield finish(s, t.username(), r);
                }
                default -> throw new IllegalStateException(mech.get());
            };
        } catch (Cancelled e) {
            return Replies.AUTH_CANCELLED;
        } catch (Sasl.SaslException e) {
            return Reply.of(501, "5.5.2", "Cannot decode the response: " + e.getMessage());
        }
    }

    private static Authenticator.Client client(Session s) {
        return new Authenticator.Client(s.connection.remoteAddress().getAddress().getHostAddress(), s.helo);
    }

    /** The answer to a checked sign-in, in the words of DESIGN.md's table. */
    private static Reply finish(Session s, String user, Authenticator.Result r) {
        String host = s.settings.hostname();
        return switch (r) {
            case Authenticator.Result.Success ok -> {
                s.account = ok.account();
                // No limit here (the per-account limit is for IMAP and POP sessions); a revoked
                // sign-in closes the connection: a transaction not yet answered is not stored.
                s.registration = s.services.sessions().register(ok.account().id(), Authenticator.Protocol.SMTP,
                        ok.credential(), s.helo, 0, s.connection::abort).orElseThrow();
                log.info("[smtp] {} authenticated as {}", s.connection.name(), ok.account().email());
                yield Replies.AUTH_OK;
            }
            case Authenticator.Result.Refused refused -> {
                log.info("[smtp] {} authentication refused for {}: {}", s.connection.name(), user, refused.reason());
                yield switch (refused.reason()) {
                    case TEMPORARY -> Replies.AUTH_TEMPORARY;
                    case APP_PASSWORD_REQUIRED -> Reply.of(534, "5.7.9", "Application-specific password required. "
                            + "For more information, go to https://" + host + "/help/app-passwords");
                    case THROTTLED -> Reply.of(454, "4.7.0", "Too many failed login attempts; try again in "
                            + Throttle.inWords(refused.retryAfter()));
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
