/**
 * Reading and parsing IMAP client commands, in two stages (RFC 9051 §2.2, §4, §6, §9).
 *
 * <ol>
 *   <li><b>Wire</b>: {@link org.postern.imap.parse.CommandReader} reads one command from the
 *       connection's {@link org.postern.net.LineReader}: its tag, then {@link
 *       org.postern.imap.parse.Token}s across as many lines as its literals need. It enforces
 *       the size limits of {@link org.postern.imap.parse.ReaderLimits} and knows no grammar
 *       beyond "APPEND carries messages".</li>
 *   <li><b>Grammar</b>: {@link org.postern.imap.parse.CommandParser} turns the tokens into one
 *       record of the sealed {@link org.postern.imap.parse.Command}, with method names that follow
 *       the RFC grammar ({@code FetchSyntax}, {@code SearchSyntax}, {@code MailboxSyntax}).</li>
 * </ol>
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li><b>Typed outcomes, never exceptions, for anything a client can send.</b> Every input ends
 *       as a {@link org.postern.imap.parse.ReadResult} and then a
 *       {@link org.postern.imap.parse.ParseResult}; a malformed one carries a
 *       {@link org.postern.imap.parse.CommandError} with the best-known tag (null: answer
 *       {@code * BAD}) and text a person can act on. Only transport failures (timeouts, resets)
 *       are thrown, as {@link java.io.IOException}, and they close the connection.</li>
 *   <li><b>Bounded memory.</b> A command holds at most one line (the line reader's limit),
 *       the continuation lines and literals that fit its limits, and at most
 *       {@link org.postern.imap.parse.ReaderLimits#memoryBytes()} of literal bytes on the heap;
 *       larger literals go to temporary files in a folder the caller gives. Search keys nest at
 *       most 64 deep.</li>
 *   <li><b>Literal files are owned by the {@link org.postern.imap.parse.WireCommand}</b> that read
 *       them and deleted when it is closed (hold the {@code ReadResult} in try-with-resources), or
 *       at once when the command fails to be read. Parsed commands borrow them.</li>
 *   <li><b>Literal data is never taken for commands.</b> A synchronizing literal is invited
 *       ({@code +}) only after its size passed the limits; a rejected non-synchronizing literal is
 *       read and discarded with the rest of its command, within a bound, or the connection is
 *       closed (RFC 7888 §4). An over-long line closes the connection too, since what it announced
 *       is unknown.</li>
 *   <li><b>No read-ahead between commands</b>: a session may read a raw line through
 *       {@link org.postern.imap.parse.CommandReader#readRawLine()} for IDLE's {@code DONE} and
 *       AUTHENTICATE's responses.</li>
 *   <li><b>Names are decoded at the edge.</b> Mailbox names in commands are modified UTF-7
 *       (RFC 3501 §5.1.3), strictly validated, or UTF-8 once UTF8=ACCEPT or IMAP4rev2 is enabled
 *       ({@link org.postern.imap.parse.ParseOptions}); records hold Unicode. A name that cannot be
 *       decoded is no syntax error (the grammar asks for an astring): it is kept as
 *       {@link org.postern.imap.parse.MailboxName#invalid} and the command answers NO; a LIST
 *       pattern that cannot be decoded matches nothing and is left out.</li>
 *   <li><b>Sequence sets stay unresolved</b> until the command runs against the session's
 *       snapshot ({@link org.postern.imap.parse.SequenceSet#selectUids},
 *       {@link org.postern.imap.parse.SequenceSet#selectSequenceNumbers}).</li>
 *   <li><b>Nothing here is shared</b>: a reader belongs to one connection's thread; the parser
 *       and codecs are stateless. Nothing logs client data (a LOGIN carries a password).</li>
 * </ul>
 */
package org.postern.imap.parse;
