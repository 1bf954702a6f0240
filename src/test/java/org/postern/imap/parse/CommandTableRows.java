package org.postern.imap.parse;

import static org.postern.imap.parse.CommandTableTest.and;
import static org.postern.imap.parse.CommandTableTest.body;
import static org.postern.imap.parse.CommandTableTest.date;
import static org.postern.imap.parse.CommandTableTest.dateTime;
import static org.postern.imap.parse.CommandTableTest.fetch;
import static org.postern.imap.parse.CommandTableTest.flag;
import static org.postern.imap.parse.CommandTableTest.invalid;
import static org.postern.imap.parse.CommandTableTest.lit;
import static org.postern.imap.parse.CommandTableTest.list;
import static org.postern.imap.parse.CommandTableTest.mb;
import static org.postern.imap.parse.CommandTableTest.message;
import static org.postern.imap.parse.CommandTableTest.row;
import static org.postern.imap.parse.CommandTableTest.search;
import static org.postern.imap.parse.CommandTableTest.section;
import static org.postern.imap.parse.CommandTableTest.set;
import static org.postern.imap.parse.CommandTableTest.text;
import static org.postern.imap.parse.CommandTableTest.utf8;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import org.junit.jupiter.params.provider.Arguments;
import org.postern.imap.parse.Command.ListMailboxes.ReturnOption;
import org.postern.imap.parse.Command.ListMailboxes.Selection;
import org.postern.imap.parse.FetchAttribute.Item;
import org.postern.imap.parse.FetchAttribute.Section;
import org.postern.imap.parse.SearchKey.DateComparison;
import org.postern.imap.parse.SearchKey.DateField;
import org.postern.imap.parse.SearchKey.TextField;
import org.postern.imap.parse.SearchReturn.Option;

/** The rows of {@link CommandTableTest} for mailbox commands, APPEND, FETCH, SEARCH, SORT and THREAD. */
final class CommandTableRows {
    private CommandTableRows() {
    }

