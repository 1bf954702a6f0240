/**
 * The POP3 server: RFC 1939 (without APOP), CAPA and response codes (RFC 2449, RFC 3206),
 * AUTH PLAIN and LOGIN (RFC 5034), STLS (RFC 2595), with Gmail's POP settings.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li><b>One thread per session.</b> A {@link org.postern.pop3.Pop3Session} and its
 *       {@link org.postern.pop3.Maildrop} belong to the connection's virtual thread and need no
 *       lock. Other threads touch only the session's bounded change queue (the store's writer
 *       thread puts INBOX expunges there; on overflow the session asks the store instead) and
 *       {@code Connection.abort()} (a session ended from elsewhere).</li>
 *   <li><b>The maildrop is INBOX as it was at login</b> (RFC 1939 §8), filtered by the account's
 *       POP settings: message numbers and sizes never change during a session. A message
 *       expunged elsewhere (IMAP) answers {@code -ERR} from the next command on, never a crash.</li>
 *   <li><b>One POP session per account</b> (RFC 1939 §8 exclusive access): a second gets
 *       {@code -ERR [IN-USE]}; so does a login past {@code limits.connections-per-account}
 *       (IMAP and POP3 sessions together, in {@code LiveSessions}).</li>
 *   <li><b>Nothing changes before QUIT.</b> DELE and RETR only mark; QUIT in the TRANSACTION
 *       state (RFC 1939 §6, UPDATE) commits them in one store transaction: the messages are
 *       remembered as downloaded by POP, then kept, marked read, archived or moved to Trash as
 *       the account's setting says. A dropped connection, an autologout or a failed QUIT leaves
 *       the store as it was. POP never expunges a message for good.</li>
 *   <li><b>Passwords only under TLS</b>: on the STLS port USER, PASS and AUTH are refused with
 *       {@code -ERR [AUTH]} until STLS (unless {@code auth.plaintext-on-loopback} allows the
 *       loopback client), and CAPA hides USER and SASL. Bytes pipelined after STLS are dropped
 *       ({@code Connection.startTls()}, RFC 2595 §4). Every check goes through
 *       {@code Authenticator}; an unknown user and a wrong password get the same answer.</li>
 *   <li><b>Bounded memory.</b> Command lines up to {@code limits.line-length} (longer ones are
 *       skipped unbuffered and answered {@code -ERR}); RETR and TOP stream from the blob file
 *       through fixed buffers ({@link org.postern.pop3.MessageWriter}); per session the
 *       maildrop holds a UID, a size and a blob name per message offered.</li>
 *   <li><b>Every wait ends</b>: the 10-minute inactivity timer of RFC 1939 §3 closes the
 *       connection silently (and commits nothing); writes are bounded by the write timeout.</li>
 *   <li><b>Errors in one place</b> ({@link org.postern.pop3.Pop3Handler}): {@code -ERR} with
 *       RFC 2449/3206 codes — {@code [AUTH]}, {@code [SYS/PERM]}, {@code [SYS/TEMP]},
 *       {@code [IN-USE]} — worded as DESIGN.md's table says.</li>
 * </ul>
 */
package org.postern.pop3;
