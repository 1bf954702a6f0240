package org.postern.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.postern.store.OAuthGrants;
import org.postern.store.StoreException;

/**
 * Who may ask for tokens: public clients without secrets (mail clients are installed apps), either
 * pre-registered here or self-registered through RFC 7591 dynamic client registration, as the
 * IETF mailmaint profile for open public clients expects. And where codes may be sent: the
 * registered redirect URIs, compared exactly except the port of a loopback one (RFC 8252 §7.3).
 */
final class OAuthClients {
    /** Registrations kept; past this the least recently used one that no account relies on goes. */
    static final int MAX_CLIENTS = 10_000;
    static final int MAX_REDIRECT_URIS = 10;
    static final int MAX_URI_LENGTH = 512;
    static final int MAX_NAME_LENGTH = 100;

    /** A client; {@code builtIn} ones are named by Postern, the others named themselves. */
    record Client(String id, String name, List<String> redirectUris, boolean builtIn) {}

    /**
     * Thunderbird opens the sign-in in its own window and catches the redirect to localhost there, so
     * the redirect never reaches the network. Any client can say it is Thunderbird; the consent page
     * shows where the code goes.
     */
    static final Map<String, Client> BUILT_IN = Map.of(
            "thunderbird", new Client("thunderbird", "Thunderbird", List.of("http://localhost", "https://localhost"), true));

    private final OAuthGrants store;

    OAuthClients(OAuthGrants store) {
        this.store = store;
    }

    Optional<Client> find(String id) {
        if (id == null || id.isEmpty() || id.length() > 100) {
            return Optional.empty();
        }
        Client b = BUILT_IN.get(id);
        if (b != null) {
            return Optional.of(b);
        }
        return store.client(id).map(c -> new Client(c.id(), c.name(), c.redirectUris(), false));
    }

    /** Registers a client; NOT_ALLOWED when the server keeps as many as it may. */
    Client register(String name, List<String> redirectUris) {
        OAuthGrants.Client c = store.addClient("pc_" + WebSessions.randomToken().substring(0, 22), name, redirectUris, MAX_CLIENTS);
        return new Client(c.id(), c.name(), c.redirectUris(), false);
    }

    void used(Client c) {
        if (!c.builtIn()) {
            try {
                store.clientUsed(c.id());
            } catch (StoreException e) {
                // only the eviction order suffers
            }
        }
    }

    /**
     * The redirect URI a request may use: the one it names when it matches a registered one, or
     * the only registered one when it names none (RFC 6749 §3.1.2.3). Empty: show an error page.
     */
    static Optional<String> redirectFor(Client c, String requested) {
        if (requested == null) {
            return c.redirectUris().size() == 1 && !isLoopback(parse(c.redirectUris().getFirst())) ? Optional.of(c.redirectUris().getFirst())
                    : Optional.empty();
        }
        for (String r : c.redirectUris()) {
            if (matches(r, requested)) {
                return Optional.of(requested);
            }
        }
        return Optional.empty();
    }

    /** Exact match, except that a loopback redirect may use any port (RFC 8252 §7.3). */
    static boolean matches(String registered, String requested) {
        if (registered.equals(requested)) {
            return true;
        }
        URI reg = parse(registered);
        URI req = parse(requested);
        if (reg == null || req == null || !isLoopback(reg) || !isLoopback(req)) {
            return false;
        }
        return reg.getScheme().equals(req.getScheme()) && reg.getHost().equalsIgnoreCase(req.getHost())
                && path(reg).equals(path(req)) && Objects.equals(reg.getRawQuery(), req.getRawQuery()) && req.getRawFragment() == null
                && req.getRawUserInfo() == null;
    }

    private static String path(URI u) {
        return u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
    }

    /** RFC 8252 §7.3: {@code http} to 127.0.0.1, [::1] or localhost. */
    static boolean isLoopback(URI u) {
        if (u == null || !"http".equals(u.getScheme()) || u.getHost() == null) {
            return false;
        }
        String h = u.getHost().toLowerCase(Locale.ROOT);
        return h.equals("127.0.0.1") || h.equals("[::1]") || h.equals("localhost");
    }

    static URI parse(String s) {
        try {
            return s == null ? null : new URI(s);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** Why a redirect URI cannot be registered, in words; null when it can. */
    static String refusal(String uri) {
        if (uri == null || uri.isEmpty() || uri.length() > MAX_URI_LENGTH) {
            return "a redirect URI must have 1 to " + MAX_URI_LENGTH + " characters";
        }
        URI u = parse(uri);
        if (u == null || !u.isAbsolute()) {
            return "\"" + uri + "\" is not an absolute URI";
        }
        if (u.getRawFragment() != null) {
            return "\"" + uri + "\" has a fragment, which a redirect URI must not have (RFC 6749 §3.1.2)";
        }
        String scheme = u.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("http")) {
            return isLoopback(u) ? null : "\"" + uri + "\": plain http is allowed only to 127.0.0.1, [::1] or localhost (RFC 8252 §7.3)";
        }
        if (scheme.equals("https")) {
            return u.getHost() == null ? "\"" + uri + "\" has no host" : null;
        }
        // RFC 8252 §7.1: a private-use scheme is a reverse domain name the app controls, such as com.example.app.
        if (!scheme.contains(".") || !scheme.matches("[a-z][a-z0-9+.-]*")) {
            return "\"" + uri + "\": a private-use URI scheme must be a reverse domain name such as com.example.app (RFC 8252 §7.1)";
        }
        return null;
    }

    /**
     * The Content-Security-Policy source that lets the consent form's redirect go to this URI
     * (browsers apply form-action to the redirect after a form is sent).
     */
    static String formActionSource(String redirectUri) {
        URI u = parse(redirectUri);
        if (u == null || u.getScheme() == null) {
            return "";
        }
        String scheme = u.getScheme().toLowerCase(Locale.ROOT);
        if ((scheme.equals("http") || scheme.equals("https")) && u.getHost() != null) {
            return scheme + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
        }
        return scheme.matches("[a-z][a-z0-9+.-]*") ? scheme + ":" : "";
    }
}
