package org.postern.imap.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two things an MPT script says that hold for James's setup and not for the protocol, turned
 * into Postern's terms before the script is played:
 * <ul>
 *   <li><b>User names.</b> James logs in as {@code imapuser}; Postern's user names are addresses,
 *       so the user of a LOGIN command, and the user names inside AUTHENTICATE PLAIN data
 *       (RFC 4616), become {@code imapuser@example.org}.</li>
 *   <li><b>The hierarchy delimiter.</b> A server chooses it (RFC 9051 §5.1.1, §7.3.1): James uses
 *       {@code .}, Postern {@code /} (as Gmail). Every {@code .} in a mailbox name of a command
 *       is a level in James's terms, so it becomes {@code /}; in LIST, LSUB, STATUS and NAMESPACE
 *       responses the delimiter and the escaped dots of names become {@code /}.</li>
 * </ul>
 * Nothing else in a script is changed.
 */
final class MptTranslation {
    static final String DOMAIN = "example.org";

    /** The argument positions (after the command name) that are mailbox names or LIST patterns. */
    private static final Map<String, int[]> MAILBOX_ARGS = Map.ofEntries(
            Map.entry("CREATE", new int[] {0}), Map.entry("DELETE", new int[] {0}), Map.entry("RENAME", new int[] {0, 1}),
            Map.entry("SUBSCRIBE", new int[] {0}), Map.entry("UNSUBSCRIBE", new int[] {0}),
            Map.entry("SELECT", new int[] {0}), Map.entry("EXAMINE", new int[] {0}), Map.entry("STATUS", new int[] {0}),
            Map.entry("APPEND", new int[] {0}), Map.entry("LSUB", new int[] {0, 1}), Map.entry("COPY", new int[] {1}),
            Map.entry("MOVE", new int[] {1}), Map.entry("GETQUOTAROOT", new int[] {0}));

    private static final Pattern LIST_LINE = Pattern.compile("^(\\\\\\* (?:LIST|LSUB|XLIST) \\\\\\(.*?\\\\\\) )(.*)$");
    private static final Pattern STATUS_LINE = Pattern.compile("^(\\\\\\* STATUS )(.*?)( \\\\\\(.*)$");
    private static final Pattern DOT_DELIMITER = Pattern.compile("^(\\\\?\"\\\\?\\.\\\\?\"|\\\\?\"\\.\\\\?\")");

    private final Set<String> users;

    /** @param users the user names scripts log in as, each becoming name@example.org */
    MptTranslation(Set<String> users) {
        this.users = Set.copyOf(users);
    }

    static String address(String user) {
        return user.toLowerCase(Locale.ROOT) + "@" + DOMAIN;
    }

    /** A client command line (not literal data) in Postern's terms. */
    String command(String line) {
        List<int[]> tokens = tokens(line);
        if (tokens.size() < 2) {
            return line;
        }
        int nameAt = 1;
        String name = word(line, tokens.get(1));
        if (name.equals("UID") && tokens.size() > 2) {
            nameAt = 2;
            name = word(line, tokens.get(2));
        }
        StringBuilder out = new StringBuilder(line);
        if (name.equals("AUTHENTICATE") && tokens.size() > 3) {
            int[] t = tokens.get(3);
            String response = line.substring(t[0], t[1]);
            if (!response.startsWith("{")) {
                out.replace(t[0], t[1], saslPlain(response));
            }
            return out.toString();
        }
        if (name.equals("LOGIN") && tokens.size() > 2) {
            int[] t = tokens.get(2);
            String user = line.substring(t[0], t[1]);
            String bare = user.startsWith("\"") ? user.substring(1, user.length() - 1) : user;
            if (users.contains(bare)) {
                out.replace(t[0], t[1], address(bare));
            }
            return out.toString();
        }
        List<Integer> positions = new ArrayList<>();
        if (name.equals("LIST")) {
            // LIST [(selection)] reference pattern(s) [RETURN (...)]
            int at = nameAt + 1;
            if (at < tokens.size() && line.charAt(tokens.get(at)[0]) == '(') {
                at++;
            }
            positions.add(at - nameAt - 1);
            positions.add(at - nameAt);
        } else if (MAILBOX_ARGS.containsKey(name)) {
            for (int p : MAILBOX_ARGS.get(name)) {
                positions.add(p);
            }
        }
        // Right to left, so earlier spans stay valid.
        for (int k = positions.size() - 1; k >= 0; k--) {
            int index = nameAt + 1 + positions.get(k);
            if (index < tokens.size()) {
                int[] t = tokens.get(index);
                String arg = line.substring(t[0], t[1]);
                if (!arg.startsWith("{")) {
                    out.replace(t[0], t[1], arg.replace('.', '/'));
                }
            }
        }
        return out.toString();
    }

