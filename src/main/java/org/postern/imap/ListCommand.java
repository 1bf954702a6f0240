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
 */
final class ListCommand {
    private ListCommand() {}

    /** One name the account has: a mailbox, or a parent implied by a mailbox below it. */
    private record Entry(String name, Mailbox mailbox, boolean hasChildren, boolean childSubscribed) {}

    static Done list(Session s, Command.ListMailboxes c) throws IOException {
        if (c.patterns().size() == 1 && c.patterns().getFirst().isEmpty() && !c.extended()) {
            // RFC 9051 §6.3.9: an empty pattern asks for the hierarchy delimiter.
            s.out.untagged("LIST (\\Noselect) \"/\" \"\"");
            return new Done(null, "LIST completed (Success)");
        }
        Map<String, Entry> entries = entries(s);
        List<Pattern> patterns = c.patterns().stream().map(p -> compile(c.reference(), p)).toList();
        boolean subscribedOnly = c.selection().contains(Selection.SUBSCRIBED);
        boolean specialOnly = c.selection().contains(Selection.SPECIAL_USE);
        boolean recursive = c.selection().contains(Selection.RECURSIVEMATCH);
        boolean showSubscribed = subscribedOnly || c.returns().contains(ReturnOption.SUBSCRIBED);
        for (Entry e : entries.values()) {
            if (patterns.stream().noneMatch(p -> p.matcher(e.name()).matches())) {
                continue;
            }
            boolean subscribed = e.mailbox() != null && e.mailbox().subscribed();
            if (specialOnly && (e.mailbox() == null || e.mailbox().specialUse() == null)) {
                continue;
            }
            boolean childInfo = false;
            if (subscribedOnly && !subscribed) {
                if (!(recursive && e.childSubscribed())) {
                    continue;
                }
                childInfo = true; // RFC 5258 §3.5: listed for a subscribed child, with CHILDINFO
            }
            List<String> attrs = new ArrayList<>();
            if (e.mailbox() == null) {
                attrs.add(c.extended() ? "\\NonExistent" : "\\Noselect");
            }
            attrs.add(e.hasChildren() ? "\\HasChildren" : "\\HasNoChildren");
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
        Map<String, Entry> entries = entries(s);
        Pattern p = compile(c.reference(), c.pattern());
        for (Entry e : entries.values()) {
            if (!p.matcher(e.name()).matches()) {
                continue;
            }
            boolean subscribed = e.mailbox() != null && e.mailbox().subscribed();
            if (subscribed) {
                s.out.untagged("LSUB () \"/\" " + s.wireName(e.name()));
            } else if (e.childSubscribed() && c.pattern().endsWith("%")) {
                // RFC 3501 §6.3.9: a parent of a subscribed name matched by % is \Noselect.
                s.out.untagged("LSUB (\\Noselect) \"/\" " + s.wireName(e.name()));
            }
        }
        return new Done(null, "LSUB completed (Success)");
    }

    /** Every name of the account, INBOX first, then in name order. */
    private static Map<String, Entry> entries(Session s) {
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
        Set<String> subscribedParents = new java.util.HashSet<>();
        for (Mailbox m : boxes) {
            names.put(m.name(), true);
            int slash = -1;
            while ((slash = m.name().indexOf(Mailbox.SEPARATOR, slash + 1)) > 0) {
                String parent = m.name().substring(0, slash);
                names.putIfAbsent(parent, true);
                parents.add(parent);
                if (m.subscribed()) {
                    subscribedParents.add(parent);
                }
            }
        }
        Map<String, Entry> out = new java.util.LinkedHashMap<>();
        for (String name : names.keySet()) {
            out.put(name, new Entry(name, byName.get(name), parents.contains(name), subscribedParents.contains(name)));
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
