package org.postern.imap.parse;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The commands about mailboxes as a whole: SELECT/EXAMINE, CREATE, LIST, LSUB, STATUS, APPEND
 * and the QUOTA commands.
 */
final class MailboxSyntax {
    private static final String[] USE_ATTRIBUTES = {"\\All", "\\Archive", "\\Drafts", "\\Flagged", "\\Junk",
        "\\Sent", "\\Trash", "\\Important"};

    private MailboxSyntax() {
    }

    /**
     * {@code select = "SELECT" SP mailbox [select-params]} (RFC 4466 §2.1), with CONDSTORE
     * (RFC 7162 §3.1.8) and {@code QRESYNC (uidvalidity modseq [known-uids [seq-match-data]])}
     * (RFC 7162 §3.2.5).
     */
    static Command.Select select(TokenCursor c, boolean readOnly) throws SyntaxException {
        MailboxName mailbox = c.mailbox("the mailbox name");
        boolean condstore = false;
        Optional<Command.Select.Qresync> qresync = Optional.empty();
        if (c.peekOpen()) {
            c.open("the SELECT parameters");
            do {
                String p = c.keyword("a SELECT parameter");
                switch (p) {
                    case "CONDSTORE" -> condstore = true;
                    case "QRESYNC" -> qresync = Optional.of(qresync(c));
                    default -> throw new SyntaxException("unknown SELECT parameter " + Texts.clip(p) + " (CONDSTORE, QRESYNC)");
                }
            } while (c.untilClose("the SELECT parameters"));
            c.close("the SELECT parameters");
        }
        c.expectEnd();
        return new Command.Select(mailbox, readOnly, condstore, qresync);
    }

    private static Command.Select.Qresync qresync(TokenCursor c) throws SyntaxException {
        c.open("the QRESYNC parameters");
        long uidValidity = c.nzNumber("the UIDVALIDITY");
        long modSeq = c.modSeqValue("the mod-sequence");
        Optional<SequenceSet> knownUids = Optional.empty();
        Optional<SequenceSet> knownSeq = Optional.empty();
        Optional<SequenceSet> knownSeqUids = Optional.empty();
        if (c.peek() instanceof Token.Atom) {
            knownUids = Optional.of(c.sequenceSet("the known UIDs"));
        }
        if (c.peekOpen()) { // seq-match-data = "(" known-sequence-set SP known-uid-set ")"
            c.open("the sequence match data");
            knownSeq = Optional.of(c.sequenceSet("the known sequence set"));
            knownSeqUids = Optional.of(c.sequenceSet("the known UID set"));
            c.close("the sequence match data");
        }
        c.close("the QRESYNC parameters");
        return new Command.Select.Qresync(uidValidity, modSeq, knownUids, knownSeq, knownSeqUids);
    }

    /** {@code create = "CREATE" SP mailbox [create-params]}, with {@code USE (...)} (RFC 6154 §3). */
    static Command.Create create(TokenCursor c) throws SyntaxException {
        MailboxName mailbox = c.mailbox("the mailbox name");
        List<String> use = new ArrayList<>();
        if (c.peekOpen()) {
            c.open("the CREATE parameters");
            do {
                String p = c.keyword("a CREATE parameter");
                if (!p.equals("USE")) {
                    throw new SyntaxException("unknown CREATE parameter " + Texts.clip(p) + " (USE)");
                }
                c.open("the USE attributes");
                while (c.untilClose("the USE attributes")) {
                    use.add(useAttribute(c));
                }
                c.close("the USE attributes");
            } while (c.untilClose("the CREATE parameters"));
            c.close("the CREATE parameters");
        }
        c.expectEnd();
        return new Command.Create(mailbox, use);
    }

    /** {@code use-attr}: a known attribute in canonical case, or {@code "\" atom} as written (RFC 6154 §6). */
    private static String useAttribute(TokenCursor c) throws SyntaxException {
        Token t = c.next("a special-use attribute");
        String raw = t instanceof Token.Atom a ? a.text() : t.toString();
        if (!(t instanceof Token.Atom) || !raw.startsWith("\\") || !TokenCursor.isAtom(raw.substring(1))) {
            throw new SyntaxException("invalid special-use attribute " + Texts.clip(raw) + " (such as \\Sent)");
        }
        for (String known : USE_ATTRIBUTES) {
            if (known.equalsIgnoreCase(raw)) {
                return known;
            }
        }
        return raw; // an extension attribute; the server answers NO [USEATTR] (RFC 6154 §3)
    }

