package org.postern.imap;

import org.postern.imap.AuthCommands.Done;
import org.postern.imap.parse.Command;

/**
 * COMPRESS (RFC 4978 §3): checks the request; the handler turns compression on right after the
 * tagged OK has gone out uncompressed.
 */
final class CompressCommand {
    private CompressCommand() {}

    static Done compress(Session s, Command.Compress c) {
        if (!c.mechanism().equals("DEFLATE")) {
            throw ImapException.bad(null, "Unknown compression algorithm " + c.mechanism() + " (DEFLATE is supported)");
        }
        if (s.connection.isCompressed()) {
            throw ImapException.no("COMPRESSIONACTIVE", "Compression is already active (Failure)");
        }
        return new Done(null, "DEFLATE active (Success)");
    }
}
