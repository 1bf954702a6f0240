package org.postern.imap.parse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The grammar stage of IMAP parsing: turns a {@link WireCommand} into a {@link Command}, or into
 * a {@link CommandError} whose text says what to fix
 * ({@code BAD Error in IMAP command FETCH: unknown fetch attribute BODYX}).
 *
 * <p>One table maps command names to the methods that read their arguments, another the
 * commands that take a {@code UID} prefix; an extension such as Gmail's X-GM-EXT-1 adds its
 * names there and its items to {@code FetchSyntax}, {@code SearchSyntax} and the records.
 *
 * <p>Never throws: a bug in a syntax method comes back as {@link CommandError.Kind#INTERNAL} and
 * is logged. Stateless and thread-safe.
 */
public final class CommandParser {
    private static final Logger log = LoggerFactory.getLogger(CommandParser.class);

    @FunctionalInterface
    private interface Syntax {
        Command parse(TokenCursor c) throws SyntaxException;
    }

    @FunctionalInterface
    private interface UidSyntax {
        Command parse(TokenCursor c, boolean uid) throws SyntaxException;
    }

    private static final Map<String, Syntax> COMMANDS = new LinkedHashMap<>();
    private static final Map<String, UidSyntax> UID_COMMANDS = new LinkedHashMap<>();

    static {
        // any state, RFC 9051 §6.1
        COMMANDS.put("CAPABILITY", c -> none(c, new Command.Capability()));
        COMMANDS.put("NOOP", c -> none(c, new Command.Noop()));
        COMMANDS.put("LOGOUT", c -> none(c, new Command.Logout()));
        COMMANDS.put("ID", CommandParser::id);
        COMMANDS.put("ENABLE", CommandParser::enable);
        // not authenticated, RFC 9051 §6.2
        COMMANDS.put("STARTTLS", c -> none(c, new Command.StartTls()));
        COMMANDS.put("AUTHENTICATE", CommandParser::authenticate);
        COMMANDS.put("LOGIN", CommandParser::login);
        COMMANDS.put("COMPRESS", CommandParser::compress);
        // authenticated, RFC 9051 §6.3
        COMMANDS.put("SELECT", c -> MailboxSyntax.select(c, false));
        COMMANDS.put("EXAMINE", c -> MailboxSyntax.select(c, true));
        COMMANDS.put("CREATE", MailboxSyntax::create);
        COMMANDS.put("DELETE", c -> new Command.Delete(oneMailbox(c)));
        COMMANDS.put("RENAME", CommandParser::rename);
        COMMANDS.put("SUBSCRIBE", c -> new Command.Subscribe(oneMailbox(c)));
        COMMANDS.put("UNSUBSCRIBE", c -> new Command.Unsubscribe(oneMailbox(c)));
        COMMANDS.put("LIST", MailboxSyntax::list);
        COMMANDS.put("LSUB", MailboxSyntax::lsub);
        COMMANDS.put("NAMESPACE", c -> none(c, new Command.Namespace()));
        COMMANDS.put("STATUS", MailboxSyntax::status);
        COMMANDS.put("APPEND", MailboxSyntax::append);
        COMMANDS.put("IDLE", c -> none(c, new Command.Idle()));
        COMMANDS.put("GETQUOTA", MailboxSyntax::getQuota);
        COMMANDS.put("GETQUOTAROOT", MailboxSyntax::getQuotaRoot);
        COMMANDS.put("SETQUOTA", MailboxSyntax::setQuota);
        // selected, RFC 9051 §6.4
        COMMANDS.put("CHECK", c -> none(c, new Command.Check()));
        COMMANDS.put("CLOSE", c -> none(c, new Command.Close()));
        COMMANDS.put("UNSELECT", c -> none(c, new Command.Unselect()));
        COMMANDS.put("EXPUNGE", c -> none(c, new Command.Expunge(Optional.empty())));

        // the commands with a UID form (RFC 9051 §6.4.9; MOVE RFC 6851; SORT/THREAD RFC 5256)
        UID_COMMANDS.put("SEARCH", SearchSyntax::search);
        UID_COMMANDS.put("FETCH", FetchSyntax::fetch);
        UID_COMMANDS.put("STORE", CommandParser::store);
        UID_COMMANDS.put("COPY", (c, uid) -> new Command.Copy(c.sequenceSet("the sequence set"), uid, lastMailbox(c)));
        UID_COMMANDS.put("MOVE", (c, uid) -> new Command.Move(c.sequenceSet("the sequence set"), uid, lastMailbox(c)));
        UID_COMMANDS.put("SORT", SearchSyntax::sort);
        UID_COMMANDS.put("THREAD", SearchSyntax::thread);
    }

    /** The command names this parser knows, UID forms excluded. */
    public static List<String> commandNames() {
        List<String> names = new ArrayList<>(COMMANDS.keySet());
        names.addAll(UID_COMMANDS.keySet());
        return names;
    }

    /**
     * Parses one command.
     *
     * @param wire    the command as read; its literals stay owned by it
     * @param options what the session has enabled
     */
    public ParseResult parse(WireCommand wire, ParseOptions options) {
        Objects.requireNonNull(wire, "wire");
        Objects.requireNonNull(options, "options");
        String name = wire.name();
        if (name.isEmpty()) {
            return fail(wire.tag(), CommandError.Kind.SYNTAX, "Missing command name after the tag");
        }
        TokenCursor c = new TokenCursor(wire.tokens(), 1, options);
        String display = name;
        try {
            Command command;
            if (name.equals("UID")) {
                Token t = c.peek();
                String sub = t instanceof Token.Atom a ? a.text().toUpperCase(Locale.ROOT) : "";
                display = "UID " + Texts.clip(sub);
                if (sub.equals("EXPUNGE")) { // RFC 4315 §2.1 / RFC 9051 §6.4.9
                    c.next("the command");
                    command = new Command.Expunge(Optional.of(lastSet(c)));
                } else {
                    UidSyntax s = UID_COMMANDS.get(sub);
                    if (s == null) {
                        return fail(wire.tag(), sub.isEmpty() ? CommandError.Kind.SYNTAX : CommandError.Kind.UNKNOWN_COMMAND,
                                "Error in IMAP command UID: "
                                + (sub.isEmpty() ? "missing command after UID" : "unknown UID command " + Texts.clip(sub))
                                + " (COPY, MOVE, FETCH, SEARCH, STORE, EXPUNGE, SORT, THREAD)");
                    }
                    c.next("the command");
                    command = s.parse(c, true);
                }
            } else if (UID_COMMANDS.containsKey(name)) {
                command = UID_COMMANDS.get(name).parse(c, false);
            } else {
                Syntax s = COMMANDS.get(name);
                if (s == null) {
                    return fail(wire.tag(), CommandError.Kind.UNKNOWN_COMMAND, "Unknown command " + Texts.clip(name));
                }
                command = s.parse(c);
            }
            return new ParseResult.Parsed(wire.tag(), command);
        } catch (SyntaxException e) {
            String text = Texts.sanitize(e.status() == CommandError.Status.BAD
                    ? "Error in IMAP command " + display + ": " + e.getMessage()
                    : display + " failed: " + e.getMessage());
            return new ParseResult.Failed(new CommandError(wire.tag(), e.kind(), e.status(), e.code(), text, false));
        } catch (RuntimeException e) {
            log.error("parser bug on {} {}", wire.tag(), display, e);
            return fail(wire.tag(), CommandError.Kind.INTERNAL, "Error in IMAP command " + display
                    + ": the server could not parse it (internal error)");
        }
    }

    private static ParseResult fail(String tag, CommandError.Kind kind, String text) {
        return new ParseResult.Failed(CommandError.bad(tag, kind, text));
    }

    private static Command none(TokenCursor c, Command command) throws SyntaxException {
        c.expectEnd();
        return command;
    }

    private static MailboxName oneMailbox(TokenCursor c) throws SyntaxException {
        MailboxName m = c.mailbox("the mailbox name");
        c.expectEnd();
        return m;
    }

    private static MailboxName lastMailbox(TokenCursor c) throws SyntaxException {
        MailboxName m = c.mailbox("the destination mailbox");
        c.expectEnd();
        return m;
    }

    private static SequenceSet lastSet(TokenCursor c) throws SyntaxException {
        SequenceSet s = c.sequenceSet("the UID set");
        c.expectEnd();
        return s;
    }

    /** {@code rename = "RENAME" SP mailbox SP mailbox}. */
    private static Command rename(TokenCursor c) throws SyntaxException {
        MailboxName from = c.mailbox("the mailbox name");
        MailboxName to = c.mailbox("the new mailbox name");
        c.expectEnd();
        return new Command.Rename(from, to);
    }

    /** {@code login = "LOGIN" SP userid SP password}, both astrings (RFC 9051 §6.2.3). */
    private static Command login(TokenCursor c) throws SyntaxException {
        String user = c.astring("the user name");
        String password = c.astring("the password");
        c.expectEnd();
        return new Command.Login(user, password);
    }

    /**
     * {@code authenticate = "AUTHENTICATE" SP auth-type [SP initial-resp]} (RFC 9051 §6.2.2,
     * RFC 4959 §7). Leniently, the mechanism and the response may also be quoted or literals.
     * The response is checked as base64 by the session, after the mechanism: an unsupported
     * mechanism is NO whatever follows it (RFC 9051 §6.2.2), a bad response to a supported one BAD.
     */
    private static Command authenticate(TokenCursor c) throws SyntaxException {
        String mechanism = c.astring("the SASL mechanism").toUpperCase(Locale.ROOT);
        if (!TokenCursor.isAtom(mechanism)) {
            throw new SyntaxException("invalid SASL mechanism " + Texts.clip(mechanism));
        }
        Optional<String> initial = Optional.empty();
        if (!c.atEnd()) {
            initial = Optional.of(c.astring("the initial response"));
        }
        c.expectEnd();
        return new Command.Authenticate(mechanism, initial);
    }

    /** {@code COMPRESS SP algorithm} (RFC 4978 §3). */
    private static Command compress(TokenCursor c) throws SyntaxException {
        String algorithm = c.atom("the compression algorithm").toUpperCase(Locale.ROOT);
        c.expectEnd();
        return new Command.Compress(algorithm);
    }

    /** {@code enable = "ENABLE" 1*(SP capability)} (RFC 5161 §4). */
    private static Command enable(TokenCursor c) throws SyntaxException {
        List<String> caps = new ArrayList<>();
        do {
            caps.add(c.atom("a capability name").toUpperCase(Locale.ROOT));
        } while (!c.atEnd());
        return new Command.Enable(caps);
    }

    /**
     * {@code id = "ID" SP id-params-list}, {@code id-params-list = "(" *(string SP nstring) ")" / nil}
     * (RFC 2971 §4). ID is only informational, so clients that send atoms or separate the pairs with
     * commas are accepted: the strings and atoms are paired up in order, and a lone last field
     * gets NIL. The list itself must be well formed.
     */
    private static Command id(TokenCursor c) throws SyntaxException {
        Map<String, String> fields = new LinkedHashMap<>();
        if (!c.acceptAtom("NIL")) {
            c.open("the ID parameters");
            List<String> items = new ArrayList<>();
            while (c.untilClose("the ID parameters")) {
                Token t = c.next("an ID field");
                switch (t) {
                    case Token.Atom a when a.text().equals(",") -> {
                    }
                    case Token.Atom a -> {
                        String v = a.text().endsWith(",") ? a.text().substring(0, a.text().length() - 1) : a.text();
                        items.add(v.equalsIgnoreCase("NIL") ? null : v);
                    }
                    case Token.Quoted q -> items.add(q.text());
                    case Token.Lit l -> items.add(TokenCursor.literalText(l.literal(), StandardCharsets.UTF_8, "an ID value"));
                    default -> throw new SyntaxException("unexpected " + Texts.clip(t.toString()) + " in the ID parameters");
                }
            }
            c.close("the ID parameters");
            for (int i = 0; i < items.size(); i += 2) {
                String field = items.get(i);
                if (field == null) {
                    throw new SyntaxException("an ID field name cannot be NIL");
                }
                fields.put(field, i + 1 < items.size() ? items.get(i + 1) : null);
            }
        }
        c.expectEnd();
        return new Command.Id(fields);
    }

    /**
     * {@code store = "STORE" SP sequence-set [store-modifiers] SP store-att-flags},
     * {@code store-att-flags = (["+" / "-"] "FLAGS" [".SILENT"]) SP (flag-list / (flag *(SP flag)))}
     * (RFC 9051 §6.4.6), {@code UNCHANGEDSINCE} (RFC 7162 §3.1.3).
     */
    private static Command store(TokenCursor c, boolean uid) throws SyntaxException {
        SequenceSet set = c.sequenceSet("the sequence set");
        OptionalLong unchangedSince = OptionalLong.empty();
        if (c.peekOpen()) {
            c.open("the STORE modifiers");
            do {
                String m = c.keyword("a STORE modifier");
                if (!m.equals("UNCHANGEDSINCE")) {
                    throw new SyntaxException("unknown STORE modifier " + Texts.clip(m) + " (UNCHANGEDSINCE)");
                }
                unchangedSince = OptionalLong.of(c.number64("the UNCHANGEDSINCE mod-sequence"));
            } while (c.untilClose("the STORE modifiers"));
            c.close("the STORE modifiers");
        }
        String item = c.keyword("FLAGS, +FLAGS or -FLAGS");
        FlagOp op = FlagOp.REPLACE;
        String rest = item;
        if (item.startsWith("+")) {
            op = FlagOp.ADD;
            rest = item.substring(1);
        } else if (item.startsWith("-")) {
            op = FlagOp.REMOVE;
            rest = item.substring(1);
        }
        boolean silent = rest.endsWith(".SILENT");
        if (silent) {
            rest = rest.substring(0, rest.length() - ".SILENT".length());
        }
        if (!rest.equals("FLAGS")) {
            throw new SyntaxException("unknown STORE item " + Texts.clip(item)
                    + " (FLAGS, +FLAGS or -FLAGS, optionally with .SILENT)");
        }
        List<String> flags;
        if (c.peekOpen()) {
            flags = c.flagList();
        } else {
            flags = new ArrayList<>();
            do {
                flags.add(c.flag("a flag"));
            } while (!c.atEnd());
        }
        c.expectEnd();
        return new Command.Store(set, uid, op, silent, flags, unchangedSince);
    }
}
