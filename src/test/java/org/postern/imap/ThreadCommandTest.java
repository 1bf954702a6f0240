package org.postern.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The threading algorithms of RFC 5256 §3 on their own. */
class ThreadCommandTest {

    static MessageFacts msg(int seq, long sent, String subject, String id, String... refs) {
        return new MessageFacts(seq, seq, sent, 100, sent, subject, null, null, null, id, List.of(), List.of(refs));
    }

    @Test
    void referencesLinksRepliesAndGathersSubjects() {
        List<MessageFacts> facts = List.of(
                msg(1, 10, "Lunch", "a"),
                msg(2, 20, "Re: Lunch", "b", "a"),
                msg(3, 30, "Re: Lunch", "c", "a"),          // a second reply: 1 gets two branches
                msg(4, 5, "Re: Budget", "d", "gone"),        // parent not here: a dummy, pruned
                msg(5, 40, "Budget", "e"),                   // same base subject: 4 goes under 5
                msg(6, 50, "Loop", "f", "g"),
                msg(7, 60, "Loop", "g", "f"));               // f and g refer to each other: the first link stays
        assertThat(ThreadCommand.render(ThreadCommand.references(facts), false))
                .isEqualTo("(1 (2)(3))(5 4)(7 6)");
    }

    @Test
    void orderedSubjectMakesTheFirstMessageTheParent() {
        List<MessageFacts> facts = List.of(
                msg(1, 30, "b", null), msg(2, 10, "Re: b", null), msg(3, 20, "a", null), msg(4, 40, "fwd: B", null));
        assertThat(ThreadCommand.render(ThreadCommand.orderedSubject(facts), false)).isEqualTo("(2 (1)(4))(3)");
    }

    @Test
    @Timeout(20)
    void aVeryDeepThreadNeedsNoDeepStack() {
        List<MessageFacts> facts = new ArrayList<>();
        facts.add(msg(1, 0, "deep", "m1"));
        for (int i = 2; i <= 20_000; i++) {
            facts.add(msg(i, i, "Re: deep", "m" + i, "m" + (i - 1)));
        }
        String out = ThreadCommand.render(ThreadCommand.references(facts), false);
        assertThat(out).startsWith("(1 2 3 ").endsWith(" 19999 20000)");
    }
}
