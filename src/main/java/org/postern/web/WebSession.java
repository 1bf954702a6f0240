package org.postern.web;

import java.util.List;
import org.postern.auth.LiveSessions;

/**
 * One browser's session. Before sign-in it holds only the CSRF token that the sign-in form needs;
 * after the password (and the 2-Step Verification code) it holds the account. The account and
 * stage are stored ({@link WebSessions}); what is shown once, a pending 2-Step Verification
 * secret and the next page's message are held here, in memory only. Fields a request changes are
 * volatile: a browser may send requests in parallel.
 */
final class WebSession {
    /** Where sign-in stands. */
    enum Stage { ANONYMOUS, NEEDS_CODE, SIGNED_IN }

    private final String id;
    private final String key;
    private final String csrf;
    private final long created;
    private volatile long lastSeen;
    private volatile Stage stage = Stage.ANONYMOUS;
    private volatile long accountId;
    private volatile String email;
    private volatile boolean admin;
    private volatile String flash;
    private volatile String pendingTotpSecret;
    private volatile List<String> shownOnce;
    private volatile LiveSessions.Registration registration;
    private volatile long keepUntil;
    final String clientName;
    final String ip;

    /** {@code id}: the cookie value; {@code key}: its SHA-256, what the store knows it by. */
    WebSession(String id, String key, String csrf, long now, String ip, String clientName) {
        this.id = id;
        this.key = key;
        this.csrf = csrf;
        this.created = now;
        this.lastSeen = now;
        this.ip = ip;
        this.clientName = clientName;
    }

    String id() {
        return id;
    }

    String key() {
        return key;
    }

    String csrf() {
        return csrf;
    }

    long created() {
        return created;
    }

    long lastSeen() {
        return lastSeen;
    }

    void seen(long now) {
        lastSeen = now;
    }

    Stage stage() {
        return stage;
    }

    boolean signedIn() {
        return stage == Stage.SIGNED_IN;
    }

    long accountId() {
        return accountId;
    }

    String email() {
        return email;
    }

    boolean admin() {
        return admin;
    }

    void account(long accountId, String email, boolean admin, Stage stage) {
        this.accountId = accountId;
        this.email = email;
        this.admin = admin;
        this.stage = stage;
    }

    void admin(boolean admin) {
        this.admin = admin;
    }

    /** A one-line message for the next page (after a POST and its redirect). */
    void flash(String message) {
        this.flash = message;
    }

    String takeFlash() {
        String f = flash;
        flash = null;
        return f;
    }

    /** A TOTP secret shown as a QR code, waiting for its first code before 2SV goes on. */
    String pendingTotpSecret() {
        return pendingTotpSecret;
    }

    void pendingTotpSecret(String secret) {
        this.pendingTotpSecret = secret;
    }

    /** Secrets to show once on the next page: a new app password, new backup codes. */
    void showOnce(List<String> lines) {
        this.shownOnce = lines;
    }

    List<String> takeShownOnce() {
        List<String> s = shownOnce;
        shownOnce = null;
        return s;
    }

    /** Takes over what {@code old} held in memory (the session was renewed). */
    void takeOver(WebSession old) {
        flash = old.flash;
        pendingTotpSecret = old.pendingTotpSecret;
        shownOnce = old.shownOnce;
    }

    /**
     * Survives revocations until {@code until} (epoch ms): turning on 2-Step Verification here
     * revokes password sign-ins, which must end mail sessions, not the page that did it.
     */
    void keepThroughRevocations(long until) {
        this.keepUntil = until;
    }

    long keepUntil() {
        return keepUntil;
    }

    void registration(LiveSessions.Registration r) {
        this.registration = r;
    }

    void closeRegistration() {
        LiveSessions.Registration r = registration;
        registration = null;
        if (r != null) {
            r.close();
        }
    }
}
