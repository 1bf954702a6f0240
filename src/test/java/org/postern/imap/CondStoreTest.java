package org.postern.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.testing.ImapClient;
import org.postern.testing.TestServer;

/** CONDSTORE and QRESYNC (RFC 7162) as a client sees them. */
class CondStoreTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, false, "alice@example.org", "bob@example.org", "carol@example.org", "dave@example.org",
                "erin@example.org");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static void deliver(String to, int count) throws Exception {
        for (int i = 1; i <= count; i++) {
            ImapFixture.deliver(server, to, "m" + i);
        }
    }

    static ImapClient login(String user) throws Exception {
        return ImapFixture.login(server, user);
    }

    static long number(List<String> lines, String regex) {
        Pattern p = Pattern.compile(regex);
        for (String l : lines) {
            Matcher m = p.matcher(l);
            if (m.find()) {
                return Long.parseLong(m.group(1));
            }
        }
        throw new AssertionError("no line matches " + regex + " in " + lines);
    }

    @Test
    void modSeqsInSelectFetchStoreSearchAndStatus() throws Exception {
        deliver("alice@example.org", 3);
        try (ImapClient c = login("alice@example.org")) {
            assertThat(c.command("a0 CAPABILITY").untagged.getFirst()).contains(" CONDSTORE ").contains(" QRESYNC ");
            var select = c.command("a1 SELECT INBOX").expectOk();
            long highest = number(select.untagged, "OK \\[HIGHESTMODSEQ (\\d+)]");
            // Not CONDSTORE-aware yet: a STORE answers as in RFC 3501.
            c.command("a2 STORE 1 +FLAGS (\\Seen)").expectUntagged("1 FETCH (FLAGS (\\Seen \\Recent))");
            // FETCH MODSEQ turns CONDSTORE on and tells the HIGHESTMODSEQ of the selected mailbox.
            var f = c.command("a3 FETCH 1:3 (MODSEQ)").expectOk();
            long m1 = number(f.untagged, "^\\* 1 FETCH \\(MODSEQ \\((\\d+)\\)\\)$");
            assertThat(m1).isGreaterThan(highest);
            assertThat(number(f.untagged, "OK \\[HIGHESTMODSEQ (\\d+)]")).isEqualTo(m1);
            // From now on FETCH responses caused by STORE carry UID and MODSEQ, even .SILENT ones.
            var st = c.command("a4 STORE 2 +FLAGS.SILENT (\\Flagged)").expectOk();
            long m2 = number(st.untagged, "^\\* 2 FETCH \\(UID 2 MODSEQ \\((\\d+)\\)\\)$");
            assertThat(m2).isGreaterThan(m1);
            // CHANGEDSINCE: only what changed after a MODSEQ, with its MODSEQ.
            var changed = c.command("a5 FETCH 1:* (FLAGS) (CHANGEDSINCE " + m1 + ")").expectOk();
            assertThat(changed.untagged).containsExactly("* 2 FETCH (FLAGS (\\Flagged \\Recent) MODSEQ (" + m2 + "))");
            // UNCHANGEDSINCE: message 2 changed after m1, so it is left alone and named in MODIFIED.
            var cond = c.command("a6 STORE 1:2 (UNCHANGEDSINCE " + m1 + ") +FLAGS (\\Answered)");
            assertThat(cond.tagged).startsWith("a6 OK [MODIFIED 2]");
            assertThat(cond.untagged).hasSize(1).first().asString().matches("\\* 1 FETCH \\(UID 1 FLAGS \\(\\\\Seen \\\\Answered \\\\Recent\\) MODSEQ \\(\\d+\\)\\)");
            var cond2 = c.command("a7 UID STORE 1:3 (UNCHANGEDSINCE " + m1 + ") FLAGS.SILENT (\\Draft)");
            assertThat(cond2.tagged).startsWith("a7 OK [MODIFIED 1:2]");
            // SEARCH MODSEQ answers with the highest MODSEQ of what it found.
            var search = c.command("a8 SEARCH MODSEQ " + m2).expectOk();
            assertThat(search.untagged).singleElement().asString().matches("\\* SEARCH 1 2 3 \\(MODSEQ \\d+\\)");
            c.command("a9 SEARCH MODSEQ 999999999").expectUntagged("SEARCH");
            var status = c.command("b1 STATUS INBOX (HIGHESTMODSEQ MESSAGES)").expectOk();
            long now = number(status.untagged, "HIGHESTMODSEQ (\\d+)");
            assertThat(now).isGreaterThan(m2);
            c.command("b2 FETCH 1 MODSEQ (CHANGEDSINCE " + now + ")").expectNoUntaggedMatching(".*FETCH.*").expectOk();
            c.command("b3 SELECT INBOX").expectUntagged("OK [HIGHESTMODSEQ " + now + "] Highest").expectOk();
        }
    }

    @Test
    void anotherSessionsChangesArriveWithTheirModSeq() throws Exception {
        deliver("bob@example.org", 1);
        try (ImapClient a = login("bob@example.org"); ImapClient b = login("bob@example.org")) {
            a.command("a1 ENABLE CONDSTORE").expectUntagged("ENABLED CONDSTORE").expectOk();
            a.command("a2 SELECT INBOX (CONDSTORE)").expectOk();
            b.command("b1 SELECT INBOX").expectOk();
            b.command("b2 STORE 1 +FLAGS (\\Flagged)").expectOk();
            a.command("a3 NOOP").expectUntaggedMatching("1 FETCH \\(UID 1 FLAGS \\(\\\\Flagged( \\\\Recent)?\\) MODSEQ \\(\\d+\\)\\)");
        }
    }

    @Test
    void qresyncSelectTellsWhatVanishedAndChanged() throws Exception {
        deliver("carol@example.org", 5);
        long uidValidity;
        long modSeq;
        try (ImapClient c = login("carol@example.org")) {
            var select = c.command("a1 SELECT INBOX").expectOk();
            uidValidity = number(select.untagged, "OK \\[UIDVALIDITY (\\d+)]");
            modSeq = number(select.untagged, "OK \\[HIGHESTMODSEQ (\\d+)]");
            c.command("a2 STORE 2 +FLAGS (\\Deleted \\Seen)").expectOk();
            c.command("a3 EXPUNGE").expectUntagged("2 EXPUNGE");
            c.command("a4 STORE 3 +FLAGS (\\Flagged)").expectOk(); // UID 4
        }
        try (ImapClient c = login("carol@example.org")) {
            c.command("b0 SELECT INBOX (QRESYNC (" + uidValidity + " " + modSeq + "))").expectBad(); // needs ENABLE QRESYNC
            c.command("b1 ENABLE QRESYNC").expectUntagged("ENABLED QRESYNC").expectOk();
            var r = c.command("b2 SELECT INBOX (QRESYNC (" + uidValidity + " " + modSeq + " 1:5))").expectOk();
            assertThat(r.untagged).containsSubsequence("* VANISHED (EARLIER) 2",
                    "* 3 FETCH (UID 4 FLAGS (\\Flagged) MODSEQ (" + number(r.untagged, "OK \\[HIGHESTMODSEQ (\\d+)]") + "))");
            assertThat(r.untagged).noneMatch(l -> l.matches("\\* [124] FETCH.*"));
            // Known UIDs limit VANISHED (EARLIER) to what the client says it has.
            var r2 = c.command("b3 EXAMINE INBOX (QRESYNC (" + uidValidity + " " + modSeq + " 3:5))").expectOk();
            assertThat(r2.untagged).noneMatch(l -> l.startsWith("* VANISHED"));
            // A wrong UIDVALIDITY: nothing to resynchronise.
            var r3 = c.command("b4 EXAMINE INBOX (QRESYNC (1 " + modSeq + "))").expectOk();
            assertThat(r3.untagged).noneMatch(l -> l.startsWith("* VANISHED") || l.contains("FETCH"));
            c.command("b5 UID FETCH 1:* FLAGS (CHANGEDSINCE " + modSeq + " VANISHED)")
                    .expectUntagged("VANISHED (EARLIER) 2").expectUntaggedMatching("3 FETCH \\(UID 4 FLAGS \\(\\\\Flagged\\) MODSEQ \\(\\d+\\)\\)");
            c.command("b6 FETCH 1:* FLAGS (CHANGEDSINCE " + modSeq + " VANISHED)").expectBad(); // UID FETCH only
            // Known UIDs limit the FETCH responses too: UID 4 changed, but the client did not name it.
            var r4 = c.command("b7 EXAMINE INBOX (QRESYNC (" + uidValidity + " " + modSeq + " 1:3))").expectOk();
            assertThat(r4.untagged).contains("* VANISHED (EARLIER) 2").noneMatch(l -> l.contains("FETCH"));
            // After ENABLE QRESYNC, UID FETCH answers carry MODSEQ.
            c.command("b8 UID FETCH 4 FLAGS").expectUntaggedMatching("3 FETCH \\(UID 4 FLAGS \\(\\\\Flagged\\) MODSEQ \\(\\d+\\)\\)");
        }
    }

    @Test
    void qresyncSessionsHearOfExpungesAsVanished() throws Exception {
        deliver("dave@example.org", 4);
        try (ImapClient a = login("dave@example.org"); ImapClient b = login("dave@example.org")) {
            a.command("a1 ENABLE QRESYNC").expectOk();
            a.command("a2 SELECT INBOX").expectOk();
            b.command("b1 SELECT INBOX").expectOk();
            b.command("b2 STORE 2:3 +FLAGS.SILENT (\\Deleted)").expectOk();
            b.command("b3 EXPUNGE").expectUntagged("3 EXPUNGE").expectUntagged("2 EXPUNGE");
            a.command("a3 NOOP").expectUntagged("VANISHED 2:3").expectNoUntaggedMatching(".*EXPUNGE.*");
            a.command("a4 STORE 1 +FLAGS.SILENT (\\Deleted)").expectOk();
            var r = a.command("a5 EXPUNGE").expectUntagged("VANISHED 1");
            assertThat(r.tagged).matches("a5 OK \\[HIGHESTMODSEQ \\d+] .*");
            a.command("a6 FETCH 1:* UID").expectUntagged("1 FETCH (UID 4)");
        }
    }
}
