/**
 * DNS for mail: the few questions SMTP asks (MX, A/AAAA, TXT, PTR), behind one small interface,
 * {@link org.postern.dns.Dns}, so tests answer them themselves.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li><b>Three outcomes, never confused.</b> Records (possibly none: NODATA), the name does not
 *       exist ({@link org.postern.dns.DnsException.NoSuchDomain}, permanent), or the question could
 *       not be answered now ({@link org.postern.dns.DnsException}, temporary: SERVFAIL, timeout).
 *       Mail rules differ on each (RFC 5321 §5.1, RFC 7208 §4.4, RFC 7489 §6.6.3), so callers
 *       decide, never this package.</li>
 *   <li><b>Every question ends</b>: a timeout per server and try ({@code dns.timeout}), a bounded
 *       number of tries; no call blocks longer than timeout × tries × servers.</li>
 *   <li><b>Answers are cached by their TTL</b> (capped at one hour, at least one second), failures
 *       are not; negative answers (NXDOMAIN, NODATA) for at most five minutes. The cache is bounded.</li>
 *   <li>Thread-safe: one resolver serves every connection and the outbound queue.</li>
 * </ul>
 */
package org.postern.dns;
