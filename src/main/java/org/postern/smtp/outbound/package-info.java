/**
 * Outbound delivery: the engine that takes due entries of the durable outbound queue and
 * delivers them to the recipients' MX hosts (RFC 5321 §5.1), with opportunistic STARTTLS,
 * MTA-STS (RFC 8461), retries with back-off, a delay warning and bounces (RFC 3464 DSNs).
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li><b>Nothing is lost, nothing is marked done early.</b> A recipient is marked delivered
 *       only after the peer's {@code 250} for its message (after DATA or the last BDAT), failed
 *       only after a 5xx for it or the expiry; a crash at any moment leaves it pending, so it is
 *       tried again (at worst delivered twice, as RFC 5321 §6.1 accepts, never lost). Results, the
 *       notices they cause and the removal of a finished message commit in one transaction
 *       ({@link org.postern.store.OutboundQueue#record}).</li>
 *   <li><b>One worker per queued message at a time</b> (an in-flight set), so its results are
 *       recorded by one thread; its recipient domains are tried in parallel, each holding a
 *       per-domain permit ({@code outbound.connections-per-domain}); a domain whose permits are
 *       taken is simply left for the next round, never waited for.</li>
 *   <li><b>No bounce to the null sender</b> (RFC 5321 §4.5.5, RFC 3464 §2): a message with
 *       {@code MAIL FROM:<>} that fails is dropped with a log line; DSNs are sent with the null
 *       sender. A delay warning goes at most once per message.</li>
 *   <li><b>On the wire</b>: CR LF line ends (bare LF and CR of a BDAT message become CR LF),
 *       dot-stuffing (RFC 5321 §4.5.2), BODY=8BITMIME and SMTPUTF8 only when the peer offers
 *       them; a message that needs SMTPUTF8 or BINARYMIME the peer lacks fails permanently
 *       (RFC 6531 §3.2) rather than be mangled.</li>
 *   <li><b>TLS</b>: STARTTLS whenever offered, certificates not checked (RFC 7435
 *       opportunistic); under an MTA-STS {@code enforce} policy only matching MX hosts, STARTTLS
 *       required, certificate checked against the MX name. A {@code testing} policy only logs.
 *       A REQUIRETLS message (RFC 8689 §4.2.1) goes only over TLS with a certificate checked
 *       against the MX name, to a host that offers REQUIRETLS, and otherwise bounces with 5.7.30;
 *       never a downgrade. "TLS-Required: No" (§3) sets an MTA-STS policy aside, unless the
 *       message also has REQUIRETLS. MTA-STS policies are cached in the database for their
 *       max_age ({@link org.postern.store.MtaStsCache}): a restart, a vanished TXT record or a
 *       failed fetch never downgrades a domain whose unexpired policy is known (RFC 8461 §3.3).</li>
 *   <li><b>DSN requests (RFC 3461) decide the notices</b>: NOTIFY per recipient (without it:
 *       failures and delays), RET and ENVID per message; they go on to a next hop that offers
 *       DSN, which then reports, and a "relayed" notice answers NOTIFY=SUCCESS otherwise.</li>
 *   <li><b>Every blocking call ends</b>: connect, each reply (RFC 5321 §4.5.3.2 timeouts), DNS,
 *       the MTA-STS fetch.</li>
 *   <li>Time comes from the {@link java.time.Clock} given, so tests can move it.</li>
 * </ul>
 */
package org.postern.smtp.outbound;
