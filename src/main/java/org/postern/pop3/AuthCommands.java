package org.postern.pop3;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Optional;
import org.postern.auth.Authenticator;
import org.postern.auth.LiveSessions;
import org.postern.auth.Sasl;
import org.postern.net.Line;
import org.postern.store.Directory.Account;
import org.postern.store.MailStore;
import org.postern.store.Mailbox;
import org.postern.store.PopSettings;
import org.postern.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CAPA, STLS, USER, PASS and AUTH, and what a successful login opens: the session slot, the
 * maildrop lock and the maildrop. Every password check goes through {@link Authenticator}, the
 * one entry point; a reason is told only after the password checked out.
 */
final class AuthCommands {
    private static final Logger log = LoggerFactory.getLogger(AuthCommands.class);
    /** Gmail's recent mode: {@code recent:alice@example.org}. */
    static final String RECENT_PREFIX = "recent:";

    private AuthCommands() {}

    static void capa(Pop3Session s) throws IOException {
        s.out.ok("Capability list follows");
        for (String c : Capabilities.list(s)) {
            s.out.line(c);
        }
        s.out.end();
    }

    /** RFC 2595 §4: {@code +OK} in the clear, then the handshake; whatever was pipelined is dropped. */
    static void stls(Pop3Session s) throws IOException {
        if (s.connection.isTls()) {
            throw Pop3Exception.err("TLS is already active.");
        }
        if (!s.connection.canStartTls()) {
            throw Pop3Exception.err("TLS is not available here.");
        }
        s.out.ok("Begin TLS negotiation now.");
        s.pendingUser = null; // nothing learnt before TLS carries over
        int dropped = s.connection.startTls();
        if (dropped > 0) {
            log.info("[pop3] {} sent {} bytes after STLS before the handshake; discarded", s.connection.name(), dropped);
        }
    }

    /** Whether this connection may carry a password: TLS, or loopback when configured. */
    static boolean loginAllowed(Pop3Session s) {
        if (s.connection.isTls()) {
            return true;
        }
        InetAddress remote = s.connection.remoteAddress().getAddress();
        return s.services.settings().plaintextOnLoopback() && remote.isLoopbackAddress();
    }

    private static void requireTls(Pop3Session s) {
        if (!loginAllowed(s)) {
            throw Pop3Exception.err(Pop3Exception.Code.AUTH, Responses.PLAINTEXT_DISALLOWED);
        }
    }

    /** RFC 1939 §7 USER: any name is accepted here; PASS tells. */
    static void user(Pop3Session s, Command.User c) throws IOException {
        requireTls(s);
        s.pendingUser = c.user();
        s.out.ok("Send your password.");
    }

    static void pass(Pop3Session s, Command.Pass c) throws IOException {
        requireTls(s);
        String user = s.pendingUser;
        if (user == null) {
            throw Pop3Exception.err("Send USER first.");
        }
        s.pendingUser = null; // RFC 1939 §7: after a failed PASS the client starts again with USER
        signIn(s, user, c.password());
    }

    /** AUTH PLAIN and LOGIN (RFC 5034 §4); {@code AUTH} alone lists the mechanisms (RFC 1734 clients). */
    static void auth(Pop3Session s, Command.Auth c) throws IOException {
        requireTls(s);
        if (c.mechanism() == null) {
            s.out.ok("Supported mechanisms follow");
            for (String m : Sasl.MECHANISMS) {
                s.out.line(m);
            }
            s.out.end();
            return;
        }
        Optional<String> mech = Sasl.mechanism(c.mechanism());
        if (mech.isEmpty()) {
            throw Pop3Exception.err("Unsupported authentication mechanism.");
        }
        try {
            switch (mech.get()) {
                case "PLAIN" -> {
                    Sasl.Credentials cred = Sasl.plain(c.initialResponse() != null ? c.initialResponse() : ask(s, ""));
                    signIn(s, cred.username(), cred.password());
                }
                case "LOGIN" -> {
                    String user = Sasl.loginStep(c.initialResponse() != null ? c.initialResponse()
                            : ask(s, Sasl.LOGIN_USERNAME_PROMPT));
                    signIn(s, user, Sasl.loginStep(ask(s, Sasl.LOGIN_PASSWORD_PROMPT)));
                }
                case "OAUTHBEARER", "XOAUTH2" -> {
                    String response = c.initialResponse() != null ? c.initialResponse() : ask(s, "");
                    Sasl.BearerToken t = mech.get().equals("XOAUTH2") ? Sasl.xoauth2(response) : Sasl.oauthBearer(response);
                    boolean recent = isRecent(t.username());
                    String name = recent ? t.username().substring(RECENT_PREFIX.length()) : t.username();
                    Authenticator.Result r = s.services.authenticator().authenticateToken(name, t.token(),
                            Authenticator.Protocol.POP3, client(s));
                    if (r instanceof Authenticator.Result.Refused refused && refused.reason() == Authenticator.Reason.INVALID_CREDENTIALS) {
                        // RFC 7628 §3.2.2: an error challenge; the client answers it, then the failure.
                        ask(s, Sasl.oauthBearerError("https://" + s.services.settings().hostname() + "/.well-known/oauth-authorization-server"));
                    }
                    finish(s, name, recent, r);
                }
                default -> throw new IllegalStateException(mech.get());
            }
        } catch (Sasl.SaslException e) {
            throw Pop3Exception.err(e.getMessage() + ".");
        }
    }

    private static Authenticator.Client client(Pop3Session s) {
        return new Authenticator.Client(s.connection.remoteAddress().getAddress().getHostAddress(), null);
    }

