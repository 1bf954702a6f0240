/**
 * DMARC (RFC 7489) and the inbound checks as a whole: SPF, DKIM and DMARC evaluated for one
 * message on the MX and written in an Authentication-Results header field (RFC 8601).
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li><b>One pass over the message.</b> {@link org.postern.smtp.dmarc.InboundChecks.Message}
 *       sees each header field as it is spooled (bounded: 1 MiB of header) and hashes the body
 *       as it streams; nothing is read back from the spool file.</li>
 *   <li><b>Nothing forged passes as ours</b>: an Authentication-Results field naming this
 *       server's host name is removed before delivery (RFC 8601 §5); only the one Postern
 *       writes remains, on top.</li>
 *   <li><b>A header field too long to inspect makes DKIM permerror</b>, so a field hidden past
 *       the inspection limit cannot change which From a signature is taken to cover.</li>
 *   <li><b>Policy</b>: DMARC p=reject refuses with 550 5.7.1 at the end of DATA, p=quarantine
 *       files in Junk, as {@code smtp.dmarc-policy} allows; temperror and permerror never
 *       refuse (RFC 7489 §6.6.3, §6.7). pct= sampling falls back one step (§6.6.4).</li>
 *   <li>The organizational domain comes from the ICANN section of the Public Suffix List as
 *       Guava ships it; the list is as recent as the Guava release.</li>
 * </ul>
 */
package org.postern.smtp.dmarc;
