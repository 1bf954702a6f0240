package org.postern.imap.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The comparison rules of the MPT runner: what they forgive, and that they forgive nothing else. */
class MptMatcherTest {
    private final MptMatcher matcher = new MptMatcher(Set.of("IMAP4REV1", "UIDPLUS", "MOVE"));

    /** Compares one step: expected lines as a script writes them, responses as a server sends them. */
    private List<MptMatcher.Difference> step(List<String> expected, String... actual) {
        List<String> script = new ArrayList<>();
        for (String e : expected) {
            script.add(e.startsWith("SUB") || e.startsWith("}") ? e : "S: " + e);
        }
        MptScript parsed = MptScript.parse("t.test", script);
        List<ServerResponse> responses = new ArrayList<>();
        for (String a : actual) {
            responses.add(new ServerResponse(a, List.of(a.split("\r\n", -1))));
        }
        return matcher.compareStep(matcher.groups(parsed.elements()), responses);
    }

    private static List<String> kinds(List<MptMatcher.Difference> diffs) {
        return diffs.stream().map(MptMatcher.Difference::kind).toList();
    }

    @Test
    void aLineMatchingTheExpressionPasses() {
        assertThat(step(List.of("\\* 1 FETCH \\(FLAGS \\(\\\\Seen\\)\\)", "a1 OK FETCH completed\\."),
                "* 1 FETCH (FLAGS (\\Seen))", "a1 OK FETCH completed.")).isEmpty();
    }

    @Test
    void fetchItemsAndFlagsMayComeInAnyOrderButMustBeThere() {
        List<String> expected = List.of("\\* 1 FETCH \\(FLAGS \\(\\\\Answered \\\\Seen\\) UID 2\\)", "a OK FETCH completed\\.");
        assertThat(step(expected, "* 1 FETCH (UID 2 FLAGS (\\Seen \\Answered))", "a OK done")).isEmpty();
        assertThat(kinds(step(expected, "* 1 FETCH (UID 2 FLAGS (\\Seen))", "a OK done"))).containsExactly("mismatch");
        assertThat(kinds(step(expected, "* 1 FETCH (UID 3 FLAGS (\\Seen \\Answered))", "a OK done"))).containsExactly("mismatch");
    }

    @Test
    void statusTextIsNotComparedButStatusAndCodeAre() {
        List<String> expected = List.of("a OK \\[READ-WRITE\\] SELECT completed\\.");
        assertThat(step(expected, "a OK [READ-WRITE] Select done (Success)")).isEmpty();
        assertThat(kinds(step(expected, "a OK [READ-ONLY] Select done"))).containsExactly("mismatch");
        assertThat(kinds(step(expected, "a NO [READ-WRITE] Select done"))).containsExactly("mismatch");
        assertThat(kinds(step(expected, "a OK Select done"))).containsExactly("mismatch");
    }

    @Test
    void aCodeTheScriptDoesNotExpectMustOnlyAddDetail() {
        List<String> expected = List.of("a NO SELECT failed\\. No such mailbox\\.");
        assertThat(step(expected, "a NO [NONEXISTENT] Unknown Mailbox: x (Failure)")).isEmpty();
        assertThat(kinds(step(expected, "a NO [READ-ONLY] Read-only"))).containsExactly("mismatch");
        assertThat(kinds(step(expected, "a NO [ALERT] Go away"))).containsExactly("mismatch");
    }

    @Test
    void codesOfExtensionsNotAdvertisedAreNotExpected() {
        assertThat(step(List.of("\\* OK \\[MAILBOXID \\(.+\\)\\] Ok", "\\* 0 EXISTS", "a OK \\[MAILBOXID \\(.+\\)\\] CREATE completed\\."),
                "* 0 EXISTS", "a OK CREATE completed (Success)")).isEmpty();
    }

    @Test
    void untaggedResponsesWithoutSequenceNumbersMayComeInAnyOrder() {
        List<String> expected = List.of("\\* FLAGS \\(\\\\Answered \\\\Seen\\)", "\\* 2 EXISTS", "\\* OK \\[UIDVALIDITY \\d+\\].*",
                "\\* OK \\[UIDNEXT 3\\].*", "a OK \\[READ-WRITE\\] SELECT completed\\.");
        assertThat(step(expected, "* OK [UIDNEXT 3] Next.", "* FLAGS (\\Seen \\Answered)", "* 2 EXISTS",
                "* OK [UIDVALIDITY 42] Valid.", "a OK [READ-WRITE] Done")).isEmpty();
        assertThat(kinds(step(expected, "* FLAGS (\\Seen \\Answered)", "* 2 EXISTS", "* OK [UIDVALIDITY 42] Valid.",
                "a OK [READ-WRITE] Done"))).containsExactly("missing");
    }

