package org.postern.imap.conformance;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postern.imap.conformance.ConformanceServer.Connection;
import org.postern.imap.conformance.ImapArgs.Arg;
import org.postern.imap.conformance.ImaptestMatcher.Pat;
import org.postern.imap.conformance.ImaptestScript.Cmd;
import org.postern.imap.conformance.ImaptestScript.Existence;
import org.postern.imap.conformance.ImaptestScript.Group;

/**
 * Runs one imaptest script as imaptest's scripted mode does: reaches the script's state (login,
 * create the test mailbox, append from the mbox, select) on each connection, then sends each
 * command group pipelined on its connection, reads until every command is answered, and checks
 * the tagged replies and the untagged responses as {@link ImaptestMatcher} says. The other
 * connections are not read meanwhile, so what the server tells them waits for their next group.
 * Besides the script's expectations it checks what imaptest's client checks before anything else:
 * EXISTS never shrinks, EXPUNGE names an existing message, and BAD comes only when expected.
 */
final class ImaptestRun {
    /** One failure: the line of the group's first command (0 for the final LOGOUT) and what went wrong. */
    record Failure(int line, String message) {}

    static final String MAILBOX = "imaptest";
    private static final Pattern LITERAL = Pattern.compile("(~?\\{)(\\d+)(})\\r\\n");

    private final ConformanceServer server;
    private final ImaptestScript script;
    private final Mbox mbox;
    private final String user;
    private final String password;
    private final ImaptestMatcher m = new ImaptestMatcher();
    private final List<Failure> failures = new ArrayList<>();
    /** What went over the wire, when tracing (-Dconformance.trace=true). */
    final List<String> trace = new ArrayList<>();
    private final boolean tracing = Boolean.getBoolean("conformance.trace");
    private Connection[] conns;
    private int[] exists;
    private boolean[] closed;
    private int tagCounter;
    private Set<String> capabilities = Set.of();

    ImaptestRun(ConformanceServer server, ImaptestScript script, Mbox mbox, String user, String password) {
        this.server = server;
        this.script = script;
        this.mbox = mbox;
        this.user = user;
        this.password = password;
    }

    /** The capabilities the script needs that the server does not advertise (then it is skipped), after connecting. */
    List<String> missingCapabilities() {
        return script.capabilities.stream().filter(c -> !capabilities.contains(c)).toList();
    }

    /** Plays the script; returns its failures (empty: it passed). Null when it was skipped. */
    List<Failure> play() throws IOException {
        int n = script.connections;
        conns = new Connection[n];
        exists = new int[n];
        closed = new boolean[n];
        m.vars.put("user", user);
        m.vars.put("username", user.substring(0, user.indexOf('@')));
        m.vars.put("domain", user.substring(user.indexOf('@') + 1));
        m.vars.put("password", password);
        m.vars.put("mailbox", MAILBOX);
        m.vars.put("mailbox_url", MAILBOX);
        try {
            for (int i = 0; i < n; i++) {
                conns[i] = server.connect();
                ServerResponse banner = conns[i].read();
                capabilities = capabilitiesOf(banner.text());
            }
            if (script.state != ImaptestScript.State.NONAUTH) {
                for (int i = 0; i < n; i++) {
                    String ok = startup(i, "LOGIN \"" + user + "\" \"" + password + "\"");
                    if (ok != null && ok.contains("[CAPABILITY ")) {
                        capabilities = capabilitiesOf(ok);
                    }
                }
            }
            if (!missingCapabilities().isEmpty()) {
                return null;
            }
            if (script.state.compareTo(ImaptestScript.State.CREATED) >= 0) {
                startup(0, "CREATE \"" + MAILBOX + "\"");
            }
            if (script.state.compareTo(ImaptestScript.State.APPENDED) >= 0) {
                int count = script.allMessages ? mbox.size() : script.messages;
                for (int k = 0; k < count; k++) {
                    Mbox.Message msg = mbox.next();
                    startupAppend(0, "\"" + MAILBOX + "\" \"" + msg.internalDate() + "\"", msg);
                }
            }
            if (script.state == ImaptestScript.State.SELECTED) {
                for (int i = 0; i < n; i++) {
                    startup(i, "SELECT \"" + MAILBOX + "\"");
                }
            }
            for (Group g : script.groups) {
                if (!runGroup(g)) {
                    break;
                }
            }
        } catch (StartupFailed e) {
            failures.add(new Failure(0, "startup: " + e.getMessage()));
        } finally {
            for (Connection c : conns) {
                if (c != null) {
                    c.close();
                }
            }
        }
        return failures;
    }

