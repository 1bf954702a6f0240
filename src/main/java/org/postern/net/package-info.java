/**
 * Networking under every protocol: listeners, connections, bounded line reading, TLS.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li><b>One virtual thread per connection</b>, named {@code <listener>-<address>:<port>}; one
 *       platform thread accepts per listener. Plain blocking I/O throughout.</li>
 *   <li><b>Bounded resources.</b> Open sockets per listener are bounded by permits taken before
 *       accept and released in one {@code finally}; served connections by {@code maxConnections}
 *       and {@code maxConnectionsPerAddress} (IPv6 counted per /64), over which the protocol's
 *       {@link org.postern.net.ConnectionHandler#refuse refusal} is written and the connection
 *       closed. Per connection, memory is a fixed input buffer, a fixed output buffer and a line
 *       buffer of at most {@code maxLineBytes + 1}, whatever the client sends: over-long lines
 *       are skipped unbuffered, literals stream through the fixed buffer.</li>
 *   <li><b>Every blocking call ends.</b> Reads time out after the idle timeout
 *       ({@link org.postern.net.IdleTimeoutException}); writes, TLS handshakes and TLS close
 *       after the write timeout, enforced by a {@link org.postern.net.WriteWatchdog} that closes
 *       the socket ({@link org.postern.net.WriteTimeoutException}).</li>
 *   <li><b>Line endings are reported, never guessed.</b> {@link org.postern.net.LineReader} in
 *       strict mode ends lines only at CR LF and flags bare CR and bare LF, so SMTP cannot be
 *       made to see an end of DATA that another server would not (SMTP smuggling); in lenient
 *       mode a bare LF ends a line and the line says so.</li>
 *   <li><b>No plaintext crosses into TLS.</b> A STARTTLS/STLS upgrade discards every byte
 *       received before the handshake (RFC 3207 §4.2, CVE-2011-0411), and the reader and writer
 *       objects a protocol holds follow the upgrade, so nothing can be written in the clear
 *       after it.</li>
 *   <li><b>TLS policy in one place</b> ({@code TlsPolicy}): TLS 1.3 and 1.2 only (RFC 8996),
 *       ECDHE with AEAD suites only, the server's order, no client-initiated renegotiation.
 *       The {@link javax.net.ssl.SSLContext}s handed out apply it to everything they create.
 *       Loading {@link org.postern.net.TlsContext} sets the JVM-wide
 *       {@code jdk.tls.rejectClientInitiatedRenegotiation=true} unless it was set explicitly:
 *       JSSE offers no per-context switch.</li>
 *   <li><b>Certificates renew in place.</b> A {@link org.postern.net.TlsContext} looks at its
 *       two files at most once per interval, on a handshake; the next handshakes use the new
 *       certificate. A failed reload keeps the old one and logs one warning.</li>
 *   <li><b>Logs hold events, not content</b>: one line per open, TLS upgrade, refusal and close,
 *       with addresses, TLS parameters, reason and duration; never a line the client sent
 *       ({@link org.postern.net.Line#toString()} shows only its length).</li>
 * </ul>
 */
package org.postern.net;