    static List<Arguments> mailboxRows() {
        Command.Select.Qresync qr1 = new Command.Select.Qresync(67890007L, 20050715194045000L,
                Optional.of(set("41,43:211,214:541")), Optional.empty(), Optional.empty());
        Command.Select.Qresync qr2 = new Command.Select.Qresync(67890007L, 90060115194045000L,
                Optional.of(set("41:211,214:541")), Optional.of(set("1:12")), Optional.of(set("41:52")));
        Command.Select.Qresync qr3 = new Command.Select.Qresync(1, 2, Optional.empty(), Optional.empty(), Optional.empty());
        Command.Select.Qresync qr4 = new Command.Select.Qresync(1, 2, Optional.empty(), Optional.of(set("1,3")), Optional.of(set("5,9")));
        return List.of(
                row("a1 SELECT INBOX", Command.Select.of(MailboxName.INBOX, false)),
                row("a1 select inbox", Command.Select.of(MailboxName.INBOX, false)),
                row("a1 SELECT \"InBox\"", Command.Select.of(MailboxName.INBOX, false)),
                row("a1 SELECT {5+}\r\ninbox", Command.Select.of(MailboxName.INBOX, false)),
                row("a1 SELECT Entw&APw-rfe", Command.Select.of(mb("Entw\u00fcrfe"), false)),
                row("a1 SELECT ~peter/mail/&U,BTFw-/&ZeVnLIqe-", Command.Select.of(mb("~peter/mail/\u53f0\u5317/\u65e5\u672c\u8a9e"), false)),
                row("a1 SELECT \"[Gmail]/Sent Mail\"", Command.Select.of(mb("[Gmail]/Sent Mail"), false)),
                row("a1 SELECT [Gmail]/Spam", Command.Select.of(mb("[Gmail]/Spam"), false)),
                row("a1 SELECT \"Tom &- Jerry\"", Command.Select.of(mb("Tom & Jerry"), false)),
                row("a1 SELECT ~foo", Command.Select.of(mb("~foo"), false)), // dovecot atoms test: not a literal8
                row("a1 SELECT NIL", Command.Select.of(mb("NIL"), false)),
                // Names that are astrings but not valid modified UTF-7 parse (the grammar asks for an
                // astring); the command answers NO. RFC 3501 §5.1.3.
                row("a1 SELECT \"&Jjo\"", Command.Select.of(invalid("&Jjo",
                        "'&' starts an encoded run that does not end with '-' (write a literal '&' as '&-')"), false)),
                row("a1 SELECT &AGE-", Command.Select.of(invalid("&AGE-", "mailbox name is not in canonical"
                        + " modified UTF-7 (printable ASCII must not be encoded, and encoded runs must not be split)"), false)),
                row("a1 SELECT {5+}\r\n&a\rb-", Command.Select.of(invalid("&a\rb-",
                        "U+000D is not a modified base64 character in an encoded run"), false)),
                row("a1 SELECT \"caf\u00c3\u00a9\"", Command.Select.of(invalid("caf\u00c3\u00a9", "character U+00C3 is not"
                        + " allowed: a mailbox name is modified UTF-7 (RFC 3501 section 5.1.3) unless UTF8=ACCEPT is enabled"), false)),
                row("a1 CREATE &AAE-", new Command.Create(invalid("&AAE-",
                        "character U+0001 is not allowed in a mailbox name (RFC 9051 section 5.1)"), List.of())),
                row("a1 RENAME a &Jjo", new Command.Rename(mb("a"), invalid("&Jjo",
                        "'&' starts an encoded run that does not end with '-' (write a literal '&' as '&-')"))),
                row("a1 STATUS &- (MESSAGES)", new Command.Status(mb("&"), List.of(StatusItem.MESSAGES))),
                utf8("a1 SELECT \"Entw\u00fcrfe\"", Command.Select.of(mb("Entw\u00fcrfe"), false)),
                utf8("a1 SELECT \"a&b\"", Command.Select.of(mb("a&b"), false)),
                utf8("a1 SELECT {9+}\r\nEntw\u00fcrfe", Command.Select.of(mb("Entw\u00fcrfe"), false)),
                row("a1 EXAMINE INBOX", Command.Select.of(MailboxName.INBOX, true)),
                row("a1 SELECT INBOX (CONDSTORE)", new Command.Select(MailboxName.INBOX, false, true, Optional.empty())),
                row("a1 EXAMINE Sent (condstore)", new Command.Select(mb("Sent"), true, true, Optional.empty())),
                row("a1 SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541))",
                        new Command.Select(MailboxName.INBOX, false, false, Optional.of(qr1))),
                row("a1 SELECT INBOX (QRESYNC (67890007 90060115194045000 41:211,214:541 (1:12 41:52)))",
                        new Command.Select(MailboxName.INBOX, false, false, Optional.of(qr2))),
                row("a1 SELECT INBOX (QRESYNC (1 2))", new Command.Select(MailboxName.INBOX, false, false, Optional.of(qr3))),
                row("a1 SELECT INBOX (QRESYNC (1 2 (1,3 5,9)))", new Command.Select(MailboxName.INBOX, false, false, Optional.of(qr4))),
                row("a1 SELECT INBOX (CONDSTORE QRESYNC (1 2))", new Command.Select(MailboxName.INBOX, false, true, Optional.of(qr3))),
                row("a1 CREATE foo", new Command.Create(mb("foo"), List.of())),
                row("a1 CREATE foo/bar/", new Command.Create(mb("foo/bar/"), List.of())),
                row("a1 CREATE Sent (USE (\\Sent))", new Command.Create(mb("Sent"), List.of("\\Sent"))),
                row("a1 CREATE x (USE (\\sent \\ARCHIVE \\X-Custom))", new Command.Create(mb("x"), List.of("\\Sent", "\\Archive", "\\X-Custom"))),
                row("a1 CREATE x (USE ())", new Command.Create(mb("x"), List.of())),
                row("a1 CREATE \"Spam &- Junk\" (USE (\\Junk) USE (\\Trash))", new Command.Create(mb("Spam & Junk"), List.of("\\Junk", "\\Trash"))),
                row("a1 DELETE foo", new Command.Delete(mb("foo"))),
                row("a1 DELETE INBOX", new Command.Delete(MailboxName.INBOX)),
                row("a1 RENAME foo bar", new Command.Rename(mb("foo"), mb("bar"))),
                row("a1 RENAME \"old name\" {8+}\r\nnew name", new Command.Rename(mb("old name"), mb("new name"))),
                row("a1 RENAME inbox Old", new Command.Rename(MailboxName.INBOX, mb("Old"))),
                row("a1 SUBSCRIBE foo", new Command.Subscribe(mb("foo"))),
                row("a1 UNSUBSCRIBE \"foo bar\"", new Command.Unsubscribe(mb("foo bar"))),
                row("a1 NAMESPACE", new Command.Namespace()),
                row("a1 LIST \"\" *", Command.ListMailboxes.basic("", "*")),
                row("a1 LIST \"\" %", Command.ListMailboxes.basic("", "%")),
                row("a1 LIST \"\" \"\"", Command.ListMailboxes.basic("", "")),
                row("a1 LIST ~/Mail/ %", Command.ListMailboxes.basic("~/Mail/", "%")),
                row("a1 LIST #news.comp.mail.misc \"\"", Command.ListMailboxes.basic("#news.comp.mail.misc", "")),
                row("a1 LIST \"\" INBOX.*", Command.ListMailboxes.basic("", "INBOX.*")),
                row("a1 LIST \"\" Entw&APw-rfe*", Command.ListMailboxes.basic("", "Entw\u00fcrfe*")),
                row("a1 LIST \"\" foo]%", Command.ListMailboxes.basic("", "foo]%")),
                row("a1 list \"\" {3+}\r\na*b", Command.ListMailboxes.basic("", "a*b")),
                // dovecot-imaptest tests/atoms: every ATOM-CHAR; "&'" is not modified UTF-7, so the
                // pattern spells no name and is left out: LIST answers OK with nothing
                row("a1 list \"\" !#$&'+,-.0123456789:;<=>?@^_`|[}%*",
                        new Command.ListMailboxes("", List.of(), Set.of(), Set.of(), List.of(), false)),
                row("a1 LIST \"\" (a &Jjo b)", list("", List.of("a", "b"), Set.of(), Set.of(), List.of())),
                row("a1 LIST &Jjo (a \"\")", list("", List.of(""), Set.of(), Set.of(), List.of())),
                row("a1 LSUB \"\" &Jjo", new Command.Lsub("", Optional.empty())),
                utf8("a1 LIST \"\" \"Entw\u00fcrfe*\"", Command.ListMailboxes.basic("", "Entw\u00fcrfe*")),
                utf8("a1 LIST \"\" a&AOQ-%", Command.ListMailboxes.basic("", "a&AOQ-%")), // UTF-8 mode: no modified UTF-7
                row("a1 LIST (SUBSCRIBED) \"\" *", list("", List.of("*"), Set.of(Selection.SUBSCRIBED), Set.of(), List.of())),
                row("a1 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" %",
                        list("", List.of("%"), Set.of(Selection.SUBSCRIBED, Selection.RECURSIVEMATCH), Set.of(), List.of())),
                row("a1 LIST (SPECIAL-USE) \"\" *", list("", List.of("*"), Set.of(Selection.SPECIAL_USE), Set.of(), List.of())),
                row("a1 LIST (REMOTE) \"\" %", list("", List.of("%"), Set.of(Selection.REMOTE), Set.of(), List.of())),
                row("a1 LIST (remote subscribed) \"\" %", list("", List.of("%"), Set.of(Selection.REMOTE, Selection.SUBSCRIBED), Set.of(), List.of())),
                row("a1 LIST () \"\" \"\"", list("", List.of(""), Set.of(), Set.of(), List.of())),
                row("a1 LIST \"\" (\"INBOX\" \"Drafts\" Sent*)", list("", List.of("INBOX", "Drafts", "Sent*"), Set.of(), Set.of(), List.of())),
                row("a1 LIST \"\" % RETURN (CHILDREN)", list("", List.of("%"), Set.of(), Set.of(ReturnOption.CHILDREN), List.of())),
                row("a1 LIST \"\" % RETURN (SUBSCRIBED CHILDREN SPECIAL-USE)",
                        list("", List.of("%"), Set.of(), Set.of(ReturnOption.SUBSCRIBED, ReturnOption.CHILDREN, ReturnOption.SPECIAL_USE), List.of())),
                row("a1 LIST \"\" % RETURN (STATUS (MESSAGES UNSEEN))",
                        list("", List.of("%"), Set.of(), Set.of(ReturnOption.STATUS), List.of(StatusItem.MESSAGES, StatusItem.UNSEEN))),
                row("a1 LIST (SUBSCRIBED) \"\" (\"a\" \"b\") RETURN (CHILDREN STATUS (UIDNEXT))",
                        list("", List.of("a", "b"), Set.of(Selection.SUBSCRIBED), Set.of(ReturnOption.CHILDREN, ReturnOption.STATUS), List.of(StatusItem.UIDNEXT))),
                row("a1 LIST \"\" % RETURN ()", list("", List.of("%"), Set.of(), Set.of(), List.of())),
                row("a1 LSUB \"\" *", new Command.Lsub("", "*")),
                row("a1 LSUB #news. comp.mail.*", new Command.Lsub("#news.", "comp.mail.*")),
                row("a1 STATUS INBOX (MESSAGES)", new Command.Status(MailboxName.INBOX, List.of(StatusItem.MESSAGES))),
                row("a1 STATUS blurdybloop (UIDNEXT MESSAGES)", new Command.Status(mb("blurdybloop"), List.of(StatusItem.UIDNEXT, StatusItem.MESSAGES))),
                row("a1 STATUS \"p&AOQA5A-\" (messages uidnext uidvalidity unseen deleted size recent highestmodseq appendlimit mailboxid deleted-storage)",
                        new Command.Status(mb("p\u00e4\u00e4"), List.of(StatusItem.values()))),
                row("a1 GETQUOTA \"\"", new Command.GetQuota("")),
                row("a1 GETQUOTA \"#user/fred\"", new Command.GetQuota("#user/fred")),
                row("a1 GETQUOTAROOT INBOX", new Command.GetQuotaRoot(MailboxName.INBOX)),
                row("a1 SETQUOTA \"\" (STORAGE 512)", new Command.SetQuota("", List.of(new Command.SetQuota.Limit("STORAGE", 512)))),
                row("a1 SETQUOTA \"\" (storage 512 MESSAGE 1000)", new Command.SetQuota("",
                        List.of(new Command.SetQuota.Limit("STORAGE", 512), new Command.SetQuota.Limit("MESSAGE", 1000)))),
                row("a1 SETQUOTA #user/fred ()", new Command.SetQuota("#user/fred", List.of())));
    }