    /**
     * {@code list = "LIST" [SP list-select-opts] SP mailbox SP mbox-or-pat [SP list-return-opts]}
     * (RFC 5258 §6, RFC 6154 §6, RFC 5819 §4).
     */
    static Command.ListMailboxes list(TokenCursor c) throws SyntaxException {
        boolean extended = false;
        EnumSet<Command.ListMailboxes.Selection> selection = EnumSet.noneOf(Command.ListMailboxes.Selection.class);
        if (c.peekOpen()) {
            extended = true;
            c.open("the LIST selection options");
            while (c.untilClose("the LIST selection options")) {
                String o = c.keyword("a LIST selection option");
                selection.add(switch (o) {
                    case "SUBSCRIBED" -> Command.ListMailboxes.Selection.SUBSCRIBED;
                    case "REMOTE" -> Command.ListMailboxes.Selection.REMOTE;
                    case "RECURSIVEMATCH" -> Command.ListMailboxes.Selection.RECURSIVEMATCH;
                    case "SPECIAL-USE" -> Command.ListMailboxes.Selection.SPECIAL_USE;
                    default -> throw new SyntaxException("unknown LIST selection option " + Texts.clip(o)
                            + " (SUBSCRIBED, REMOTE, RECURSIVEMATCH, SPECIAL-USE)");
                });
            }
            c.close("the LIST selection options");
            if (selection.contains(Command.ListMailboxes.Selection.RECURSIVEMATCH)
                    && !selection.contains(Command.ListMailboxes.Selection.SUBSCRIBED)
                    && !selection.contains(Command.ListMailboxes.Selection.SPECIAL_USE)) {
                // RFC 5258 §3.1: RECURSIVEMATCH modifies a base option; alone (or with REMOTE) it is BAD
                throw new SyntaxException("RECURSIVEMATCH needs SUBSCRIBED or SPECIAL-USE (RFC 5258 section 3.1)");
            }
        }
        String reference = c.listMailbox("the reference name");
        List<String> patterns = new ArrayList<>();
        if (c.peekOpen()) {
            extended = true;
            c.open("the mailbox patterns");
            do {
                addPattern(patterns, reference, c.listMailbox("a mailbox pattern"));
            } while (c.untilClose("the mailbox patterns"));
            c.close("the mailbox patterns");
        } else {
            addPattern(patterns, reference, c.listMailbox("the mailbox pattern"));
        }
        if (reference == null) {
            reference = "";
        }
        EnumSet<Command.ListMailboxes.ReturnOption> returns = EnumSet.noneOf(Command.ListMailboxes.ReturnOption.class);
        List<StatusItem> statusItems = List.of();
        if (c.acceptAtom("RETURN")) {
            extended = true;
            c.open("the LIST return options");
            while (c.untilClose("the LIST return options")) {
                String o = c.keyword("a LIST return option");
                switch (o) {
                    case "SUBSCRIBED" -> returns.add(Command.ListMailboxes.ReturnOption.SUBSCRIBED);
                    case "CHILDREN" -> returns.add(Command.ListMailboxes.ReturnOption.CHILDREN);
                    case "SPECIAL-USE" -> returns.add(Command.ListMailboxes.ReturnOption.SPECIAL_USE);
                    case "STATUS" -> { // RFC 5819 §2
                        returns.add(Command.ListMailboxes.ReturnOption.STATUS);
                        statusItems = statusItems(c);
                    }
                    default -> throw new SyntaxException("unknown LIST return option " + Texts.clip(o)
                            + " (SUBSCRIBED, CHILDREN, SPECIAL-USE, STATUS)");
                }
            }
            c.close("the LIST return options");
        }
        c.expectEnd();
        return new Command.ListMailboxes(reference, patterns, selection, returns, statusItems, extended);
    }

    /**
     * A pattern for LIST, unless it (or the reference it is read with) is not valid modified
     * UTF-7 and so matches no name. The empty pattern asks for the delimiter, whatever the
     * reference (RFC 9051 §6.3.9).
     */
    private static void addPattern(List<String> patterns, String reference, String pattern) {
        if (pattern != null && (reference != null || pattern.isEmpty())) {
            patterns.add(pattern);
        }
    }

    /** {@code lsub = "LSUB" SP mailbox SP list-mailbox} (RFC 3501 §6.3.9). */
    static Command.Lsub lsub(TokenCursor c) throws SyntaxException {
        String reference = c.listMailbox("the reference name");
        String pattern = c.listMailbox("the mailbox pattern");
        c.expectEnd();
        return new Command.Lsub(reference == null ? "" : reference,
                reference == null ? Optional.empty() : Optional.ofNullable(pattern));
    }

