package org.postern.imap.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** imaptest's matching rules as the runner applies them, failures included. */
class ImaptestMatcherTest {
    private final ImaptestMatcher m = new ImaptestMatcher();

    private boolean untagged(String expected, String actual) {
        boolean prefix = actual.matches("(?i)(OK|NO|BAD|BYE)\\b.*");
        boolean ok = m.match(ImaptestMatcher.compile(expected), ImapArgs.parse(actual), Integer.MAX_VALUE, prefix)
                == ImaptestMatcher.FULL;
        if (ok) {
            m.keep();
        } else {
            m.revert();
        }
        return ok;
    }

    @Test
    void stringsCompareWithoutCaseAndTextRepliesByPrefix() {
        assertThat(untagged("search 1 2", "SEARCH 1 2")).isTrue();
        assertThat(untagged("search 1 2", "SEARCH 1 2 3")).isFalse();
        assertThat(untagged("ok [read-write]", "OK [READ-WRITE] Select completed")).isTrue();
        assertThat(untagged("ok [read-write]", "OK [READ-ONLY] Select completed")).isFalse();
    }

    @Test
    void variablesCaptureOnceAndMustMatchAfter() {
        assertThat(untagged("1 fetch (uid $uid1)", "1 FETCH (UID 7)")).isTrue();
        assertThat(m.vars).containsEntry("uid1", "7");
        assertThat(untagged("2 fetch (uid $uid1)", "2 FETCH (UID 8)")).isFalse();
        assertThat(untagged("ok [appenduid $uidvalidity $uid]", "OK [APPENDUID 42 9] done")).isTrue();
        assertThat(m.vars).containsEntry("uidvalidity", "42").containsEntry("uid", "9");
    }

    @Test
    void aFailedAttemptLeavesNoVariableBehind() {
        assertThat(untagged("1 fetch (uid $u flags (\\seen))", "1 FETCH (UID 5 FLAGS (\\Draft))")).isFalse();
        assertThat(m.vars).doesNotContainKey("u");
    }

    @Test
    void fetchItemsAreUnorderedWithExtrasButFlagsAreExact() {
        assertThat(untagged("1 fetch (flags (\\seen) uid 3)", "1 FETCH (UID 3 RFC822.SIZE 10 FLAGS (\\Seen))")).isTrue();
        assertThat(untagged("1 fetch (flags (\\seen))", "1 FETCH (FLAGS (\\Seen \\Flagged))")).isFalse();
        assertThat(untagged("1 fetch (flags (\\seen))", "1 FETCH (FLAGS (\\Recent \\Seen))")).isTrue(); // \Recent ignored
        assertThat(untagged("1 fetch (flags (\\seen \\answered))", "1 FETCH (FLAGS (\\Answered \\Seen))")).isTrue();
    }

    @Test
    void listFlagsAreUnorderedAndMayHaveMore() {
        assertThat(untagged("list () $sep $root", "LIST (\\Noselect) \"/\" \"\"")).isTrue();
        assertThat(m.vars).containsEntry("sep", "/");
        assertThat(untagged("list (\\subscribed) $sep x", "LIST (\\HasNoChildren) \"/\" x")).isFalse();
        assertThat(untagged("list ($!unordered $!ban=\\subscribed) $sep y", "LIST (\\Subscribed) \"/\" y")).isFalse();
    }

    @Test
    void relativeSequenceNumbersFollowExpunges() {
        m.startGroup(4);
        m.expunged(1);
        assertThat(untagged("$3 fetch (flags ())", "2 FETCH (FLAGS ())")).isTrue();
        assertThat(untagged("$1 expunge", "1 EXPUNGE")).isFalse(); // $1 is gone
    }
}