    static List<Arguments> appendRows() {
        byte[] nul = {'h', 'e', 0, 'l', 'o'};
        return List.of(
                row("a1 APPEND INBOX {5+}\r\nhello", new Command.Append(MailboxName.INBOX, List.of(message(List.of(), null, lit("hello"))))),
                row("a1 APPEND INBOX {5}\r\nhello", new Command.Append(MailboxName.INBOX, List.of(message(List.of(), null, lit("hello"))))),
                row("a1 APPEND saved-messages (\\Seen) {22+}\r\nDate: Mon\r\n\r\nHello Joe",
                        new Command.Append(mb("saved-messages"), List.of(message(List.of("\\Seen"), null, lit("Date: Mon\r\n\r\nHello Joe"))))),
                row("a1 APPEND INBOX (\\seen \\Flagged $Forwarded) \"17-Jul-1996 02:44:25 -0700\" {5+}\r\nhello",
                        new Command.Append(MailboxName.INBOX, List.of(message(List.of("\\Seen", "\\Flagged", "$Forwarded"),
                                dateTime(1996, 7, 17, 2, 44, 25, -420), lit("hello"))))),
                row("a1 APPEND INBOX \" 7-Jul-1996 02:44:25 +0000\" {5}\r\nhello",
                        new Command.Append(MailboxName.INBOX, List.of(message(List.of(), dateTime(1996, 7, 7, 2, 44, 25, 0), lit("hello"))))),
                row("a1 APPEND INBOX () {0+}\r\n\r\n", new Command.Append(MailboxName.INBOX, List.of(message(List.of(), null, lit(""))))),
                row("a1 APPEND INBOX ~{5+}\r\nhe\0lo", new Command.Append(MailboxName.INBOX,
                        List.of(message(List.of(), null, Literal.binary(nul))))),
                row("a1 APPEND INBOX UTF8 (~{5+}\r\nhello)", new Command.Append(MailboxName.INBOX,
                        List.of(new AppendMessage(List.of(), Optional.empty(), Literal.binary(Wire.bytes("hello")), true)))),
                row("a1 APPEND INBOX (\\Seen) {3+}\r\none {3+}\r\ntwo \"01-Jan-2026 00:00:00 +0100\" {5+}\r\nthree",
                        new Command.Append(MailboxName.INBOX, List.of(message(List.of("\\Seen"), null, lit("one")),
                                message(List.of(), null, lit("two")),
                                message(List.of(), dateTime(2026, 1, 1, 0, 0, 0, 60), lit("three"))))),
                row("a1 APPEND Drafts (\\Draft) {5+}\r\nhello", new Command.Append(mb("Drafts"), List.of(message(List.of("\\Draft"), null, lit("hello"))))),
                row("a1 APPEND {5+}\r\nINBOX {1+}\r\nx", new Command.Append(MailboxName.INBOX, List.of(message(List.of(), null, lit("x"))))),
                utf8("a1 APPEND \"Entw\u00fcrfe\" {3+}\r\nabc", new Command.Append(mb("Entw\u00fcrfe"), List.of(message(List.of(), null, lit("abc"))))));
    }