    /**
     * A SASL PLAIN response (RFC 4616: authzid NUL authcid NUL password, in base64) with the user
     * names in Postern's terms; anything that is not such a response is returned as it is.
     */
    String saslPlain(String base64) {
        byte[] raw;
        try {
            raw = java.util.Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return base64;
        }
        String[] parts = new String(raw, java.nio.charset.StandardCharsets.UTF_8).split("\0", -1);
        if (parts.length < 2 || parts.length > 3) {
            return base64;
        }
        for (int i = 0; i < parts.length - 1; i++) {
            if (users.contains(parts[i])) {
                parts[i] = address(parts[i]);
            }
        }
        return java.util.Base64.getEncoder().encodeToString(
                String.join("\0", parts).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** An expected-line regex in Postern's terms (only LIST, LSUB, STATUS and NAMESPACE lines change). */
    String expected(String regex) {
        Matcher list = LIST_LINE.matcher(regex);
        if (list.matches()) {
            String rest = list.group(2);
            Matcher d = DOT_DELIMITER.matcher(rest);
            if (d.find()) {
                String name = rest.substring(d.end());
                return list.group(1) + "\"/\"" + name.replace("\\.", "/");
            }
            return regex;
        }
        Matcher status = STATUS_LINE.matcher(regex);
        if (status.matches()) {
            return status.group(1) + status.group(2).replace("\\.", "/") + status.group(3);
        }
        if (regex.startsWith("\\* NAMESPACE")) {
            return regex.replace("\\\"\\.\\\"", "\"/\"").replace("\"\\.\"", "\"/\"").replace("\".\"", "\"/\"");
        }
        return regex;
    }

    private static String word(String line, int[] t) {
        return line.substring(t[0], t[1]).toUpperCase(Locale.ROOT);
    }

    /** Spans of the space-separated tokens of a command line; quoted strings and lists are one token. */
    static List<int[]> tokens(String line) {
        List<int[]> out = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            while (i < line.length() && line.charAt(i) == ' ') {
                i++;
            }
            if (i >= line.length()) {
                break;
            }
            int start = i;
            char c = line.charAt(i);
            if (c == '"') {
                i++;
                while (i < line.length() && line.charAt(i) != '"') {
                    i += line.charAt(i) == '\\' ? 2 : 1;
                }
                i = Math.min(i + 1, line.length());
            } else if (c == '(') {
                int depth = 0;
                do {
                    char ch = line.charAt(i);
                    if (ch == '(') {
                        depth++;
                    } else if (ch == ')') {
                        depth--;
                    } else if (ch == '"') {
                        i++;
                        while (i < line.length() && line.charAt(i) != '"') {
                            i += line.charAt(i) == '\\' ? 2 : 1;
                        }
                    }
                    i++;
                } while (i < line.length() && depth > 0);
            } else {
                while (i < line.length() && line.charAt(i) != ' ') {
                    i++;
                }
            }
            out.add(new int[] {start, Math.min(i, line.length())});
        }
        return out;
    }
}
