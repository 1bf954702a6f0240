package org.postern.imap.parse;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.postern.net.Line;
import org.postern.net.LineReader;
import org.postern.net.LineTooLongException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wire stage of IMAP parsing: reads one complete client command (its tag, then tokens across
 * as many lines as its literals need) from a {@link LineReader}, enforcing size limits. It knows
 * nothing of commands except that APPEND carries messages and so has its own limits.
 *
 * <p>Literals (RFC 9051 §4.3, §7.5): for a synchronizing literal {@code {n}} the size is checked
 * first, and only when it is acceptable does the reader call {@link Continuation#ready()} so the
 * session can send {@code + Ready for literal data}; otherwise it returns a {@code NO [TOOBIG]}
 * and the client, still waiting, sends nothing. A non-synchronizing literal {@code {n+}}
 * (RFC 7888) arrives regardless; when it is too large the reader answers {@code BAD [TOOBIG]}
 * and reads and discards it and the rest of the command, up to
 * {@link ReaderLimits#maxDiscardBytes()}; beyond that it asks the session to close the
 * connection (RFC 7888 §4 lets the server choose), because its bytes must never be taken for
 * commands. Literal8 {@code ~{n}} (RFC 3516) is read the same way and marked binary.
 *
 * <p>Memory: literals stay on the heap up to {@link ReaderLimits#memoryBytes()} per command;
 * the others are written to temporary files in the spool folder, which the
 * {@link WireCommand} deletes when closed.
 *
 * <p>An over-long line cannot be trusted: its bytes are gone, and if it announced a
 * non-synchronizing literal, the literal's bytes would be read as commands. So it is answered
 * {@code BAD} (tagged when the tag was on an earlier line of the command) and the connection
 * closed.
 *
 * <p>No read-ahead: between commands nothing is buffered here, so the session may read a raw
 * line ({@link #readRawLine()}) for IDLE's {@code DONE} or an AUTHENTICATE response.
 *
 * <p>Not thread-safe; one per connection, used by the connection's thread.
 */
public final class CommandReader {
    private static final Logger log = LoggerFactory.getLogger(CommandReader.class);
    private static final ReadResult.EndOfInput END = new ReadResult.EndOfInput();

    /** Called just before the reader waits for the bytes of a synchronizing literal. */
    @FunctionalInterface
    public interface Continuation {
        /** Write {@code + Ready for literal data} (RFC 9051 §7.5) and flush. */
        void ready() throws IOException;
    }

    private final LineReader lines;
    private final Path spoolDir;
    private ReaderLimits limits;

    /**
     * @param lines    the connection's line reader, in {@link LineReader.Mode#LENIENT} mode
     * @param limits   the size limits
     * @param spoolDir an existing folder for the temporary files of large literals
     */
    public CommandReader(LineReader lines, ReaderLimits limits, Path spoolDir) {
        this.lines = Objects.requireNonNull(lines, "lines");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.spoolDir = Objects.requireNonNull(spoolDir, "spoolDir");
    }

    public ReaderLimits limits() {
        return limits;
    }

    /** Changes the limits for the next commands (such as after login). */
    public void limits(ReaderLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * Reads the next command.
     *
     * @param continuation how to invite a synchronizing literal
     * @return the command, or why there is none; hold it in try-with-resources
     * @throws IOException when the connection fails (a read timeout, a reset); the session should
     *                     close it. Any literal files of the partial command are deleted first.
     */
    public ReadResult read(Continuation continuation) throws IOException {
        Objects.requireNonNull(continuation, "continuation");
        Line first;
        try {
            first = lines.readLine();
        } catch (LineTooLongException e) {
            return reject(lineTooLong(null, e));
        }
        if (first == null || first.ending() == Line.Ending.EOF) {
            return END; // a command is complete only with its line end
        }
        Assembly a = new Assembly(continuation, limits);
        boolean received = false;
        try {
            ReadResult r = a.start(first.bytes());
            received = r instanceof ReadResult.Received;
            return r;
        } finally {
            if (!received) {
                a.release();
            }
        }
    }

    /**
     * Reads one line as it is, for IDLE's {@code DONE} (RFC 9051 §6.3.13) and AUTHENTICATE's
     * client responses (§6.2.2), with the same line limit. It may run on another thread (such as
     * the one that waits for DONE) provided no other call on this reader runs meanwhile and the
     * threads hand over with a happens-before edge (start, join, a queue).
     *
     * @return the line, or null at end of input
     * @throws LineTooLongException when the line is over the limit
     */
    public Line readRawLine() throws IOException {
        return lines.readLine();
    }

    private static CommandError lineTooLong(String tag, LineTooLongException e) {
        return new CommandError(tag, CommandError.Kind.LINE_TOO_LONG, CommandError.Status.BAD, "TOOBIG",
                "Command line too long (the limit is " + e.limit() + " bytes)", true);
    }

    private static ReadResult reject(CommandError e) {
        return new ReadResult.Rejected(e);
    }

    /** RFC 9051 §9: tag = 1*<any ASTRING-CHAR except "+">. */
    static boolean isTagChar(int b) {
        return b > 0x20 && b < 0x7f && b != '(' && b != ')' && b != '{' && b != '%' && b != '*'
                && b != '"' && b != '\\' && b != '+';
    }

    /** The state of one command being read. */
    private final class Assembly {
        private final Continuation continuation;
        private final ReaderLimits lim;
        private final List<Token> tokens = new ArrayList<>();
        private final List<Literal> literals = new ArrayList<>();
        private String tag;
        private String name = "";
        private boolean append;
        private long lineBytes;
        private long literalBytes;
        private long memoryUsed;
        private long discardBudget;
        private Path pendingFile;

        Assembly(Continuation continuation, ReaderLimits lim) {
            this.continuation = continuation;
            this.lim = lim;
            this.discardBudget = lim.maxDiscardBytes();
        }

        ReadResult start(byte[] line) throws IOException {
            if (line.length == 0) {
                return reject(CommandError.bad(null, CommandError.Kind.EMPTY_LINE, "Empty command line"));
            }
            int tagEnd = 0;
            while (tagEnd < line.length && line[tagEnd] != ' ') {
                tagEnd++;
            }
            boolean validTag = tagEnd > 0;
            for (int i = 0; validTag && i < tagEnd; i++) {
                validTag = isTagChar(line[i] & 0xff);
            }
            if (!validTag) {
                return drain(CommandError.bad(null, CommandError.Kind.NO_TAG,
                        "Missing or invalid tag: a command starts with a tag such as a001, a space and the command"),
                        line);
            }
            tag = new String(line, 0, tagEnd, StandardCharsets.US_ASCII);
            if (tagEnd == line.length) {
                return reject(syntax("Missing command name after the tag"));
            }
            Lexer.Marker m;
            try {
                m = Lexer.lex(line, tagEnd + 1, true, tokens);
            } catch (Lexer.LexException e) {
                return drain(syntax(e.getMessage()), line);
            }
            if (tokens.isEmpty()) {
                return drain(syntax("Missing command name after the tag"), line);
            }
            if (tokens.getFirst() instanceof Token.Atom a) {
                name = a.text().toUpperCase(Locale.ROOT);
                append = name.equals("APPEND");
            }
            while (m != null) {
                CommandError tooBig = checkSize(m);
                if (tooBig != null) {
                    return m.nonSync() ? discardAndDrain(tooBig, m.size()) : reject(tooBig);
                }
                ReadResult failed = readLiteral(m);
                if (failed != null) {
                    return failed;
                }
                Line next;
                try {
                    next = lines.readLine();
                } catch (LineTooLongException e) {
                    return reject(lineTooLong(tag, e));
                }
                if (next == null || next.ending() == Line.Ending.EOF) {
                    return END;
                }
                byte[] b = next.bytes();
                lineBytes += b.length;
                if (lineBytes + (append ? 0 : literalBytes) > lim.maxCommandBytes()) {
                    return drain(tooBig(CommandError.Status.BAD,
                            "command longer than " + lim.maxCommandBytes() + " bytes"), b);
                }
                try {
                    m = Lexer.lex(b, 0, false, tokens);
                } catch (Lexer.LexException e) {
                    return drain(syntax(e.getMessage()), b);
                }
            }
            return new ReadResult.Received(new WireCommand(tag, tokens, literals));
        }

        private CommandError checkSize(Lexer.Marker m) {
            long size = m.size();
            CommandError.Status status = m.nonSync() ? CommandError.Status.BAD : CommandError.Status.NO;
            if (m.nonSync() && size > lim.maxNonSyncLiteral()) {
                // RFC 7888 §5: LITERAL- allows non-synchronizing literals of up to 4096 octets. The
                // text must not end in "{n}": a client's reader would wait for n octets of literal.
                return tooBig(status, "non-synchronizing literal of " + size + " bytes is over the limit of "
                        + lim.maxNonSyncLiteral() + " bytes; send it as a synchronizing literal (without the +)");
            }
            if (append) {
                if (size > lim.maxMessageBytes()) {
                    return tooBig(status, "message of " + size + " bytes is over the size limit of "
                            + lim.maxMessageBytes() + " bytes");
                }
                if (literalBytes + size > lim.maxAppendBytes()) {
                    return tooBig(status, "messages of more than " + lim.maxAppendBytes() + " bytes in one APPEND");
                }
            } else if (lineBytes + literalBytes + size > lim.maxCommandBytes()) {
                return tooBig(status, "command longer than " + lim.maxCommandBytes() + " bytes");
            }
            return null;
        }

        /** Reads a literal's bytes; returns null when done, or the result that ends the command. */
        private ReadResult readLiteral(Lexer.Marker m) throws IOException {
            long size = m.size();
            Literal literal;
            if (size <= lim.memoryBytes() - memoryUsed) {
                if (!m.nonSync()) {
                    continuation.ready();
                }
                byte[] data = new byte[(int) size];
                try {
                    lines.readExactly(size, new ArraySink(data));
                } catch (EOFException e) {
                    return END;
                }
                memoryUsed += size;
                literal = Literal.inMemory(data, m.binary(), Literal.indexOfNul(data) >= 0);
            } else {
                try {
                    pendingFile = Files.createTempFile(spoolDir, "imap-literal-", ".tmp");
                } catch (IOException e) {
                    log.warn("cannot create a spool file in {}: {}", spoolDir, e.toString());
                    CommandError fault = serverFault();
                    return m.nonSync() ? discardAndDrain(fault, size) : reject(fault);
                }
                if (!m.nonSync()) {
                    continuation.ready();
                }
                SpoolSink sink = new SpoolSink(pendingFile);
                try {
                    lines.readExactly(size, sink);
                } catch (EOFException e) {
                    return END;
                } finally {
                    sink.close();
                }
                if (sink.failure != null) {
                    log.warn("cannot spool a literal to {}: {}", pendingFile, sink.failure.toString());
                    return drainAfterLiteral(serverFault());
                }
                literal = Literal.onFile(pendingFile, size, m.binary(), sink.sawNul);
                pendingFile = null;
            }
            literals.add(literal);
            tokens.add(new Token.Lit(literal, m.spaced()));
            literalBytes += size;
            return null;
        }

        /** Throws away a rejected non-synchronizing literal, then the rest of the command. */
        private ReadResult discardAndDrain(CommandError error, long size) throws IOException {
            if (size > discardBudget) {
                return reject(error.withCloseConnection());
            }
            discardBudget -= size;
            try {
                lines.readExactly(size, OutputStream.nullOutputStream());
            } catch (EOFException e) {
                return END;
            }
            return drainAfterLiteral(error);
        }

        private ReadResult drainAfterLiteral(CommandError error) throws IOException {
            Line next;
            try {
                next = lines.readLine();
            } catch (LineTooLongException e) {
                return reject(error.withCloseConnection());
            }
            if (next == null || next.ending() == Line.Ending.EOF) {
                return END;
            }
            return drain(error, next.bytes());
        }

        /**
         * Skips what is left of a rejected command: the line just read ended it unless it announces
         * a literal. The data of non-synchronizing literals arrives anyway and is discarded; a
         * synchronizing one will not be sent, because no continuation is given.
         */
        private ReadResult drain(CommandError error, byte[] line) throws IOException {
            Lexer.Marker m = Lexer.trailingMarker(line);
            while (m != null && m.nonSync()) {
                if (m.size() > discardBudget) {
                    return reject(error.withCloseConnection());
                }
                discardBudget -= m.size();
                try {
                    lines.readExactly(m.size(), OutputStream.nullOutputStream());
                } catch (EOFException e) {
                    return END;
                }
                Line next;
                try {
                    next = lines.readLine();
                } catch (LineTooLongException e) {
                    return reject(error.withCloseConnection());
                }
                if (next == null || next.ending() == Line.Ending.EOF) {
                    return END;
                }
                long cost = next.length() + 2L; // lines count against the budget too
                if (cost > discardBudget) {
                    return reject(error.withCloseConnection());
                }
                discardBudget -= cost;
                m = Lexer.trailingMarker(next.bytes());
            }
            return reject(error);
        }

        private CommandError syntax(String detail) {
            String text = name.isEmpty() ? detail : "Error in IMAP command " + name + ": " + detail;
            return CommandError.bad(tag, CommandError.Kind.SYNTAX, text);
        }

        private CommandError tooBig(CommandError.Status status, String detail) {
            String text = (name.isEmpty() ? "Command" : name) + " refused: " + detail;
            return new CommandError(tag, CommandError.Kind.TOO_BIG, status, "TOOBIG", text, false);
        }

        private CommandError serverFault() {
            return new CommandError(tag, CommandError.Kind.SERVER_FAULT, CommandError.Status.NO, "UNAVAILABLE",
                    "Temporary System Problem (Failure)", false);
        }

        /** Deletes what a command that was not received had spooled. */
        void release() {
            for (Literal l : literals) {
                l.close();
            }
            if (pendingFile != null) {
                try {
                    Files.deleteIfExists(pendingFile);
                } catch (IOException e) {
                    log.warn("cannot delete spool file {}: {}", pendingFile, e.toString());
                }
            }
        }
    }

    /** Fills a fixed array. */
    private static final class ArraySink extends OutputStream {
        private final byte[] target;
        private int pos;

        ArraySink(byte[] target) {
            this.target = target;
        }

        @Override
        public void write(int b) {
            target[pos++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            System.arraycopy(b, off, target, pos, len);
            pos += len;
        }
    }

    /**
     * Writes to a spool file, noting NUL octets; a write failure is remembered and the rest of the
     * bytes dropped, so that the client's data is still consumed and the connection stays usable.
     */
    private static final class SpoolSink extends OutputStream {
        private OutputStream out;
        IOException failure;
        boolean sawNul;

        SpoolSink(Path file) {
            try {
                out = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
            } catch (IOException e) {
                failure = e;
            }
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (!sawNul) {
                for (int i = off; i < off + len; i++) {
                    if (b[i] == 0) {
                        sawNul = true;
                        break;
                    }
                }
            }
            if (failure != null) {
                return;
            }
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                failure = e;
            }
        }

        @Override
        public void close() {
            if (out == null) {
                return;
            }
            try {
                out.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                }
            }
            out = null;
        }
    }
}
