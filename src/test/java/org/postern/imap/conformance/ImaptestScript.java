package org.postern.imap.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * A Dovecot imaptest scripted test ({@code conformance/dovecot-imaptest/docs/scripted_test.md}): a
 * header of settings, then groups of commands, each with the tagged replies and untagged
 * responses it expects. This follows the format as imaptest's own parser reads it: the three ways
 * to write a command, {@code {{{ }}}} literals, {@code !ifenv} blocks (no environment variable is
 * set here), {@code !ordered}, {@code !sleep}.
 */
final class ImaptestScript {
    enum State { NONAUTH, AUTH, CREATED, APPENDED, SELECTED }

    /** {@code *} must appear, {@code !} must not, {@code ?} may. */
    enum Existence { MUST, MUST_NOT, MAY }

    record Untagged(String text, Existence existence) {}

    /** One command; {@code reply} is null until its reply line is read (methods 2 and 3). */
    static final class Cmd {
        final int line;
        final int tagNumber;
        final String text;
        String reply;

        Cmd(int line, int tagNumber, String text, String reply) {
            this.line = line;
            this.tagNumber = tagNumber;
            this.text = text;
            this.reply = reply;
        }
    }

    /** Commands sent together on one connection, and what their answers must hold. */
    static final class Group {
        int connection;
        final List<Cmd> commands = new ArrayList<>();
        final List<Untagged> untagged = new ArrayList<>();
        boolean ordered;
        boolean expectsBye;
        long sleepMillis;
        int repliesPending;

        int line() {
            return commands.isEmpty() ? 0 : commands.getFirst().line;
        }
    }

    final String name;
    List<String> capabilities = List.of();
    int connections = 1;
    int messages;
    boolean allMessages;
    State state = State.SELECTED;
    boolean ignoreExtraUntagged = true;
    boolean needsSecondUser;
    final List<Group> groups = new ArrayList<>();

    private ImaptestScript(String name) {
        this.name = name;
    }

    static ImaptestScript parse(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
        ImaptestScript s = new ImaptestScript(file.getFileName().toString());
        s.read(text);
        if (!s.hasLogout()) {
            // imaptest ends every test with a LOGOUT on the first connection
            Group g = new Group();
            g.commands.add(new Cmd(0, 0, "logout", "ok"));
            s.groups.add(g);
        }
        return s;
    }

    private boolean hasLogout() {
        return groups.stream().anyMatch(g -> g.expectsBye || g.commands.stream().anyMatch(c -> c.text.equalsIgnoreCase("logout")));
    }

    private void read(String text) {
        String[] lines = text.split("\n", -1);
        boolean header = true;
        boolean continues = false;
        boolean binary = false;
        StringBuilder multiline = new StringBuilder();
        int startPos = 0;
        int lastLineEnd = 0;
        int startLine = 0;
        Deque<boolean[]> ifenv = new ArrayDeque<>(); // {skip before, else seen}
        boolean[] skip = {false};
        for (int i = 0; i < lines.length - 1; i++) { // the text ends with a line feed
            String line = lines[i];
            int lineNo = i + 1;
            if (continues) {
                if (!line.startsWith("}}}")) {
                    multiline.append(line);
                    lastLineEnd = multiline.length();
                    multiline.append(binary ? "\n" : "\r\n");
                    continue;
                }
                multiline.setLength(lastLineEnd);
                String rest = line.substring(3);
                multiline.insert(startPos, (binary ? "~" : "") + "{" + (multiline.length() - startPos) + "}\r\n");
                if (rest.endsWith("{{{")) {
                    binary = rest.length() > 3 && rest.charAt(rest.length() - 4) == '~';
                    multiline.append(rest, 0, rest.length() - (binary ? 4 : 3));
                    startPos = lastLineEnd = multiline.length();
                    continue;
                }
                multiline.append(rest);
                line = multiline.toString();
                continues = false;
            } else {
                startLine = lineNo;
                if (line.isEmpty()) {
                    header = false;
                    continue;
                }
                if (line.startsWith("#")) {
                    continue;
                }
                if (line.endsWith("{{{")) {
                    binary = line.length() > 3 && line.charAt(line.length() - 4) == '~';
                    multiline.setLength(0);
                    multiline.append(line, 0, line.length() - (binary ? 4 : 3));
                    startPos = lastLineEnd = multiline.length();
                    continues = true;
                    continue;
                }
            }
            if (header) {
                header(line);
            } else {
                command(startLine, line, ifenv, skip);
            }
        }
        if (continues) {
            throw new IllegalArgumentException(name + ": a {{{ literal is not closed");
        }
    }

