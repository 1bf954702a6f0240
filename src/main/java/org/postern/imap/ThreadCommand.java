package org.postern.imap;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.postern.imap.AuthCommands.Done;
import org.postern.imap.parse.Command;

/**
 * THREAD and UID THREAD (RFC 5256 §3) with the ORDEREDSUBJECT and REFERENCES algorithms, over the
 * messages that match the search criteria. Chains are walked with loops, not recursion, so a
 * thread thousands of replies deep costs no stack.
 */
final class ThreadCommand {
    private ThreadCommand() {}

    static Done thread(Session s, Command.Thread c) throws IOException {
        List<MessageFacts> facts = MessageFacts.matching(s, c.key(), true);
        List<Node> roots = switch (c.algorithm()) {
            case ORDEREDSUBJECT -> orderedSubject(facts);
            case REFERENCES -> references(facts);
        };
        s.out.untagged("THREAD" + (roots.isEmpty() ? "" : " " + render(roots, c.uid())));
        return new Done(null, c.name() + " completed (Success)");
    }

    /** A message in a thread tree, or a dummy (a message referred to but not among those threaded). */
    static final class Node {
        final String id;
        MessageFacts message;
        Node parent;
        List<Node> children = new ArrayList<>();

        Node(String id) {
            this.id = id;
        }

        void add(Node child) {
            child.parent = this;
            children.add(child);
        }

        void detach() {
            if (parent != null) {
                parent.children.remove(this);
                parent = null;
            }
        }

        /** Whether this is {@code ancestor} or below it. */
        boolean isUnder(Node ancestor) {
            for (Node n = this; n != null; n = n.parent) {
                if (n == ancestor) {
                    return true;
                }
            }
            return false;
        }

        /** The message that speaks for this node: its own, or a dummy's first child's. */
        MessageFacts representative() {
            Node n = this;
            while (n.message == null && !n.children.isEmpty()) {
                n = n.children.getFirst();
            }
            return n.message;
        }
    }

    /** RFC 5256 §2.2: by sent date, then sequence number; a dummy by its first child. */
    private static final Comparator<Node> BY_DATE = Comparator
            .comparingLong((Node n) -> n.representative().sent())
            .thenComparingInt(n -> n.representative().seq());

    // ------------------------------------------------------------------ ORDEREDSUBJECT

    /**
     * RFC 5256 §3 ORDEREDSUBJECT: messages sorted by base subject then sent date, one thread per
     * base subject whose first message is the parent of the others, threads by the sent date of
     * their first message.
     */
    static List<Node> orderedSubject(List<MessageFacts> facts) {
        Map<MessageFacts, String> base = new IdentityHashMap<>();
        for (MessageFacts f : facts) {
            base.put(f, BaseSubject.of(f.subject()).text());
        }
        List<MessageFacts> sorted = new ArrayList<>(facts);
        sorted.sort(Comparator.<MessageFacts, String>comparing(base::get, BaseSubject::compareAsciiCasemap)
                .thenComparingLong(MessageFacts::sent).thenComparingInt(MessageFacts::seq));
        List<Node> roots = new ArrayList<>();
        Node current = null;
        for (MessageFacts f : sorted) {
            Node n = new Node(null);
            n.message = f;
            if (current != null && BaseSubject.compareAsciiCasemap(base.get(current.message), base.get(f)) == 0) {
                current.add(n);
            } else {
                roots.add(n);
                current = n;
            }
        }
        roots.sort(BY_DATE);
        return roots;
    }

    // ------------------------------------------------------------------ REFERENCES

    /** RFC 5256 §3 REFERENCES, steps 1 to 6. */
    static List<Node> references(List<MessageFacts> facts) {
        Map<String, Node> byId = new HashMap<>();
        List<Node> nodes = new ArrayList<>();
        for (MessageFacts f : facts) {
            // 1: a message without a Message-ID, or with one an earlier message has, gets its own node
            Node n = f.messageId() == null || f.messageId().isEmpty() ? null : byId.get(f.messageId());
            if (n == null || n.message != null) {
                n = new Node(f.messageId());
                nodes.add(n);
                if (f.messageId() != null && !f.messageId().isEmpty() && !byId.containsKey(f.messageId())) {
                    byId.put(f.messageId(), n);
                }
            }
            n.message = f;
            List<String> refs = !f.references().isEmpty() ? f.references()
                    : f.inReplyTo().isEmpty() ? List.of() : List.of(f.inReplyTo().getFirst());
            // 1.A: link the references in order, keeping links made before and making no loop
            Node previous = null;
            for (String ref : refs) {
                Node r = byId.computeIfAbsent(ref, id -> {
                    Node dummy = new Node(id);
                    nodes.add(dummy);
                    return dummy;
                });
                if (previous != null && r.parent == null && !previous.isUnder(r)) {
                    previous.add(r);
                }
                previous = r;
            }
            // 1.B: the last reference is the parent, replacing a link a truncated References made
            n.detach();
            if (previous != null && !previous.isUnder(n)) {
                previous.add(n);
            }
        }
        // 2: the root set, under one virtual root
        Node top = new Node(null);
        for (Node n : nodes) {
            if (n.parent == null) {
                top.add(n);
            }
        }
        prune(top);
        // 4: top-level siblings by date (a dummy by its first child, once its children are sorted)
        for (Node n : top.children) {
            if (n.message == null) {
                n.children.sort(BY_DATE);
            }
        }
        top.children.sort(BY_DATE);
        mergeBySubject(top);
        // 6: every set of siblings by date, the deepest first
        for (Node n : postOrder(top)) {
            n.children.sort(BY_DATE);
        }
        for (Node n : top.children) {
            n.parent = null;
        }
        return top.children;
    }

