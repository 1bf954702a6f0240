package org.postern.imap.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.postern.imap.parse.Command.ListMailboxes.ReturnOption;
import org.postern.imap.parse.Command.ListMailboxes.Selection;
import org.postern.imap.parse.FetchAttribute.Item;
import org.postern.imap.parse.FetchAttribute.Section;
import org.postern.imap.parse.SearchKey.DateComparison;
import org.postern.imap.parse.SearchKey.DateField;
import org.postern.imap.parse.SearchKey.TextField;

/**
 * Wire string to expected record, for every command and the tricky arguments (in the manner of
 * Stalwart's imap-proto tests). Each row is read twice: in one piece, and one byte at a time
 * (as Dovecot's parser tests do), and must give the same record, consuming exactly the input.
 * The fetch, search and mailbox rows are in {@link CommandTableRows}.
 */
class CommandTableTest {
    @TempDir
    Path spool;

    record Row(String wire, Command expected, ParseOptions options) {
        @Override
        public String toString() {
            return wire.replace("\r\n", "\\r\\n").replace("\0", "\\0");
        }
    }

    static Arguments row(String wire, Command expected) {
        return Arguments.of(new Row(wire, expected, ParseOptions.DEFAULT));
    }

    static Arguments utf8(String wire, Command expected) {
        return Arguments.of(new Row(wire, expected, ParseOptions.UTF8));
    }

    static SequenceSet set(String s) {
        return SequenceSet.parse(s);
    }

    static MailboxName mb(String s) {
        return new MailboxName(s);
    }

    /** A name that is an astring but not valid modified UTF-7, with the reason it gives. */
    static MailboxName invalid(String wire, String problem) {
        return MailboxName.invalid(wire, problem);
    }

    static Literal lit(String s) {
        return Literal.of(Wire.bytes(s));
    }