    /** {@code status = "STATUS" SP mailbox SP "(" status-att *(SP status-att) ")"}. */
    static Command.Status status(TokenCursor c) throws SyntaxException {
        MailboxName mailbox = c.mailbox("the mailbox name");
        List<StatusItem> items = statusItems(c);
        c.expectEnd();
        return new Command.Status(mailbox, items);
    }

    static List<StatusItem> statusItems(TokenCursor c) throws SyntaxException {
        c.open("the STATUS items");
        List<StatusItem> items = new ArrayList<>();
        do {
            String s = c.keyword("a STATUS item");
            StatusItem item = StatusItem.byWireName(s);
            if (item == null) {
                throw new SyntaxException("unknown STATUS item " + Texts.clip(s) + " (MESSAGES, UIDNEXT, UIDVALIDITY,"
                        + " UNSEEN, DELETED, SIZE, RECENT, HIGHESTMODSEQ, APPENDLIMIT, MAILBOXID, DELETED-STORAGE)");
            }
            items.add(item);
        } while (c.untilClose("the STATUS items"));
        c.close("the STATUS items");
        return items;
    }

    /**
     * {@code append = "APPEND" SP mailbox 1*append-message} (RFC 3502 §6), {@code append-message =
     * [SP flag-list] [SP date-time] SP append-data}, {@code append-data = literal / literal8 /
     * "UTF8" SP "(" literal8 ")"} (RFC 3516 §4.4, RFC 6855 §4).
     */
    static Command.Append append(TokenCursor c) throws SyntaxException {
        MailboxName mailbox = c.mailbox("the mailbox name");
        List<AppendMessage> messages = new ArrayList<>();
        do {
            List<String> flags = c.peekOpen() ? c.flagList() : List.of();
            Optional<OffsetDateTime> date = Optional.empty();
            if (c.peek() instanceof Token.Quoted) {
                date = Optional.of(c.dateTime("the internal date"));
            }
            Token t = c.next("the message (a literal such as {310})");
            boolean utf8 = false;
            Literal content;
            if (t instanceof Token.Lit l) {
                content = l.literal();
            } else if (t instanceof Token.Atom a && a.text().equalsIgnoreCase("UTF8")) {
                utf8 = true;
                c.open("the UTF8 message");
                Token m = c.next("the message (a literal8 such as ~{310})");
                if (!(m instanceof Token.Lit l)) {
                    throw new SyntaxException("expected the message as a literal8 inside UTF8 ( ), found "
                            + Texts.clip(m.toString()));
                }
                content = l.literal();
                c.close("the UTF8 message");
            } else if (t instanceof Token.Atom a && a.text().toUpperCase(Locale.ROOT).equals("CATENATE")) {
                throw new SyntaxException("CATENATE is not supported");
            } else {
                throw new SyntaxException("expected the message as a literal such as {310}, found "
                        + Texts.clip(t.toString()));
            }
            if (content.containsNul() && !content.isBinary()) {
                throw new SyntaxException("the message contains NUL octets; send it as a literal8 ~{n} (RFC 3516)");
            }
            messages.add(new AppendMessage(flags, date, content, utf8));
        } while (!c.atEnd());
        return new Command.Append(mailbox, messages);
    }

    /** {@code getquota = "GETQUOTA" SP quota-root-name} (RFC 9208 §4.2). */
    static Command.GetQuota getQuota(TokenCursor c) throws SyntaxException {
        String root = c.astring("the quota root");
        c.expectEnd();
        return new Command.GetQuota(root);
    }

    /** {@code getquotaroot = "GETQUOTAROOT" SP mailbox} (RFC 9208 §4.3). */
    static Command.GetQuotaRoot getQuotaRoot(TokenCursor c) throws SyntaxException {
        MailboxName mailbox = c.mailbox("the mailbox name");
        c.expectEnd();
        return new Command.GetQuotaRoot(mailbox);
    }

    /** {@code setquota = "SETQUOTA" SP quota-root-name SP setquota-list} (RFC 9208 §4.1). */
    static Command.SetQuota setQuota(TokenCursor c) throws SyntaxException {
        String root = c.astring("the quota root");
        c.open("the quota limits");
        List<Command.SetQuota.Limit> limits = new ArrayList<>();
        while (c.untilClose("the quota limits")) {
            String resource = c.atom("the resource name").toUpperCase(Locale.ROOT);
            limits.add(new Command.SetQuota.Limit(resource, c.number64("the limit of " + resource)));
        }
        c.close("the quota limits");
        c.expectEnd();
        return new Command.SetQuota(root, limits);
    }
}