    /**
     * Step 3: dummies without children go; a dummy's children take its place, except that the
     * children of a top-level dummy stay under it when there are several.
     */
    private static void prune(Node top) {
        for (Node n : postOrder(top)) {
            List<Node> kept = new ArrayList<>(n.children.size());
            for (Node c : n.children) {
                if (c.message == null && (c.children.isEmpty() || n != top || c.children.size() == 1)) {
                    for (Node g : c.children) {
                        g.parent = n;
                    }
                    kept.addAll(c.children);
                } else {
                    kept.add(c);
                }
            }
            n.children = kept;
        }
    }

    /** Step 5: threads whose top messages have the same base subject are gathered. */
    private static void mergeBySubject(Node top) {
        Map<String, Node> table = new HashMap<>();
        for (Node n : top.children) { // 5.B
            String key = subjectKey(n);
            if (key.isEmpty()) {
                continue;
            }
            Node old = table.get(key);
            if (old == null || (n.message == null && old.message != null)
                    || (old.message != null && n.message != null && isReply(old) && !isReply(n))) {
                table.put(key, n);
            }
        }
        List<Node> roots = new ArrayList<>();
        Set<Node> gone = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Node n : List.copyOf(top.children)) { // 5.C
            String key = subjectKey(n);
            Node c = key.isEmpty() ? n : table.get(key);
            if (c == n) {
                continue;
            }
            gone.add(n);
            if (c.message == null && n.message == null) {
                for (Node g : n.children) {
                    g.parent = c;
                }
                c.children.addAll(n.children);
            } else if (c.message == null) {
                c.add(n);
            } else if (!isReply(c) && isReply(n)) {
                c.add(n);
            } else {
                Node dummy = new Node(null);
                gone.add(c);
                roots.add(dummy);
                table.put(key, dummy);
                dummy.add(c);
                dummy.add(n);
            }
        }
        for (Node n : top.children) {
            if (!gone.contains(n)) {
                roots.add(n);
            }
        }
        top.children = new ArrayList<>();
        for (Node n : roots) {
            top.add(n);
        }
    }

    private static String subjectKey(Node n) {
        return BaseSubject.asciiUpper(BaseSubject.of(n.representative().subject()).text());
    }

    private static boolean isReply(Node n) {
        return BaseSubject.of(n.representative().subject()).replyOrForward();
    }

    /** Every node below {@code top}, each after all its descendants, {@code top} last. */
    private static List<Node> postOrder(Node top) {
        List<Node> out = new ArrayList<>();
        Deque<Node> stack = new ArrayDeque<>();
        stack.push(top);
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            out.add(n);
            for (Node c : n.children) {
                stack.push(c);
            }
        }
        Collections.reverse(out);
        return out;
    }

    // ------------------------------------------------------------------ response

    /**
     * The {@code thread-list}s of RFC 5256 §4: a chain as {@code (1 2 3)}, a message with several
     * replies as {@code (1 (2)(3))}, a dummy as its children's lists {@code ((1)(2))}.
     */
    static String render(List<Node> roots, boolean uid) {
        StringBuilder sb = new StringBuilder();
        for (Node n : roots) {
            sb.append('(');
            members(n, uid, sb);
            sb.append(')');
        }
        return sb.toString();
    }

    private static void members(Node n, boolean uid, StringBuilder sb) {
        while (true) {
            if (n.message != null) {
                sb.append(uid ? n.message.uid() : n.message.seq());
                if (n.children.size() == 1) {
                    sb.append(' ');
                    n = n.children.getFirst();
                    continue;
                }
                if (!n.children.isEmpty()) {
                    sb.append(' ');
                }
            }
            for (Node c : n.children) {
                sb.append('(');
                members(c, uid, sb);
                sb.append(')');
            }
            return;
        }
    }
}
