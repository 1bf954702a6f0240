/**
 * DKIM (RFC 6376): signing submitted mail and verifying inbound mail, with rsa-sha256 and
 * ed25519-sha256 (RFC 8463), simple and relaxed canonicalization.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li><b>The body streams once.</b> A {@link org.postern.smtp.dkim.BodyHasher} is an output
 *       stream that canonicalizes and hashes as bytes pass (holding only a count of pending
 *       empty lines and one pending space), so neither signing nor verifying holds a body in
 *       memory. Header fields are held, bounded by the caller.</li>
 *   <li><b>Canonicalization on bytes</b>: header fields are handled as ISO-8859-1 strings, which
 *       map bytes one to one, so UTF-8 headers (RFC 6532) hash as sent.</li>
 *   <li><b>Algorithms</b>: rsa-sha1 is refused (RFC 8301 §3.1), RSA keys under 1024 bits fail
 *       verification (RFC 8301 §3.2); Postern signs with RSA-2048 and Ed25519, each under its
 *       own selector.</li>
 *   <li><b>Verification never throws</b>: each signature ends in a {@link
 *       org.postern.smtp.dkim.DkimResult} (pass, fail, neutral, temperror, permerror, policy)
 *       with a reason; at most {@link org.postern.smtp.dkim.DkimVerifier#MAX_SIGNATURES} are
 *       evaluated.</li>
 * </ul>
 */
package org.postern.smtp.dkim;