    static Stream<Arguments> rows() {
        List<Arguments> all = new ArrayList<>();
        all.addAll(anyState());
        all.addAll(notAuthenticated());
        all.addAll(CommandTableRows.mailboxRows());
        all.addAll(CommandTableRows.appendRows());
        all.addAll(selected());
        all.addAll(CommandTableRows.fetchRows());
        all.addAll(CommandTableRows.searchRows());
        all.addAll(CommandTableRows.sortAndThreadRows());
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void parses(Row row) {
        String tag = row.wire().substring(0, row.wire().indexOf(' '));
        for (boolean slow : new boolean[] {false, true}) {
            ParseResult result = Wire.parseOne(row.wire(), slow, row.options(), spool);
            assertThat(result).as(slow ? "one byte at a time" : "in one piece")
                    .isEqualTo(new ParseResult.Parsed(tag, row.expected()));
        }
    }

    static List<Arguments> anyState() {
        Map<String, String> tb = new LinkedHashMap<>();
        tb.put("name", "Thunderbird");
        tb.put("version", "115.0");
        tb.put("os", null);
        Map<String, String> lit = new LinkedHashMap<>();
        lit.put("name", "x");
        return List.of(
                row("a1 CAPABILITY", new Command.Capability()),
                row("a1 capability", new Command.Capability()),
                row("A001 NOOP", new Command.Noop()),
                row("a1 LOGOUT", new Command.Logout()),
                row("] NOOP", new Command.Noop()), // "]" is an ASTRING-CHAR, so a tag
                row("a.b-c_d NOOP", new Command.Noop()),
                row("a1   NOOP  ", new Command.Noop()), // extra spaces are tolerated
                row("a1 ID NIL", new Command.Id(Map.of())),
                row("a1 ID ()", new Command.Id(Map.of())),
                row("a1 ID (\"name\" \"Thunderbird\" \"version\" \"115.0\" \"os\" NIL)", new Command.Id(tb)),
                row("a1 ID ({4+}\r\nname \"x\")", new Command.Id(lit)),
                // lenient, as James's Id.test expects: commas and atoms
                row("a1 ID (\"vendor\", \"whatever\", \"version\", \"3.7.0\")", new Command.Id(ordered("vendor", "whatever", "version", "3.7.0"))),
                row("a1 ID (\"name\" \"Thunderbird\" \"version\" 102.7.1)", new Command.Id(ordered("name", "Thunderbird", "version", "102.7.1"))),
                row("a1 ID (\"name\")", new Command.Id(ordered("name", null))),
                row("a1 ENABLE CONDSTORE", new Command.Enable(List.of("CONDSTORE"))),
                row("a1 ENABLE QRESYNC condstore", new Command.Enable(List.of("QRESYNC", "CONDSTORE"))),
                row("a1 enable utf8=accept", new Command.Enable(List.of("UTF8=ACCEPT"))),
                row("a1 ENABLE IMAP4rev2", new Command.Enable(List.of("IMAP4REV2"))));
    }

    static List<Arguments> notAuthenticated() {
        return List.of(
                row("a1 STARTTLS", new Command.StartTls()),
                row("a1 AUTHENTICATE PLAIN", new Command.Authenticate("PLAIN", Optional.empty())),
                row("a1 authenticate plain AGZyZWQAc2VjcmV0", new Command.Authenticate("PLAIN", Optional.of("AGZyZWQAc2VjcmV0"))),
                row("a1 AUTHENTICATE PLAIN =", new Command.Authenticate("PLAIN", Optional.of("="))),
                row("a1 AUTHENTICATE XOAUTH2 dXNlcj1mcmVk", new Command.Authenticate("XOAUTH2", Optional.of("dXNlcj1mcmVk"))),
                row("a1 AUTHENTICATE SCRAM-SHA-256", new Command.Authenticate("SCRAM-SHA-256", Optional.empty())),
                // the response is checked after the mechanism, by the session (RFC 9051 §6.2.2)
                row("a1 AUTHENTICATE KERBEROS_V4 extra", new Command.Authenticate("KERBEROS_V4", Optional.of("extra"))),
                // James MPT AuthenticatePlain.test: quoted mechanism, response as a literal
                row("0001 AUTHENTICATE \"PLAIN\" {24+}\r\naW1hcHVzZXIAcGFzc3dvcmQ=",
                        new Command.Authenticate("PLAIN", Optional.of("aW1hcHVzZXIAcGFzc3dvcmQ="))),
                row("a1 LOGIN fred secret", new Command.Login("fred", "secret")),
                row("a1 LOGIN \"fred\" \"se cret\"", new Command.Login("fred", "se cret")),
                row("a1 LOGIN {4+}\r\nfred {6+}\r\nsecret", new Command.Login("fred", "secret")),
                row("a1 LOGIN {4}\r\nfred {6}\r\nsecret", new Command.Login("fred", "secret")),
                row("a1 LOGIN fred \"p\\\"w\\\\d\"", new Command.Login("fred", "p\"w\\d")),
                row("a1 LOGIN fred pass]word", new Command.Login("fred", "pass]word")),
                row("a1 LOGIN fred@example.com \"p\u00e4ssw\u00f6rd\"", new Command.Login("fred@example.com", "p\u00e4ssw\u00f6rd")),
                row("a1 LOGIN fred {6+}\r\np\u00e4\u00dfw", new Command.Login("fred", "p\u00e4\u00dfw")),
                row("a1 LOGIN \"\" \"\"", new Command.Login("", "")),
                row("a1 COMPRESS DEFLATE", new Command.Compress("DEFLATE")),
                row("a1 compress deflate", new Command.Compress("DEFLATE")));
    }

    static List<Arguments> selected() {
        return List.of(
                row("a1 CHECK", new Command.Check()),
                row("a1 CLOSE", new Command.Close()),
                row("a1 UNSELECT", new Command.Unselect()),
                row("a1 EXPUNGE", new Command.Expunge(Optional.empty())),
                row("a1 UID EXPUNGE 3000:3002", new Command.Expunge(Optional.of(set("3000:3002")))),
                row("a1 uid expunge 1,3:*", new Command.Expunge(Optional.of(set("1,3:*")))),
                row("a1 IDLE", new Command.Idle()),
                row("a1 STORE 2:4 +FLAGS (\\Deleted)", store("2:4", false, FlagOp.ADD, false, "\\Deleted")),
                row("a1 STORE 1 -FLAGS.SILENT (\\Seen)", store("1", false, FlagOp.REMOVE, true, "\\Seen")),
                row("a1 STORE 1 FLAGS ()", store("1", false, FlagOp.REPLACE, false)),
                row("a1 STORE 1 FLAGS.SILENT ()", store("1", false, FlagOp.REPLACE, true)),
                row("a1 STORE 1 FLAGS \\Seen \\Flagged", store("1", false, FlagOp.REPLACE, false, "\\Seen", "\\Flagged")),
                row("a1 STORE 1 +FLAGS ($Forwarded Junk NonJunk $MDNSent)",
                        store("1", false, FlagOp.ADD, false, "$Forwarded", "Junk", "NonJunk", "$MDNSent")),
                row("a1 store 1 +flags.silent (\\seen \\ANSWERED \\draft \\flagged \\deleted)",
                        store("1", false, FlagOp.ADD, true, "\\Seen", "\\Answered", "\\Draft", "\\Flagged", "\\Deleted")),
                row("a1 STORE $ +FLAGS \\Seen", store("$", false, FlagOp.ADD, false, "\\Seen")),
                row("a1 UID STORE 1:* +FLAGS.SILENT (\\Deleted)", store("1:*", true, FlagOp.ADD, true, "\\Deleted")),
                row("a1 UID STORE 1:* (UNCHANGEDSINCE 320162338) +FLAGS.SILENT (\\Deleted)",
                        new Command.Store(set("1:*"), true, FlagOp.ADD, true, List.of("\\Deleted"), OptionalLong.of(320162338))),
                row("a1 STORE 7 (UNCHANGEDSINCE 0) FLAGS (x)",
                        new Command.Store(set("7"), false, FlagOp.REPLACE, false, List.of("x"), OptionalLong.of(0))),
                row("a1 COPY 2:4 MEETING", new Command.Copy(set("2:4"), false, mb("MEETING"))),
                row("a1 UID COPY 1:* Trash", new Command.Copy(set("1:*"), true, mb("Trash"))),
                row("a1 COPY 1 inbox", new Command.Copy(set("1"), false, MailboxName.INBOX)),
                row("a1 COPY 1 Entw&APw-rfe", new Command.Copy(set("1"), false, mb("Entw\u00fcrfe"))),
                row("a1 MOVE 1 Archive", new Command.Move(set("1"), false, mb("Archive"))),
                row("a1 UID MOVE 42 \"[Gmail]/All Mail\"", new Command.Move(set("42"), true, mb("[Gmail]/All Mail"))),
                row("a1 uid move $ {5+}\r\nJunk!", new Command.Move(set("$"), true, mb("Junk!"))));
    }

    static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    static Command.Store store(String set, boolean uid, FlagOp op, boolean silent, String... flags) {
        return new Command.Store(set(set), uid, op, silent, List.of(flags), OptionalLong.empty());
    }

    // shared by CommandTableRows

    static Command.Search search(SearchKey key) {
        return new Command.Search(false, Optional.empty(), Optional.empty(), key);
    }

    static SearchKey flag(String f, boolean present) {
        return new SearchKey.Flag(f, present);
    }

    static SearchKey text(TextField f, String v) {
        return new SearchKey.Text(f, v);
    }

    static SearchKey date(DateField f, DateComparison c, int y, int m, int d) {
        return new SearchKey.Date(f, c, LocalDate.of(y, m, d));
    }

    static SearchKey and(SearchKey... keys) {
        return new SearchKey.And(List.of(keys));
    }

    static Command.Fetch fetch(String set, FetchAttribute... atts) {
        return Command.Fetch.of(set(set), false, atts);
    }

    static FetchAttribute body(boolean peek, Section s) {
        return new FetchAttribute.BodySection(s, peek, Optional.empty());
    }

    static FetchAttribute body(boolean peek, Section s, long offset, long length) {
        return new FetchAttribute.BodySection(s, peek, Optional.of(new FetchAttribute.Partial(offset, length)));
    }

    static Section section(List<Integer> part, Section.Text text, String... fields) {
        return Section.of(part, text, fields);
    }

    static Command.ListMailboxes list(String ref, List<String> patterns, Set<Selection> sel,
                                      Set<ReturnOption> ret, List<StatusItem> status) {
        return new Command.ListMailboxes(ref, patterns, sel, ret, status, true);
    }

    static AppendMessage message(List<String> flags, OffsetDateTime date, Literal content) {
        return new AppendMessage(flags, Optional.ofNullable(date), content, false);
    }

    static OffsetDateTime dateTime(int y, int mo, int d, int h, int mi, int s, int offsetMinutes) {
        return OffsetDateTime.of(y, mo, d, h, mi, s, 0, ZoneOffset.ofTotalSeconds(offsetMinutes * 60));
    }

    static List<Item> items(Item... items) {
        return List.of(items);
    }
}
