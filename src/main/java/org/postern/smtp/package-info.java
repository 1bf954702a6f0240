/**
 * SMTP: the inbound MX (port 25) and submission for mail clients (587 with STARTTLS, 465 with
 * TLS), RFC 5321 with PIPELINING, 8BITMIME, SMTPUTF8, SIZE, ENHANCEDSTATUSCODES, CHUNKING,
 * BINARYMIME, STARTTLS, AUTH and DSN (RFC 3461: NOTIFY, ORCPT, RET, ENVID, stored with the queued
 * message and honoured by the delivery engine in {@code org.postern.smtp.outbound}).
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li><b>One virtual thread per connection, one {@link org.postern.smtp.Session} per thread</b>,
 *       no locks. One {@link org.postern.smtp.MailTransaction} per MAIL command (SubEthaSMTP's
 *       handler object: from, recipient, data(InputStream), done); it never outlives its
 *       transaction and removes its temporary files when closed, also when the client vanishes
 *       mid-DATA or mid-BDAT.</li>
 *   <li><b>A 250 after the message means durable.</b> {@code done()} returns the 250 only after
 *       {@link org.postern.delivery.LocalDelivery} (local mailboxes, the Sent copy) and the
 *       outbound queue (blob fsynced, rows committed) have returned. A failure answers
 *       {@code 451 4.3.0}; nothing is acknowledged that is not on disk.</li>
 *   <li><b>Bounded memory.</b> Commands are lines of at most {@code limits.line-length}; DATA and
 *       BDAT stream to a spool file, never the heap; header inspection holds one field of at
 *       most 64 KiB. Sizes are checked as bytes arrive (RFC 1870), not after.</li>
 *   <li><b>No smuggling.</b> The line reader is strict: only CR LF ends a line, so only
 *       {@code <CRLF>.<CRLF>} ends DATA; a bare CR, bare LF or NUL in a command is refused
 *       ({@code 500 5.5.2}) and in a message refuses the message ({@code 550 5.6.0}) after reading
 *       to the real end. Bytes pipelined behind STARTTLS are discarded (RFC 3207 §4.2).</li>
 *   <li><b>No open relay.</b> The MX takes mail only for local domains, refusing with
 *       {@code 550 5.7.1} every address that could route elsewhere (remote domains, address
 *       literals, {@code %}, {@code !}, quoted {@code @}); a source route is ignored
 *       (RFC 5321 §4.1.1.3). Submission relays only for an authenticated account, and only with
 *       an envelope sender and From header the account owns.</li>
 *   <li><b>Passwords only over TLS</b> (or loopback when configured), only through
 *       {@link org.postern.auth.Authenticator}; never logged. STARTTLS after AUTH is refused.</li>
 *   <li><b>Every blocking read ends</b>: 5 minutes for a command (RFC 5321 §4.5.3.2.7), 10 for a
 *       block of DATA or BDAT; then {@code 421 4.4.2}. Too many errors: {@code 421 4.7.0}.</li>
 *   <li><b>Logs</b>: one line per transaction (sender, recipient count, size, result) and per
 *       authentication; never a password or a message.</li>
 * </ul>
 */
package org.postern.smtp;