    @Test
    void expungeRunsAreComparedByTheMessagesTheyRemove() {
        List<String> expected = List.of("\\* 2 EXPUNGE", "\\* 2 EXPUNGE", "a OK EXPUNGE completed\\.");
        assertThat(step(expected, "* 3 EXPUNGE", "* 2 EXPUNGE", "a OK done")).isEmpty();
        assertThat(step(expected, "* 2 EXPUNGE", "* 3 EXPUNGE", "a OK done")).isNotEmpty(); // removes 2 and 4
        assertThat(step(expected, "* 2 EXPUNGE", "a OK done")).isNotEmpty();
    }

    @Test
    void expungeAndFetchKeepTheirOrder() {
        List<String> expected = List.of("\\* 1 EXPUNGE", "\\* 1 FETCH \\(FLAGS \\(\\)\\)", "a OK NOOP completed\\.");
        assertThat(step(expected, "* 1 EXPUNGE", "* 1 FETCH (FLAGS ())", "a OK done")).isEmpty();
        assertThat(step(expected, "* 1 FETCH (FLAGS ())", "* 1 EXPUNGE", "a OK done")).isNotEmpty();
    }

    @Test
    void mimeNamesAreCaseInsensitiveValuesAreNot() {
        List<String> expected = List.of("\\* 1 FETCH \\(BODYSTRUCTURE \\(\"TEXT\" \"PLAIN\" \\(\"charset\" \"US-ASCII\" \"name\" \"a\\.txt\"\\) "
                + "NIL NIL \"7BIT\" 8 1 NIL \\(\"attachment\" NIL\\) NIL NIL\\)\\)");
        assertThat(step(expected, "* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" (\"NAME\" \"a.txt\" \"CHARSET\" \"US-ASCII\") "
                + "NIL NIL \"7BIT\" 8 1 NIL (\"ATTACHMENT\" NIL) NIL NIL))")).isEmpty();
        assertThat(step(expected, "* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\" \"NAME\" \"A.TXT\") "
                + "NIL NIL \"7BIT\" 8 1 NIL (\"ATTACHMENT\" NIL) NIL NIL))")).isNotEmpty();
    }

    @Test
    void aDifferenceOnlyInRecentIsReportedAsSuch() {
        assertThat(kinds(step(List.of("\\* 1 FETCH \\(FLAGS \\(\\\\Recent \\\\Seen\\)\\)", "\\* 1 RECENT", "a OK STORE completed\\."),
                "* 1 FETCH (FLAGS (\\Seen))", "a OK done"))).containsOnly("recent");
        assertThat(kinds(step(List.of("\\* 1 FETCH \\(FLAGS \\(\\\\Recent \\\\Seen\\)\\)", "a OK STORE completed\\."),
                "* 1 FETCH (FLAGS (\\Flagged))", "a OK done"))).containsExactly("mismatch");
    }

    @Test
    void literalsSpanLinesAndMustMatchByteForByte() {
        List<String> expected = List.of("\\* 1 FETCH \\(BODY\\[TEXT\\] \\{7\\}", "Hello", "\\)", "a OK FETCH completed\\.");
        assertThat(step(expected, "* 1 FETCH (BODY[TEXT] {7}\r\nHello\r\n)", "a OK done")).isEmpty();
        assertThat(step(expected, "* 1 FETCH (BODY[TEXT] {7}\r\nHellO\r\n)", "a OK done")).isNotEmpty();
    }

    @Test
    void extraResponsesAreDifferencesUnlessTheyAreInformation() {
        List<String> expected = List.of("a OK NOOP completed\\.");
        assertThat(step(expected, "* OK [COPYUID 1 1 1] Moved", "a OK done")).isEmpty();
        assertThat(kinds(step(expected, "* 3 EXISTS", "a OK done"))).containsExactly("unexpected");
    }
}