    static List<Arguments> fetchRows() {
        Section headerDateFrom = section(List.of(), Section.Text.HEADER_FIELDS, "DATE", "FROM");
        return List.of(
                row("a1 FETCH 1 ALL", fetch("1", Item.FLAGS, Item.INTERNALDATE, Item.RFC822_SIZE, Item.ENVELOPE)),
                row("a1 FETCH 1 fast", fetch("1", Item.FLAGS, Item.INTERNALDATE, Item.RFC822_SIZE)),
                row("a1 FETCH 1 FULL", fetch("1", Item.FLAGS, Item.INTERNALDATE, Item.RFC822_SIZE, Item.ENVELOPE, Item.BODY)),
                row("a1 FETCH 1:* FLAGS", fetch("1:*", Item.FLAGS)),
                row("a1 FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)])", fetch("2:4", Item.FLAGS, body(false, headerDateFrom))),
                row("a1 FETCH 1 (ENVELOPE INTERNALDATE RFC822 RFC822.HEADER RFC822.SIZE RFC822.TEXT BODY BODYSTRUCTURE UID)",
                        fetch("1", Item.ENVELOPE, Item.INTERNALDATE, Item.RFC822, Item.RFC822_HEADER, Item.RFC822_SIZE,
                                Item.RFC822_TEXT, Item.BODY, Item.BODYSTRUCTURE, Item.UID)),
                row("a1 FETCH 1 (MODSEQ EMAILID THREADID SAVEDATE)", fetch("1", Item.MODSEQ, Item.EMAILID, Item.THREADID, Item.SAVEDATE)),
                row("a1 FETCH 1 BODY[]", fetch("1", body(false, Section.WHOLE))),
                row("a1 FETCH 1 BODY.PEEK[]", fetch("1", body(true, Section.WHOLE))),
                row("a1 FETCH 1 BODY[]<0.2048>", fetch("1", body(false, Section.WHOLE, 0, 2048))),
                row("a1 FETCH 1 BODY.PEEK[]<1024.9223372036854775807>", fetch("1", body(true, Section.WHOLE, 1024, Long.MAX_VALUE))),
                row("a1 FETCH 1 BODY[TEXT]", fetch("1", body(false, section(List.of(), Section.Text.TEXT)))),
                row("a1 FETCH 1 BODY[HEADER]", fetch("1", body(false, section(List.of(), Section.Text.HEADER)))),
                row("a1 FETCH 1 BODY[1]", fetch("1", body(false, section(List.of(1), null)))),
                row("a1 FETCH 1 BODY[1.2.3]", fetch("1", body(false, section(List.of(1, 2, 3), null)))),
                row("a1 FETCH 1 BODY[1.MIME]", fetch("1", body(false, section(List.of(1), Section.Text.MIME)))),
                row("a1 FETCH 1 BODY[4.2.2.1.mime]", fetch("1", body(false, section(List.of(4, 2, 2, 1), Section.Text.MIME)))),
                row("a1 FETCH 1 BODY[2.1.HEADER]", fetch("1", body(false, section(List.of(2, 1), Section.Text.HEADER)))),
                row("a1 FETCH 1 BODY[3.TEXT]", fetch("1", body(false, section(List.of(3), Section.Text.TEXT)))),
                row("a1 FETCH 1 BODY[HEADER.FIELDS.NOT (Received)]", fetch("1", body(false, section(List.of(), Section.Text.HEADER_FIELDS_NOT, "Received")))),
                row("a1 FETCH 1 (BODY[1.HEADER.FIELDS (Subject)]<10.20>)",
                        fetch("1", body(false, section(List.of(1), Section.Text.HEADER_FIELDS, "Subject"), 10, 20))),
                row("a1 FETCH 1 (BODY.PEEK[HEADER.FIELDS (\"From\" {7+}\r\nSubject)] UID)",
                        fetch("1", body(true, section(List.of(), Section.Text.HEADER_FIELDS, "From", "Subject")), Item.UID)),
                row("a1 fetch 1 body.peek[header.fields (from to cc bcc subject date message-id priority x-priority references newsgroups in-reply-to content-type reply-to x-mailer)]",
                        fetch("1", body(true, section(List.of(), Section.Text.HEADER_FIELDS, "from", "to", "cc", "bcc", "subject",
                                "date", "message-id", "priority", "x-priority", "references", "newsgroups", "in-reply-to",
                                "content-type", "reply-to", "x-mailer")))),
                row("a1 FETCH 1 BODY[HEADER.FIELDS(FROM)]", fetch("1", body(false, section(List.of(), Section.Text.HEADER_FIELDS, "FROM")))),
                row("a1 FETCH 1:* (FLAGS) (CHANGEDSINCE 12345)",
                        new Command.Fetch(set("1:*"), false, List.of(Item.FLAGS), OptionalLong.of(12345), false, Optional.empty())),
                row("a1 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 12345 VANISHED)",
                        new Command.Fetch(set("1:*"), true, List.of(Item.FLAGS), OptionalLong.of(12345), true, Optional.empty())),
                row("a1 UID FETCH 300:500 (FLAGS) (VANISHED CHANGEDSINCE 1)",
                        new Command.Fetch(set("300:500"), true, List.of(Item.FLAGS), OptionalLong.of(1), true, Optional.empty())),
                row("a1 FETCH 1 (BINARY[] BINARY.PEEK[1.2]<0.100> BINARY.SIZE[1] BINARY.SIZE[])",
                        fetch("1", new FetchAttribute.Binary(List.of(), false, Optional.empty()),
                                new FetchAttribute.Binary(List.of(1, 2), true, Optional.of(new FetchAttribute.Partial(0, 100))),
                                new FetchAttribute.BinarySize(List.of(1)), new FetchAttribute.BinarySize(List.of()))),
                row("a1 UID FETCH 1:* (UID FLAGS)", Command.Fetch.of(set("1:*"), true, Item.UID, Item.FLAGS)),
                row("a1 UID FETCH 1:4294967295 UID", Command.Fetch.of(set("1:4294967295"), true, Item.UID)),
                row("a1 FETCH $ FLAGS", fetch("$", Item.FLAGS)),
                row("a1 FETCH 5,1:3,*:9 (RFC822.SIZE)", fetch("5,1:3,*:9", Item.RFC822_SIZE)),
                // lenient, as James's scripts expect: macros inside the list, and an empty list
                row("a1 FETCH 1 (ALL)", fetch("1", Item.FLAGS, Item.INTERNALDATE, Item.RFC822_SIZE, Item.ENVELOPE)),
                row("a1 FETCH 1 (FAST UID)", fetch("1", Item.FLAGS, Item.INTERNALDATE, Item.RFC822_SIZE, Item.UID)),
                row("a1 FETCH 1:* ()", fetch("1:*")),
                // RFC 9394 §3.2
                row("f1 FETCH 2:5 (UID) (PARTIAL 2:3)", new Command.Fetch(set("2:5"), false, List.of(Item.UID),
                        OptionalLong.empty(), false, Optional.of(new PartialRange(2, 3)))),
                row("a1 UID FETCH 1:* (FLAGS) (PARTIAL -1:-30 CHANGEDSINCE 5)", new Command.Fetch(set("1:*"), true,
                        List.of(Item.FLAGS), OptionalLong.of(5), false, Optional.of(new PartialRange(-30, -1)))));
    }