    private static boolean isRecent(String user) {
        return user.regionMatches(true, 0, RECENT_PREFIX, 0, RECENT_PREFIX.length());
    }

    /** Sends a challenge and reads the client's response line; {@code *} cancels (RFC 5034 §4). */
    private static String ask(Pop3Session s, String challenge) throws IOException {
        s.out.continuation(challenge);
        s.out.flush();
        Line line = s.connection.reader().readLine();
        if (line == null) {
            throw new EOFException("connection closed during AUTH");
        }
        String text = line.latin1().strip();
        if (text.equals("*")) {
            throw Pop3Exception.err("Authentication cancelled.");
        }
        return text;
    }

    private static void signIn(Pop3Session s, String user, String password) throws IOException {
        boolean recent = isRecent(user);
        String name = recent ? user.substring(RECENT_PREFIX.length()) : user;
        finish(s, name, recent, s.services.authenticator().authenticate(name, password, Authenticator.Protocol.POP3, client(s)));
    }

    /** The answer to a checked sign-in, in the words of DESIGN.md's table. */
    private static void finish(Pop3Session s, String name, boolean recent, Authenticator.Result r) throws IOException {
        switch (r) {
            case Authenticator.Result.Refused refused -> {
                log.info("[pop3] {} login refused for {}: {}", s.connection.name(), name, refused.reason());
                throw switch (refused.reason()) {
                    case INVALID_CREDENTIALS -> {
                        Pop3Exception e = Pop3Exception.err(Pop3Exception.Code.AUTH, Responses.INVALID_CREDENTIALS);
                        yield ++s.failedLogins >= Pop3Settings.MAX_FAILED_LOGINS ? e.closing() : e;
                    }
                    case APP_PASSWORD_REQUIRED -> Pop3Exception.err(Pop3Exception.Code.AUTH,
                            "Application-specific password required: https://" + s.services.settings().hostname() + "/help/app-passwords");
                    case THROTTLED -> Pop3Exception.err(Pop3Exception.Code.SYS_TEMP, "Too many failed login attempts; try again in "
                            + org.postern.auth.Throttle.inWords(refused.retryAfter()) + ".");
                    case POP_DISABLED -> Pop3Exception.err(Pop3Exception.Code.SYS_PERM, Responses.POP_DISABLED);
                    case IMAP_DISABLED, IMAP_DISABLED_FOR_DOMAIN, TEMPORARY ->
                            Pop3Exception.err(Pop3Exception.Code.SYS_TEMP, Responses.TEMPORARY_PROBLEM);
                };
            }
            case Authenticator.Result.Success ok -> open(s, ok.account(), ok.credential(), recent);
        }
    }

    /**
     * Takes the account's session slot and its maildrop lock (RFC 1939 §8), then reads the
     * maildrop: the INBOX watch goes on before the snapshot is read, so no expunge is missed.
     */
    private static void open(Pop3Session s, Account account, String credential, boolean recent) throws IOException {
        Pop3Services sv = s.services;
        Optional<LiveSessions.Registration> reg = sv.sessions().registerAlone(account.id(), Authenticator.Protocol.POP3,
                credential, null, sv.settings().connectionsPerAccount(), s.connection::abort);
        if (reg.isEmpty()) {
            boolean locked = sv.sessions().count(account.id(), Authenticator.Protocol.POP3) > 0;
            log.info("[pop3] {} login refused for {}: {}", s.connection.name(), account.email(),
                    locked ? "maildrop in use" : "too many sessions");
            sv.authenticator().refusedAfterSignIn(account, Authenticator.Protocol.POP3, client(s), credential, locked
                    ? "another POP session of this account was still open (one at a time)"
                    : "too many simultaneous connections (" + sv.settings().connectionsPerAccount() + " IMAP and POP sessions at most)");
            throw Pop3Exception.err(Pop3Exception.Code.IN_USE, locked ? Responses.MAILDROP_IN_USE : Responses.TOO_MANY_CONNECTIONS);
        }
        s.registered(reg.get());
        Maildrop maildrop;
        PopSettings settings;
        boolean opened = false;
        try {
            Mailbox inbox = sv.store().mailbox(account.id(), Mailbox.INBOX)
                    .orElseThrow(() -> StoreException.temporary("account " + account.email() + " has no INBOX", null));
            s.watch(inbox.id());
            settings = sv.directory().popSettings(account.id());
            MailStore.Snapshot snapshot = sv.store().snapshot(inbox.id());
            long[] downloaded = recent ? new long[0] : sv.store().popDownloaded(inbox.id());
            maildrop = Maildrop.offer(snapshot, downloaded, settings, recent, sv.clock().millis(), sv.settings().recentWindow());
            opened = true;
        } catch (StoreException e) {
            log.warn("[pop3] {} cannot open the maildrop of {}: {}", s.connection.name(), account.email(), e.getMessage());
            throw Pop3Exception.err(Pop3Exception.Code.SYS_TEMP, Responses.TEMPORARY_PROBLEM);
        } finally {
            if (!opened) {
                s.close(); // the session slot and the maildrop lock go back; the client may try again
            }
        }
        s.loggedIn(account, recent, settings, maildrop);
        long[] cs = maildrop.countAndSize();
        log.info("[pop3] {} logged in as {}{}: {} messages", s.connection.name(), account.email(),
                recent ? " (recent mode)" : "", cs[0]);
        s.out.ok(account.email() + " has " + cs[0] + " messages (" + cs[1] + " octets)" + (recent ? " in recent mode." : "."));
    }
}