    private static final class StartupFailed extends RuntimeException {
        StartupFailed(String message) {
            super(message);
        }
    }

    private static Set<String> capabilitiesOf(String text) {
        Set<String> out = new LinkedHashSet<>();
        int at = text.toUpperCase(Locale.ROOT).indexOf("CAPABILITY ");
        if (at < 0) {
            return out;
        }
        String rest = text.substring(at + 11);
        int end = rest.indexOf(']');
        for (String c : (end < 0 ? rest : rest.substring(0, end)).split(" ")) {
            out.add(c.toUpperCase(Locale.ROOT));
        }
        return out;
    }

    /** A startup command that must succeed; returns its tagged line. */
    private String startup(int conn, String command) throws IOException {
        String tag = nextTag(conn);
        send(conn, (tag + " " + command + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return awaitStartup(conn, tag, command);
    }

    private void startupAppend(int conn, String args, Mbox.Message msg) throws IOException {
        String tag = nextTag(conn);
        send(conn, appendBytes(tag, args, msg));
        awaitStartup(conn, tag, "APPEND");
    }

    private String awaitStartup(int conn, String tag, String command) throws IOException {
        while (true) {
            ServerResponse r = read(conn);
            if (r.isUntagged()) {
                if (!track(conn, ImapArgs.parse(r.text().substring(2)), 0)) {
                    throw new StartupFailed("the server's message count went wrong");
                }
            } else if (tag.equals(r.tag())) {
                if (!r.text().startsWith(tag + " OK")) {
                    throw new StartupFailed(command + " failed: " + r.text());
                }
                return r.text();
            }
        }
    }

    private void send(int conn, byte[] bytes) throws IOException {
        if (tracing) {
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            trace.add((conn + 1) + " C: " + (text.length() > 300 ? text.substring(0, 300) + "..." : text).strip().replace("\r\n", "⏎"));
        }
        conns[conn].sendRaw(bytes);
    }

    private ServerResponse read(int conn) throws IOException {
        ServerResponse r = conns[conn].read();
        if (tracing) {
            String text = r.toString();
            trace.add((conn + 1) + " S: " + (text.length() > 300 ? text.substring(0, 300) + "..." : text));
        }
        return r;
    }

    private String nextTag(int conn) {
        return (conn + 1) + "." + (++tagCounter);
    }

    private static byte[] appendBytes(String tag, String args, Mbox.Message msg) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((tag + " APPEND " + args + " {" + msg.content().length + "+}\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(msg.content());
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** What imaptest's client keeps of a mailbox: the message count; false when the server broke it. */
    private boolean track(int conn, List<Arg> args, int line) {
        if (args.size() >= 2 && args.get(0).kind() == ImapArgs.Kind.ATOM && args.get(0).value().matches("\\d+")
                && args.get(1).kind() == ImapArgs.Kind.ATOM) {
            int num = Integer.parseInt(args.get(0).value());
            String what = args.get(1).upper();
            if (what.equals("EXISTS")) {
                if (num < exists[conn]) {
                    failures.add(new Failure(line, "message count dropped " + exists[conn] + " -> " + num));
                    return false;
                }
                exists[conn] = num;
            } else if (what.equals("EXPUNGE")) {
                if (num == 0 || num > exists[conn]) {
                    failures.add(new Failure(line, "EXPUNGE of message " + num + " with only " + exists[conn] + " messages"));
                    return false;
                }
                exists[conn]--;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ one command group

    /** Runs a group; false when the test cannot go on (a connection broke). */
    private boolean runGroup(Group g) throws IOException {
        int conn = g.connection;
        if (closed[conn]) {
            failures.add(new Failure(g.line(), "connection " + (conn + 1) + " is closed"));
            return false;
        }
        m.startGroup(exists[conn]);
        List<String> tags = new ArrayList<>();
        for (Cmd c : g.commands) {
            String[] missing = new String[1];
            String text = m.expandCommand(c.text, missing);
            if (text == null) {
                failures.add(new Failure(g.line(), "uninitialized variable $" + missing[0] + " in: " + c.text));
                return false;
            }
            String tag = nextTag(conn);
            tags.add(tag);
            String lower = text.toLowerCase(Locale.ROOT);
            if (lower.equals("append")) {
                Mbox.Message msg = mbox.next();
                send(conn, appendBytes(tag, "\"" + MAILBOX + "\" \"" + msg.internalDate() + "\"", msg));
            } else if (lower.startsWith("append ") && !appendHasBody(text.substring(7))) {
                send(conn, appendBytes(tag, text.substring(7), mbox.next()));
            } else {
                if (lower.startsWith("select ") || lower.startsWith("examine ")) {
                    exists[conn] = 0; // a new view
                }
                send(conn, (tag + " " + literalPlus(text) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        List<List<Pat>> expected = new ArrayList<>();
        for (ImaptestScript.Untagged u : g.untagged) {
            expected.add(ImaptestMatcher.compile(u.text()));
        }
        boolean[] found = new boolean[expected.size()];
        String firstExtra = null;
        int extras = 0;
        boolean sawBye = false;
        List<String> pending = new ArrayList<>(tags);
        try {
            while (!pending.isEmpty()) {
                ServerResponse r = read(conn);
                if (r.isContinuation()) {
                    failures.add(new Failure(g.line(), "unexpected continuation: " + r));
                    return false;
                }
                if (r.isUntagged()) {
                    List<Arg> args = ImapArgs.parse(r.text().substring(2));
                    sawBye |= !args.isEmpty() && args.getFirst().isAtom("BYE");
                    if (!matchUntagged(g, expected, found, args, tags.getFirst())) {
                        extras++;
                        firstExtra = firstExtra == null ? r.toString() : firstExtra;
                    }
                    if (!track(conn, args, g.line())) {
                        return false;
                    }
                    if (args.size() >= 2 && args.get(1).isAtom("EXPUNGE")) {
                        m.expunged(Integer.parseInt(args.getFirst().value()));
                    }
                    continue;
                }
                String tag = r.tag();
                int k = tags.indexOf(tag);
                if (k < 0) {
                    failures.add(new Failure(g.line(), "tagged reply for an unknown tag: " + r));
                    return false;
                }
                pending.remove(tag);
                Cmd cmd = g.commands.get(k);
                List<Arg> args = ImapArgs.parse(r.text());
                List<Arg> reply = args.subList(1, args.size());
                boolean bad = !reply.isEmpty() && reply.getFirst().isAtom("BAD");
                m.vars.put("tag", tag);
                int got = m.match(ImaptestMatcher.compile(cmd.reply), reply, Integer.MAX_VALUE, true);
                m.vars.remove("tag");
                if (got != ImaptestMatcher.FULL) {
                    m.revert();
                    failures.add(new Failure(g.line(), "expected tagged reply '" + cmd.reply + "', got '" + r + "'"));
                } else {
                    m.keep();
                }
                if (bad && !cmd.reply.toLowerCase(Locale.ROOT).startsWith("bad")) {
                    // imaptest's client gives up on a connection that got an unexpected BAD
                    failures.add(new Failure(g.line(), "BAD reply for command: " + cmd.text));
                    return false;
                }
                String lower = cmd.text.toLowerCase(Locale.ROOT);
                if ((lower.equals("close") || lower.equals("unselect")) && r.text().startsWith(tag + " OK")) {
                    exists[conn] = 0;
                }
            }
        } catch (EOFException e) {
            closed[conn] = true;
            if (!(g.expectsBye && sawBye)) {
                failures.add(new Failure(g.line(), "unexpected disconnection"));
                return false;
            }
            for (Cmd c : g.commands) {
                if (!"\"\"".equals(c.reply)) {
                    failures.add(new Failure(g.line(), "command expected '" + c.reply + "' but the server said BYE"));
                }
            }
        } catch (SocketTimeoutException e) {
            failures.add(new Failure(g.line(), "timeout: no reply for " + pending));
            return false;
        }
        if (sawBye) {
            closed[conn] = true;
        }
        for (int i = 0; i < expected.size(); i++) {
            if (!found[i] && g.untagged.get(i).existence() == Existence.MUST) {
                failures.add(new Failure(g.line(), "missing untagged reply: " + g.untagged.get(i).text()));
            }
        }
        if (!script.ignoreExtraUntagged && firstExtra != null) {
            failures.add(new Failure(g.line(), extras + " unexpected untagged replies, first: " + firstExtra));
        }
        if (g.sleepMillis > 0) {
            sleep(g.sleepMillis);
        }
        return true;
    }

    /** test_handle_untagged_match; returns whether the reply matched any expected one. */
    private boolean matchUntagged(Group g, List<List<Pat>> expected, boolean[] found, List<Arg> args, String tag) {
        if (expected.isEmpty()) {
            return script.ignoreExtraUntagged;
        }
        boolean prefix = !args.isEmpty() && args.getFirst().kind() == ImapArgs.Kind.ATOM
                && Set.of("OK", "NO", "BAD", "BYE").contains(args.getFirst().upper());
        boolean any = false;
        for (int i = 0; i < expected.size(); i++) {
            if (found[i]) {
                continue;
            }
            m.vars.put("tag", tag);
            int got = m.match(expected.get(i), args, Integer.MAX_VALUE, prefix);
            m.vars.remove("tag");
            if (got == ImaptestMatcher.FULL) {
                if (g.untagged.get(i).existence() == Existence.MUST_NOT) {
                    failures.add(new Failure(g.line(), "unexpected untagged match: " + g.untagged.get(i).text()));
                    m.revert();
                    return true;
                }
                m.keep();
                found[i] = true;
                any = true;
                if (g.ordered) {
                    break;
                }
                continue;
            }
            m.revert();
            if (g.ordered && g.untagged.get(i).existence() == Existence.MUST) {
                break;
            }
        }
        return any;
    }

    /** imaptest sends every literal as a non-synchronizing one (LITERAL+, RFC 7888). */
    private static String literalPlus(String text) {
        Matcher lit = LITERAL.matcher(text);
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (lit.find(at)) {
            out.append(text, at, lit.start()).append(lit.group(1)).append(lit.group(2)).append("+}\r\n");
            int size = Integer.parseInt(lit.group(2));
            int end = Math.min(text.length(), lit.end() + size);
            out.append(text, lit.end(), end);
            at = end;
        }
        return out.append(text.substring(at)).toString();
    }

    /** Whether "append ARGS" carries its message (a literal or CATENATE) rather than taking one from the mbox. */
    private static boolean appendHasBody(String args) {
        List<Arg> a = ImapArgs.parse(args);
        int i = 1;
        if (i < a.size() && a.get(i).kind() == ImapArgs.Kind.LIST) {
            i++;
        }
        if (i < a.size() && a.get(i).kind() == ImapArgs.Kind.STRING) {
            i++;
        }
        return i < a.size() && (a.get(i).kind() == ImapArgs.Kind.LITERAL || a.get(i).isAtom("catenate"));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
