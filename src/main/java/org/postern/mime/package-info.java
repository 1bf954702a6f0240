/**
 * MIME for Postern: parse a message once at delivery, keep what IMAP needs, serve body sections
 * from the stored blob by offset.
 *
 * <h2>Flow</h2>
 * <ol>
 *   <li>Delivery calls {@link org.postern.mime.MessageParser#parse(java.io.InputStream)} on the
 *       raw message as it will be stored and keeps {@link org.postern.mime.ParsedMessage#encode()}
 *       beside the blob.</li>
 *   <li>FETCH decodes that ({@link org.postern.mime.ParsedMessage#decode(byte[])}) and renders
 *       ENVELOPE and BODY[STRUCTURE] with {@link org.postern.mime.ImapRender}, or streams a section
 *       with {@link org.postern.mime.Sections} over a {@link org.postern.mime.MessageSource}.</li>
 * </ol>
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>Parsing never fails on content: only an {@code IOException} of the stream escapes. Broken
 *       MIME is repaired the way Dovecot repairs it; an unexpected failure yields one text/plain
 *       part ({@link org.postern.mime.ParsedMessage.Status#FALLBACK}).</li>
 *   <li>Memory is bounded by {@link org.postern.mime.MimeLimits}, never by message size: bodies are
 *       scanned line by line through a fixed buffer and never kept; only the header fields that
 *       MIME structure and ENVELOPE need are kept, each cut at 64 KB, all within a budget.</li>
 *   <li>Every offset is exact for the bytes parsed: the root covers {@code [0, size)}, children lie
 *       in order inside their parent's body, an embedded message fills its message/rfc822 part, and
 *       a body followed by a boundary excludes the line break before it (RFC 2046 §5.1.1). Line
 *       counts are LF counts. Bytes are served as stored: a blob with bare LFs is served with bare
 *       LFs, so the store should keep CRLF.</li>
 *   <li>Header values are unfolded and decoded as UTF-8 when valid (RFC 6532), else ISO-8859-1;
 *       ENVELOPE fields and BODYSTRUCTURE values are raw (encoded words kept), decoded values are
 *       separate ({@link org.postern.mime.ParsedMessage#subject()},
 *       {@link org.postern.mime.MimeFields#filename()}).</li>
 *   <li>Everything public is immutable and thread-safe, except the streams it hands out.</li>
 * </ul>
 *
 * <p>Apache James mime4j does the RFC 2047 decoding, the base64 and quoted-printable decoding of
 * BINARY and charset lookup. Structure, offsets, parameters (RFC 2231) and addresses are parsed
 * here: mime4j's token stream hides byte offsets, its address parser decodes display names that
 * ENVELOPE must keep raw, and its parameter decoder joins RFC 2231 sections out of order.
 */
package org.postern.mime;
