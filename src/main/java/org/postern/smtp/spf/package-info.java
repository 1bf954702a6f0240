/**
 * SPF (RFC 7208): may this IP address send mail for this domain.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li><b>The RFC's limits hold</b> (§4.6.4): at most 10 terms that cause DNS queries (include,
 *       a, mx, ptr, exists, redirect) per check, counted across includes and redirects; at most
 *       2 void lookups (§4.6.4: NXDOMAIN or no records); at most 10 MX names per mx and 10 PTR
 *       names per ptr. Past a limit the result is permerror.</li>
 *   <li><b>A record is checked whole before it is evaluated</b> (§4.6): a syntax error anywhere
 *       is a permerror, even after a matching term.</li>
 *   <li>Evaluation never throws; temporary DNS failure is temperror (§2.6.6).</li>
 * </ul>
 */
package org.postern.smtp.spf;
