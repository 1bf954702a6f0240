package org.postern.imap;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.postern.auth.Authenticator;
import org.postern.auth.LiveSessions;
import org.postern.auth.Sasl;
import org.postern.imap.parse.Command;
import org.postern.net.Line;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CAPABILITY, NOOP, LOGOUT, ID, ENABLE (any state) and STARTTLS, LOGIN, AUTHENTICATE (not
 * authenticated). Every password check goes through {@link Authenticator}, the one entry point.
 */
final class AuthCommands {
    private static final Logger log = LoggerFactory.getLogger(AuthCommands.class);

    private AuthCommands() {}

    /** The tagged OK's response code and text. */
    record Done(String code, String text) {}

    static Done capability(Session s) throws IOException {
        s.out.untagged("CAPABILITY " + Capabilities.list(s, loginAllowed(s)));
        return new Done(null, "Capability completed (Success)");
    }

    static Done id(Session s, Command.Id c) throws IOException {
        String name = c.fields().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase("name")).map(Map.Entry::getValue).findFirst().orElse(null);
        if (name != null) {
            s.clientName = name.length() > 100 ? name.substring(0, 100) : name;
            log.info("[imap] {} is {}", s.connection.name(), s.clientName);
        }
        s.out.untagged("ID (\"name\" \"Postern\" \"vendor\" \"Postern\" \"support-url\" "
                + Responses.string("https://" + s.services.settings().hostname() + "/help/", false) + ")");
        return new Done(null, "ID completed (Success)");
    }

    /** RFC 5161: enables what Postern has among the names given, and says which. */
    static Done enable(Session s, Command.Enable c) throws IOException {
        List<String> enabled = new ArrayList<>();
        for (String cap : c.capabilities()) {
            String name = cap.toUpperCase(java.util.Locale.ROOT);
            switch (name) {
                // RFC 7162 §3.1, §3.2.3: QRESYNC brings CONDSTORE with it.
                case "CONDSTORE" -> CondStore.enable(s);
                case "QRESYNC" -> {
                    CondStore.enable(s);
                    s.qresync = true;
                }
                // RFC 6855 §3: mailbox names and quoted strings in UTF-8 both ways from now on.
                case "UTF8=ACCEPT" -> s.utf8Accept = true;
                // RFC 9051 Appendix E: IMAP4rev2 names mailboxes in UTF-8 and allows it in strings.
                case "IMAP4REV2" -> {
                    s.imap4rev2 = true;
                    s.utf8Accept = true;
                    name = "IMAP4rev2";
                }
                default -> {
                    log.debug("ENABLE {} ignored", cap); // unknown names are ignored (RFC 5161 §3.1)
                    continue;
                }
            }
            if (!enabled.contains(name)) {
                enabled.add(name);
            }
        }
        s.out.untagged("ENABLED" + (enabled.isEmpty() ? "" : " " + String.join(" ", enabled)));
        return new Done(null, "ENABLE completed (Success)");
    }

    static Done startTls(Session s) throws IOException {
        if (s.connection.isTls()) {
            throw ImapException.bad(null, "TLS is already active");
        }
        if (!s.connection.canStartTls()) {
            throw ImapException.no(null, "TLS is not available here");
        }
        // RFC 9051 §6.2.1: the tagged OK goes out in the clear, then the handshake starts; the
        // session writes it, then calls Connection.startTls(), which drops anything pipelined.
        return new Done(null, "Begin TLS negotiation now");
    }

    /** Whether this connection may carry a password: TLS, or loopback when configured. */
    static boolean loginAllowed(Session s) {
        if (s.connection.isTls()) {
            return true;
        }
        InetAddress remote = s.connection.remoteAddress().getAddress();
        return s.services.settings().plaintextOnLoopback() && remote.isLoopbackAddress();
    }

    static Done login(Session s, Command.Login c) throws IOException {
        if (!loginAllowed(s)) {
            throw ImapException.no("PRIVACYREQUIRED", Responses.PRIVACY_REQUIRED);
        }
        return signIn(s, c.user(), c.password());
    }

    /**
     * AUTHENTICATE PLAIN, LOGIN, OAUTHBEARER (RFC 7628) and XOAUTH2 (RFC 9051 §6.2.2), with
     * SASL-IR (RFC 4959). Client responses are read as raw lines; {@code *} cancels.
     */
    static Done authenticate(Session s, Command.Authenticate c) throws IOException {
        Optional<String> mech = Sasl.mechanism(c.mechanism());
        if (mech.isEmpty()) {
            // RFC 9051 §6.2.2 "NO - unsupported authentication mechanism", whatever follows it
            throw ImapException.no(null, "Unsupported authentication mechanism " + c.mechanism() + " (Failure)");
        }
        if (c.initialResponse().isPresent() && !Sasl.isInitialResponse(c.initialResponse().get())) {
            throw ImapException.bad(null, "The initial response is not base64 (use = for an empty one)");
        }
        if (!loginAllowed(s)) {
            throw ImapException.no("PRIVACYREQUIRED", Responses.PRIVACY_REQUIRED);
        }
        try {
            return switch (mech.get()) {
                case "PLAIN" -> {
                    Sasl.Credentials cred = Sasl.plain(c.initialResponse().orElseGet(() -> ask(s, "")));
                    yield signIn(s, cred.username(), cred.password());
                }
                case "LOGIN" -> {
                    String user = Sasl.loginStep(c.initialResponse().orElseGet(() -> ask(s, Sasl.LOGIN_USERNAME_PROMPT)));
                    String password = Sasl.loginStep(ask(s, Sasl.LOGIN_PASSWORD_PROMPT));
                    yield signIn(s, user, password);
                }
                case "OAUTHBEARER", "XOAUTH2" -> {
                    String response = c.initialResponse().orElseGet(() -> ask(s, ""));
                    Sasl.BearerToken t = mech.get().equals("XOAUTH2") ? Sasl.xoauth2(response) : Sasl.oauthBearer(response);
                    Authenticator.Result r = s.services.authenticator().authenticateToken(t.username(), t.token(),
                            Authenticator.Protocol.IMAP, client(s));
                    if (r instanceof Authenticator.Result.Refused refused && refused.reason() == Authenticator.Reason.INVALID_CREDENTIALS) {
                        // RFC 7628 §3.2.2: an error challenge, the client answers with ^A, then the failure.
                        ask(s, Sasl.oauthBearerError("https://" + s.services.settings().hostname() + "/.well-known/oauth-authorization-server"));
                    }
                    yield finish(s, t.username(), r);
                }
                default -> throw new IllegalStateException(mech.get());
            };
        } catch (Sasl.SaslException e) {
            throw ImapException.bad(null, e.getMessage());
        } catch (Cancelled e) {
            throw ImapException.bad(null, "Authentication cancelled");
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static final class Cancelled extends RuntimeException {}

    /** Sends a continuation and reads the client's response line; {@code *} cancels. */
    private static String ask(Session s, String challenge) {
        try {
            s.out.continuation(challenge);
            Line line = s.reader.readRawLine();
            if (line == null) {
                throw new java.io.EOFException("connection closed during AUTHENTICATE");
            }
            String text = line.latin1().strip();
            if (text.equals("*")) {
                throw new Cancelled();
            }
            return text;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Authenticator.Client client(Session s) {
        return new Authenticator.Client(s.connection.remoteAddress().getAddress().getHostAddress(), s.clientName);
    }

    private static Done signIn(Session s, String user, String password) throws IOException {
        return finish(s, user, s.services.authenticator().authenticate(user, password, Authenticator.Protocol.IMAP, client(s)));
    }

    /** The answer to a checked sign-in, in the words of DESIGN.md's table. */
    private static Done finish(Session s, String user, Authenticator.Result r) throws IOException {
        String help = "https://" + s.services.settings().hostname() + "/help/";
        switch (r) {
            case Authenticator.Result.Refused refused -> {
                log.info("[imap] {} login refused for {}: {}", s.connection.name(), user, refused.reason());
                throw switch (refused.reason()) {
                    case INVALID_CREDENTIALS -> ImapException.no("AUTHENTICATIONFAILED", Responses.INVALID_CREDENTIALS);
                    case APP_PASSWORD_REQUIRED -> ImapException.alert("Application-specific password required: " + help + "app-passwords",
                            "AUTHENTICATIONFAILED", Responses.INVALID_CREDENTIALS);
                    case IMAP_DISABLED -> ImapException.no("ALERT", Responses.IMAP_DISABLED);
                    case IMAP_DISABLED_FOR_DOMAIN -> ImapException.no("ALERT", Responses.IMAP_DISABLED_FOR_DOMAIN);
                    case THROTTLED -> ImapException.no("UNAVAILABLE", "Too many failed login attempts; try again in "
                            + org.postern.auth.Throttle.inWords(refused.retryAfter()) + " (Failure)");
                    case POP_DISABLED, TEMPORARY -> ImapException.no("UNAVAILABLE", Responses.TEMPORARY_PROBLEM);
                };
            }
            case Authenticator.Result.Success ok -> {
                Optional<LiveSessions.Registration> reg = s.services.sessions().register(ok.account().id(),
                        Authenticator.Protocol.IMAP, ok.credential(), s.clientName, s.services.settings().connectionsPerAccount(),
                        () -> s.terminate("Your session was ended: its sign-in was revoked or the account changed"));
                if (reg.isEmpty()) {
                    log.info("[imap] {} login refused for {}: too many sessions", s.connection.name(), user);
                    s.services.authenticator().refusedAfterSignIn(ok.account(), Authenticator.Protocol.IMAP, client(s),
                            ok.credential(), "too many simultaneous connections (" + s.services.settings().connectionsPerAccount()
                                    + " IMAP and POP sessions at most)");
                    throw ImapException.no("ALERT", Responses.TOO_MANY_CONNECTIONS);
                }
                s.loggedIn(ok.account(), reg.get());
                s.reader.limits(Capabilities.readerLimits(s.state(), ImapHandler.MAX_COMMAND_BYTES,
                        s.services.settings().maxMessageSize()));
                log.info("[imap] {} logged in as {} ({})", s.connection.name(), ok.account().email(), ok.credential());
                return new Done("CAPABILITY " + Capabilities.list(s, true), ok.account().email() + " authenticated (Success)");
            }
        }
    }
}