    private void header(String line) {
        int colon = line.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException(name + ": header line without ':': " + line);
        }
        String key = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        String value = line.substring(colon + 1).strip();
        switch (key) {
            case "capabilities" -> capabilities = List.of(value.toUpperCase(Locale.ROOT).split("\\s+"));
            case "connections" -> connections = Integer.parseInt(value);
            case "messages" -> {
                allMessages = value.equals("all");
                messages = allMessages ? 0 : Integer.parseInt(value);
            }
            case "state" -> state = switch (value.toLowerCase(Locale.ROOT)) {
                case "nonauth" -> State.NONAUTH;
                case "auth" -> State.AUTH;
                case "created" -> State.CREATED;
                case "appended" -> State.APPENDED;
                case "selected" -> State.SELECTED;
                default -> throw new IllegalArgumentException(name + ": unknown state " + value);
            };
            case "ignore_extra_untagged" -> ignoreExtraUntagged = value.startsWith("y");
            default -> {
                if (key.startsWith("user ")) {
                    needsSecondUser = true;
                } else {
                    throw new IllegalArgumentException(name + ": unknown setting " + key);
                }
            }
        }
    }

    private void command(int lineNo, String line, Deque<boolean[]> ifenv, boolean[] skip) {
        // No environment variable is set: !ifenv blocks are left out, !ifnenv blocks kept.
        if (line.startsWith("!ifenv ") || line.startsWith("!ifnenv ")) {
            ifenv.push(new boolean[] {skip[0], false});
            if (line.startsWith("!ifenv ")) {
                skip[0] = true;
            }
            return;
        }
        if (line.equals("!else")) {
            boolean[] top = ifenv.peek();
            top[1] = true;
            if (!top[0]) {
                skip[0] = !skip[0];
            }
            return;
        }
        if (line.equals("!endif")) {
            skip[0] = ifenv.pop()[0];
            return;
        }
        if (skip[0]) {
            return;
        }
        Group group = groups.isEmpty() ? null : groups.getLast();
        if (group != null) {
            if (line.startsWith("!sleep ")) {
                group.sleepMillis = Long.parseLong(line.substring(7).strip().replaceAll("\\D", ""));
                return;
            }
            if (line.startsWith("!output ")) {
                return;
            }
            if (line.equals("!ordered")) {
                group.ordered = true;
                return;
            }
            Existence e = existence(line);
            if (e != null) {
                addUntagged(group, line.substring(2), e);
                return;
            }
            if (group.repliesPending > 0) {
                String rest = line;
                int conn = 0;
                String first = firstWord(rest);
                if (connections > 1 && first.matches("\\d+")) {
                    conn = Integer.parseInt(first);
                    rest = rest.indexOf(' ') < 0 ? "" : rest.substring(rest.indexOf(' ') + 1);
                }
                Reply r = reply(rest);
                if (r.reply != null) {
                    if (connections > 1 && conn - 1 != group.connection) {
                        throw new IllegalArgumentException(name + ":" + lineNo + ": reply for another connection");
                    }
                    Cmd cmd = group.commands.stream().filter(c -> c.tagNumber == r.tag).findFirst()
                            .orElseThrow(() -> new IllegalArgumentException(name + ":" + lineNo + ": reply for an unknown tag"));
                    // the reply is everything after the tag word: status and prefix
                    cmd.reply = r.tag == 0 ? rest : rest.substring(rest.indexOf(' ') + 1);
                    group.repliesPending--;
                    return;
                }
            }
        }
        if (group == null || group.repliesPending == 0) {
            group = new Group();
            groups.add(group);
        }
        String rest = line;
        if (connections > 1) {
            String first = firstWord(rest);
            int conn = Integer.parseInt(first);
            if (!group.commands.isEmpty() && group.connection != conn - 1) {
                throw new IllegalArgumentException(name + ":" + lineNo + ": pipelined commands on two connections");
            }
            group.connection = conn - 1;
            connections = Math.max(connections, conn);
            rest = rest.indexOf(' ') < 0 ? "" : rest.substring(rest.indexOf(' ') + 1);
        }
        Reply r = reply(rest);
        String command = r.rest;
        if (group.commands.isEmpty() && existence(command) != null) {
            throw new IllegalArgumentException(name + ":" + lineNo + ": banner checks are not supported");
        }
        if (r.reply == null) {
            group.repliesPending++;
        }
        group.commands.add(new Cmd(lineNo, r.tag, command, r.reply));
    }

    private record Reply(int tag, String reply, String rest) {}

    /** An optional {@code tagN}, then an optional ok/no/bad/"" (imaptest's test_get_cmd_reply). */
    private static Reply reply(String line) {
        int tag = 0;
        String rest = line;
        String word = firstWord(rest);
        if (word.regionMatches(true, 0, "tag", 0, 3) && word.length() > 3 && word.substring(3).matches("\\d+")
                && rest.indexOf(' ') > 0) {
            tag = Integer.parseInt(word.substring(3));
            rest = rest.substring(rest.indexOf(' ') + 1);
            word = firstWord(rest);
        }
        String reply = null;
        if (word.equalsIgnoreCase("ok") || word.equalsIgnoreCase("no") || word.equalsIgnoreCase("bad")) {
            reply = word.toLowerCase(Locale.ROOT);
        } else if (word.equals("\"\"")) {
            reply = "\"\"";
        }
        if (reply != null) {
            rest = rest.length() > word.length() ? rest.substring(word.length() + 1) : "";
        }
        return new Reply(tag, reply, rest);
    }

    private static String firstWord(String s) {
        int sp = s.indexOf(' ');
        return sp < 0 ? s : s.substring(0, sp);
    }

    private static Existence existence(String line) {
        if (line.startsWith("* ")) {
            return Existence.MUST;
        }
        if (line.startsWith("! ")) {
            return Existence.MUST_NOT;
        }
        if (line.startsWith("? ")) {
            return Existence.MAY;
        }
        return null;
    }

    private static void addUntagged(Group group, String text, Existence e) {
        String first = firstWord(text).toUpperCase(Locale.ROOT);
        if (first.startsWith("BYE") && e == Existence.MUST) {
            group.expectsBye = true;
        }
        group.untagged.add(new Untagged(text, e));
    }
}
