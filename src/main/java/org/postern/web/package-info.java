/**
 * The web side (issue 8): sign-in, Gmail's "Forwarding and POP/IMAP" settings, account security,
 * admin pages, client autoconfiguration (Thunderbird, Outlook, Apple), the OAuth 2.0 authorization
 * server for mail clients, the connection doctor, metrics and health.
 *
 * <p>Invariants:
 * <ul>
 *   <li>Pages are HTML built on the server ({@link org.postern.web.Html}); every value that comes
 *       from a person or the store is escaped where it is written. No page needs JavaScript.
 *   <li>Every state change is a POST carrying the session's CSRF token, checked in one place
 *       ({@link org.postern.web.WebServer}) before any handler runs; a POST whose Origin names
 *       another site is refused too. The exceptions are the endpoints that clients, not browsers,
 *       post to without a session: Autodiscover and the OAuth token, revocation, registration and
 *       device authorization endpoints ({@link org.postern.web.OAuthEndpoints#CLIENT_POSTS}).
 *   <li>OAuth: an authorization request whose client or redirect URI is not verified gets an error
 *       page, never a redirect; codes, refresh tokens and device codes are stored only as SHA-256.
 *   <li>Sessions live on the server; the cookie ({@code __Host-postern}) holds only a random value
 *       and is Secure, HttpOnly and SameSite=Strict. Signing in gives a new value (no fixation).
 *       Signed-in sessions are stored under a SHA-256 of the value and looked up on every
 *       request ({@link org.postern.web.WebSessions}), so they survive a restart and a revoked
 *       one stops at once.
 *   <li>Sign-in goes through {@link org.postern.auth.Authenticator} with
 *       {@code Protocol.WEB} and the client's address, so throttling and the security activity
 *       are shared with IMAP, POP3 and SMTP.
 *   <li>Plain HTTP serves only client autoconfiguration, {@code /healthz} and a redirect to HTTPS.
 * </ul>
 */
package org.postern.web;