    static List<Arguments> searchRows() {
        SearchKey flagged = flag("\\Flagged", true);
        return List.of(
                row("a1 SEARCH ALL", search(new SearchKey.All())),
                row("a1 SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"", search(and(flagged,
                        date(DateField.INTERNAL, DateComparison.SINCE, 1994, 2, 1), new SearchKey.Not(text(TextField.FROM, "Smith"))))),
                row("a1 SEARCH TEXT \"string not in mailbox\"", search(text(TextField.TEXT, "string not in mailbox"))),
                row("a1 SEARCH ANSWERED DELETED DRAFT FLAGGED SEEN RECENT", search(and(flag("\\Answered", true),
                        flag("\\Deleted", true), flag("\\Draft", true), flagged, flag("\\Seen", true), flag("\\Recent", true)))),
                row("a1 SEARCH UNANSWERED UNDELETED UNDRAFT UNFLAGGED UNSEEN OLD", search(and(flag("\\Answered", false),
                        flag("\\Deleted", false), flag("\\Draft", false), flag("\\Flagged", false), flag("\\Seen", false),
                        flag("\\Recent", false)))),
                row("a1 SEARCH NEW", search(and(flag("\\Recent", true), flag("\\Seen", false)))),
                row("a1 SEARCH KEYWORD $Forwarded UNKEYWORD Junk", search(and(flag("$Forwarded", true), flag("Junk", false)))),
                row("a1 SEARCH BEFORE 1-Jan-2026 ON 02-Feb-2026 SINCE \"3-Mar-2026\"", search(and(
                        date(DateField.INTERNAL, DateComparison.BEFORE, 2026, 1, 1), date(DateField.INTERNAL, DateComparison.ON, 2026, 2, 2),
                        date(DateField.INTERNAL, DateComparison.SINCE, 2026, 3, 3)))),
                row("a1 SEARCH SENTBEFORE 1-Jan-2026 SENTON 1-Jan-2026 SENTSINCE 1-Jan-2026", search(and(
                        date(DateField.SENT, DateComparison.BEFORE, 2026, 1, 1), date(DateField.SENT, DateComparison.ON, 2026, 1, 1),
                        date(DateField.SENT, DateComparison.SINCE, 2026, 1, 1)))),
                row("a1 SEARCH SAVEDBEFORE 1-Jan-2026 SAVEDON 1-Jan-2026 SAVEDSINCE 1-Jan-2026 SAVEDATESUPPORTED", search(and(
                        date(DateField.SAVED, DateComparison.BEFORE, 2026, 1, 1), date(DateField.SAVED, DateComparison.ON, 2026, 1, 1),
                        date(DateField.SAVED, DateComparison.SINCE, 2026, 1, 1), new SearchKey.SaveDateSupported()))),
                row("a1 SEARCH OLDER 3600 YOUNGER 86400", search(and(new SearchKey.Within(true, 3600), new SearchKey.Within(false, 86400)))),
                row("a1 SEARCH BCC a BODY b CC c FROM d SUBJECT e TEXT f TO g", search(and(text(TextField.BCC, "a"),
                        text(TextField.BODY, "b"), text(TextField.CC, "c"), text(TextField.FROM, "d"), text(TextField.SUBJECT, "e"),
                        text(TextField.TEXT, "f"), text(TextField.TO, "g")))),
                row("a1 SEARCH HEADER Message-ID <x@y.example>", search(new SearchKey.Header("Message-ID", "<x@y.example>"))),
                row("a1 SEARCH HEADER \"X-Spam\" \"\"", search(new SearchKey.Header("X-Spam", ""))),
                row("a1 SEARCH LARGER 1000 SMALLER 5000", search(and(new SearchKey.Size(true, 1000), new SearchKey.Size(false, 5000)))),
                row("a1 SEARCH 1:5,7 UID 100:*", search(and(new SearchKey.Sequence(set("1:5,7")), new SearchKey.Uid(set("100:*"))))),
                row("a1 SEARCH *", search(new SearchKey.Sequence(set("*")))),
                row("a1 SEARCH $", search(new SearchKey.Sequence(SequenceSet.savedResult()))),
                row("a1 SEARCH UID $ SMALLER 4096", search(and(new SearchKey.Uid(SequenceSet.savedResult()), new SearchKey.Size(false, 4096)))),
                row("a1 SEARCH OR SEEN FLAGGED", search(new SearchKey.Or(flag("\\Seen", true), flagged))),
                row("a1 SEARCH OR (SEEN UNFLAGGED) NOT (DELETED)", search(new SearchKey.Or(
                        and(flag("\\Seen", true), flag("\\Flagged", false)), new SearchKey.Not(flag("\\Deleted", true))))),
                row("a1 SEARCH (OR (SEEN FLAGGED) (NOT DELETED)) 1:5", search(and(new SearchKey.Or(and(flag("\\Seen", true), flagged),
                        new SearchKey.Not(flag("\\Deleted", true))), new SearchKey.Sequence(set("1:5"))))),
                row("a1 SEARCH ((((SEEN))))", search(flag("\\Seen", true))),
                row("a1 SEARCH NOT NOT OR OR SEEN DRAFT FLAGGED ALL", search(and(new SearchKey.Not(new SearchKey.Not(
                        new SearchKey.Or(new SearchKey.Or(flag("\\Seen", true), flag("\\Draft", true)), flagged))),
                        new SearchKey.All()))),
                row("a1 SEARCH MODSEQ 620162338", search(new SearchKey.ModSeq(620162338, Optional.empty(), Optional.empty()))),
                row("a1 SEARCH MODSEQ \"/flags/\\\\draft\" all 620162338", search(new SearchKey.ModSeq(620162338,
                        Optional.of("\\draft"), Optional.of("all")))),
                row("a1 SEARCH EMAILID M6d99ac3275bb4e THREADID T64b478a75b7ea9", search(and(new SearchKey.EmailId("M6d99ac3275bb4e"),
                        new SearchKey.ThreadId("T64b478a75b7ea9")))),
                row("a1 SEARCH CHARSET UTF-8 TEXT {7+}\r\n\u00dcnic\u00f8", new Command.Search(false, Optional.empty(),
                        Optional.of("UTF-8"), text(TextField.TEXT, "\u00dcnic\u00f8"))),
                row("a1 SEARCH CHARSET us-ascii ALL", new Command.Search(false, Optional.empty(), Optional.of("US-ASCII"), new SearchKey.All())),
                row("a1 SEARCH SUBJECT \"\u00fcber\"", search(text(TextField.SUBJECT, "\u00fcber"))),
                row("a1 UID SEARCH SEEN", new Command.Search(true, Optional.empty(), Optional.empty(), flag("\\Seen", true))),
                row("a1 SEARCH RETURN (MIN MAX) ALL", new Command.Search(false, Optional.of(SearchReturn.of(Option.MIN, Option.MAX)),
                        Optional.empty(), new SearchKey.All())),
                row("a1 SEARCH RETURN () ALL", new Command.Search(false, Optional.of(SearchReturn.of(Option.ALL)), Optional.empty(), new SearchKey.All())),
                row("a1 UID SEARCH RETURN (COUNT ALL SAVE) CHARSET UTF-8 UNSEEN", new Command.Search(true,
                        Optional.of(SearchReturn.of(Option.COUNT, Option.ALL, Option.SAVE)), Optional.of("UTF-8"), flag("\\Seen", false))),
                row("a1 SEARCH RETURN (SAVE) FLAGGED", new Command.Search(false, Optional.of(SearchReturn.of(Option.SAVE)), Optional.empty(), flagged)),
                row("a1 SEARCH RETURN (PARTIAL 1:100) ALL", new Command.Search(false, Optional.of(new SearchReturn(Set.of(),
                        Optional.of(new PartialRange(1, 100)))), Optional.empty(), new SearchKey.All())),
                row("a1 SEARCH RETURN (PARTIAL -1:-100 COUNT) ALL", new Command.Search(false, Optional.of(new SearchReturn(
                        Set.of(Option.COUNT), Optional.of(new PartialRange(-100, -1)))), Optional.empty(), new SearchKey.All())),
                row("a1 SEARCH RETURN (partial 4:2) ALL", new Command.Search(false, Optional.of(new SearchReturn(Set.of(),
                        Optional.of(new PartialRange(2, 4)))), Optional.empty(), new SearchKey.All())));
    }

    static List<Arguments> sortAndThreadRows() {
        return List.of(
                row("a1 SORT (SUBJECT) UTF-8 SINCE 1-Feb-1994", new Command.Sort(false,
                        List.of(new SortCriterion(SortCriterion.Key.SUBJECT, false)), "UTF-8",
                        date(DateField.INTERNAL, DateComparison.SINCE, 1994, 2, 1), Optional.empty())),
                row("a1 UID SORT (REVERSE DATE) UTF-8 UNDELETED UNKEYWORD $Junk", new Command.Sort(true,
                        List.of(new SortCriterion(SortCriterion.Key.DATE, true)), "UTF-8",
                        and(flag("\\Deleted", false), flag("$Junk", false)), Optional.empty())),
                row("a1 SORT (ARRIVAL cc DATE REVERSE FROM SIZE SUBJECT TO DISPLAYFROM reverse DISPLAYTO) us-ascii ALL",
                        new Command.Sort(false, List.of(new SortCriterion(SortCriterion.Key.ARRIVAL, false),
                                new SortCriterion(SortCriterion.Key.CC, false), new SortCriterion(SortCriterion.Key.DATE, false),
                                new SortCriterion(SortCriterion.Key.FROM, true), new SortCriterion(SortCriterion.Key.SIZE, false),
                                new SortCriterion(SortCriterion.Key.SUBJECT, false), new SortCriterion(SortCriterion.Key.TO, false),
                                new SortCriterion(SortCriterion.Key.DISPLAYFROM, false),
                                new SortCriterion(SortCriterion.Key.DISPLAYTO, true)), "US-ASCII", new SearchKey.All(), Optional.empty())),
                row("a1 SORT RETURN (MIN MAX) (ARRIVAL) US-ASCII 1:5", new Command.Sort(false,
                        List.of(new SortCriterion(SortCriterion.Key.ARRIVAL, false)), "US-ASCII",
                        new SearchKey.Sequence(set("1:5")), Optional.of(SearchReturn.of(Option.MIN, Option.MAX)))),
                row("a1 THREAD ORDEREDSUBJECT UTF-8 SINCE 5-MAR-2000", new Command.Thread(false,
                        Command.Thread.Algorithm.ORDEREDSUBJECT, "UTF-8", date(DateField.INTERNAL, DateComparison.SINCE, 2000, 3, 5))),
                row("a1 UID THREAD references US-ASCII ALL", new Command.Thread(true, Command.Thread.Algorithm.REFERENCES,
                        "US-ASCII", new SearchKey.All())),
                row("a1 THREAD REFERENCES UTF-8 (OR SEEN FLAGGED)", new Command.Thread(false, Command.Thread.Algorithm.REFERENCES,
                        "UTF-8", new SearchKey.Or(flag("\\Seen", true), flag("\\Flagged", true)))));
    }
}
