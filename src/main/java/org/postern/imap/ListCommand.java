package org.postern.imap;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.postern.imap.AuthCommands.Done;
import org.postern.imap.parse.Command;
import org.postern.imap.parse.Command.ListMailboxes.ReturnOption;
import org.postern.imap.parse.Command.ListMailboxes.Selection;
import org.postern.store.Mailbox;

/**
 * LIST (RFC 9051 §6.3.9) with LIST-EXTENDED (RFC 5258), CHILDREN (RFC 3348), SPECIAL-USE
 * (RFC 6154) and LIST-STATUS (RFC 5819); and LSUB (RFC 3501 §6.3.9).
 *
 * <p>Names that exist only as the parent of another mailbox (after "a" was deleted, "a/b" stays)
 * are listed as {@code \NonExistent} (extended syntax) or {@code \Noselect} (basic syntax).
 *
 * <p>Subscriptions are the account's list of names (RFC 9051 §6.3.7), not a mark on mailboxes:
 * LIST (SUBSCRIBED) and LSUB list a subscribed name that has no mailbox ({@code \NonExistent},
 * RFC 5258 §3.1), and RECURSIVEMATCH's CHILDINFO (§3.5) follows from subscribed names below.
 */
final class ListCommand {
    private ListCommand() {}

    /**
     * One name the account has: a mailbox, a parent implied by a mailbox below it, or a name that
     * is only subscribed or only the parent of a subscribed name ({@code listed} false: plain LIST
     * does not show it).
     */
    private record Entry(String name, Mailbox mailbox, boolean listed, boolean hasChildren, boolean subscribed,
            boolean childSubscribed) {}

    static Done list(Session s, Command.ListMailboxes c) throws IOException {
        if (c.patterns().size() == 1 && c.patterns().getFirst().isEmpty() && !c.extended()) {
            // RFC 9051 §6.3.9: an empty pattern asks for the hierarchy delimiter.
            s.out.untagged("LIST (\\Noselect) \"/\" \"\"");
            return new Done(null, "LIST completed (Success)");
        }
        Set<String> subscriptions = s.services.store().subscriptions(s.accountId());
        Map<String, Entry> entries = entries(s, subscriptions);
        List<Pattern> patterns = c.patterns().stream().map(p -> compile(c.reference(), p)).toList();
        boolean subscribedOnly = c.selection().contains(Selection.SUBSCRIBED);
        boolean specialOnly = c.selection().contains(Selection.SPECIAL_USE);
        boolean recursive = c.selection().contains(Selection.RECURSIVEMATCH);
        boolean showSubscribed = subscribedOnly || c.returns().contains(ReturnOption.SUBSCRIBED);
        for (Entry e : entries.values()) {
            if (patterns.stream().noneMatch(p -> p.matcher(e.name()).matches())) {
                continue;
            }
            if (!subscribedOnly && !e.listed()) {
                continue;
            }
            boolean subscribed = e.subscribed();
            if (specialOnly && (e.mailbox() == null || e.mailbox().specialUse() == null)) {
                continue;
            }
            boolean childInfo = false;
            if (subscribedOnly && !subscribed) {
                // RFC 5258 §3.1 RECURSIVEMATCH, §3.5: listed, with CHILDINFO, for a subscribed name
                // below it, whether or not the patterns match that name too (§3.1, Note 2).
                if (!(recursive && e.childSubscribed())) {
                    continue;
                }
                childInfo = true;
            }
            List<String> attrs = new ArrayList<>();
            if (e.mailbox() == null) {
                attrs.add(c.extended() ? "\\NonExistent" : "\\Noselect");
            }
            if (e.hasChildren()) {
                attrs.add("\\HasChildren");
            } else if (e.mailbox() != null) {
                // A name that is only subscribed is no mailbox: it has no children to count, and
                // \NonExistent alone says so (RFC 5258 §3.1 shows it that way).
                attrs.add("\\HasNoChildren");
            }
            if (e.mailbox() != null && e.mailbox().specialUse() != null) {
                attrs.add(e.mailbox().specialUse().attribute());
            }
            if (showSubscribed && subscribed) {
                attrs.add("\\Subscribed");
            }
            String line = "LIST (" + String.join(" ", attrs) + ") \"/\" " + s.wireName(e.name());
            if (childInfo) {
                line += " (\"CHILDINFO\" (\"SUBSCRIBED\"))";
            }
            s.out.untagged(line);
            if (c.returns().contains(ReturnOption.STATUS) && e.mailbox() != null) {
                // RFC 5819 §2: the STATUS follows its LIST line; not for \NonExistent/\Noselect names.
                s.out.untagged("STATUS " + s.wireName(e.name()) + " " + MailboxCommands.statusItems(s, e.mailbox(), c.statusItems()));
            }
        }
        return new Done(null, "LIST completed (Success)");
    }

    static Done lsub(Session s, Command.Lsub c) throws IOException {
        if (c.pattern().isEmpty()) {
            return new Done(null, "LSUB completed (Success)"); // a pattern no name can match
        }
        Map<String, Entry> entries = entries(s, s.services.store().subscriptions(s.accountId()));
        Pattern p = compile(c.reference(), c.pattern().get());
        for (Entry e : entries.values()) {
            if (!p.matcher(e.name()).matches()) {
                continue;
            }
            if (e.subscribed()) {
                s.out.untagged("LSUB () \"/\" " + s.wireName(e.name()));
            } else if (e.childSubscribed() && c.pattern().get().endsWith("%")) {
                // RFC 3501 §6.3.9: a parent of a subscribed name matched by % is \Noselect.
                s.out.untagged("LSUB (\\Noselect) \"/\" " + s.wireName(e.name()));
            }
        }
        return new Done(null, "LSUB completed (Success)");
    }

    /** Every name of the account, INBOX first, then in name order. */
    private static Map<String, Entry> entries(Session s, Set<String> subscriptions) {
        List<Mailbox> boxes = s.services.store().mailboxes(s.accountId());
        TreeMap<String, Mailbox> byName = new TreeMap<>();
        for (Mailbox m : boxes) {
            byName.put(m.name(), m);
        }
        TreeMap<String, Boolean> names = new TreeMap<>((a, b) -> {
            boolean ai = a.equals(Mailbox.INBOX);
            boolean bi = b.equals(Mailbox.INBOX);
            return ai == bi ? a.compareTo(b) : ai ? -1 : 1;
        });
        Set<String> parents = new java.util.HashSet<>();
        for (Mailbox m : boxes) {
            names.put(m.name(), true);
            for (String parent : parents(m.name())) {
                names.put(parent, true);
                parents.add(parent);
            }
        }
        Set<String> subscribedParents = new java.util.HashSet<>();
        for (String name : subscriptions) {
            names.putIfAbsent(name, false);
            for (String parent : parents(name)) {
                names.putIfAbsent(parent, false);
                subscribedParents.add(parent);
            }
        }
        Map<String, Entry> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Boolean> n : names.entrySet()) {
            String name = n.getKey();
            out.put(name, new Entry(name, byName.get(name), n.getValue(), parents.contains(name),
                    subscriptions.contains(name), subscribedParents.contains(name)));
        }
        return out;
    }

    /** The names above a name: "a", "a/b" for "a/b/c". */
    private static List<String> parents(String name) {
        List<String> out = new ArrayList<>();
        int slash = -1;
        while ((slash = name.indexOf(Mailbox.SEPARATOR, slash + 1)) > 0) {
            out.add(name.substring(0, slash));
        }
        return out;
    }

    /**
     * The reference and pattern as one regular expression (RFC 9051 §6.3.9): {@code *} matches
     * anything, {@code %} anything but the delimiter; INBOX matches in any case.
     */
    static Pattern compile(String reference, String pattern) {
        String full;
        if (pattern.startsWith("/") || reference.isEmpty()) {
            full = pattern;
        } else if (reference.endsWith("/")) {
            full = reference + pattern;
        } else {
            full = reference + "/" + pattern;
        }
        StringBuilder re = new StringBuilder();
        if (full.regionMatches(true, 0, "INBOX", 0, 5) && (full.length() == 5 || full.charAt(5) == '/'
                || full.charAt(5) == '*' || full.charAt(5) == '%')) {
            re.append("INBOX");
            full = full.substring(5);
        }
        for (int i = 0; i < full.length(); i++) {
            char ch = full.charAt(i);
            switch (ch) {
                case '*' -> re.append(".*");
                case '%' -> re.append("[^/]*");
                default -> re.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
