package org.postern.imap.conformance;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postern.imap.conformance.ConformanceServer.Connection;
import org.postern.imap.conformance.MptScript.Client;
import org.postern.imap.conformance.MptScript.Element;
import org.postern.imap.conformance.MptScript.Origin;
import org.postern.imap.conformance.MptScript.Server;

/**
 * Plays one MPT script against Postern over sockets, step by step. A step is the client lines up
 * to the next expected server line, then the expected lines up to the next client line; the
 * responses read for it are compared by {@link MptMatcher}. Reading stops at the tagged responses
 * the step expects (so a difference never throws the rest of the script out of step), or, for a
 * step that expects no tagged response, after as many lines as it expects.
 */
final class MptRun {
    /** What went differently in one step. */
    record StepDifference(Origin step, MptMatcher.Difference difference) {}

    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)\\+?}$");
    private static final Pattern SASL_LITERAL = Pattern.compile("(?i)(\\S+ AUTHENTICATE \"?PLAIN\"? \\{)\\d+(\\+?})");
    /** A tag as a script writes it: ASTRING-CHARs without "+" (RFC 9051 §9), no regular expression. */
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9!#&',\\-./:;<=>?@^_`|~\\[\\]]+");
    /** James's over-TCP runner replaces the greeting with this line (FORMAT.md §3). */
    private static final String GREETING = "* OK IMAP4rev1 Server ready";
    private static final int UNTAGGED_WAIT_MILLIS = 1500;

    private final ConformanceServer server;
    private final MptMatcher matcher;
    private final MptTranslation translation;
    private final List<StepDifference> differences = new ArrayList<>();
    /** What went over the wire, when tracing (-Dconformance.trace=true). */
    private final List<String> trace = Boolean.getBoolean("conformance.trace") ? new ArrayList<>() : null;
    private Conn[] conns;
    private String abortedAt;

    /** One connection of the script, with what it needs to know about its own output. */
    private static final class Conn {
        Connection c;
        boolean greetingPending = true;
        long literalLeft;
        boolean closed;

        Conn(Connection c) {
            this.c = c;
        }
    }

    MptRun(ConformanceServer server, MptMatcher matcher, MptTranslation translation) {
        this.server = server;
        this.matcher = matcher;
        this.translation = translation;
    }

    /**
     * Plays the elements on {@code connections} connections, then the postamble unless the script
     * closed a connection itself (LOGOUT); returns the differences found.
     */
    List<StepDifference> play(List<Element> elements, List<Element> postamble, int connections) throws IOException {
        conns = new Conn[connections];
        for (int i = 0; i < connections; i++) {
            conns[i] = new Conn(server.connect());
        }
        try {
            playAll(elements);
            if (java.util.Arrays.stream(conns).noneMatch(c -> c.closed)) {
                playAll(postamble);
            }
        } finally {
            for (Conn c : conns) {
                try {
                    c.c.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
        return differences;
    }

    private void playAll(List<Element> elements) throws IOException {
        Integer target = null;
        int i = 0;
        while (i < elements.size() && abortedAt == null) {
            Element e = elements.get(i);
            switch (e) {
                case MptScript.Session s -> {
                    target = s.number();
                    i++;
                }
                case MptScript.Reinit r -> {
                    for (Conn c : targets(target)) {
                        c.c.close();
                        c.c = server.connect();
                        c.c.read();
                        c.greetingPending = false;
                        c.literalLeft = 0;
                        c.closed = false;
                    }
                    i++;
                }
                case MptScript.Wait w -> {
                    sleep(w.millis());
                    i++;
                }
                default -> {
                    List<Client> clients = new ArrayList<>();
                    while (i < elements.size() && elements.get(i) instanceof Client c) {
                        clients.add(c);
                        i++;
                    }
                    List<Element> expected = new ArrayList<>();
                    while (i < elements.size() && (elements.get(i) instanceof Server || elements.get(i) instanceof MptScript.Unordered)) {
                        expected.add(elements.get(i));
                        i++;
                    }
                    Origin step = !clients.isEmpty() ? clients.getFirst().origin() : expected.getFirst().origin();
                    for (Conn c : targets(target)) {
                        step(c, step, clients, expected);
                        if (abortedAt != null) {
                            break;
                        }
                    }
                }
            }
        }
    }

    /** The transcript, when tracing; else empty. */
    List<String> trace() {
        return trace == null ? List.of() : trace;
    }

    private int connectionNumber(Conn c) {
        return java.util.Arrays.asList(conns).indexOf(c);
    }

    /** Where the script stopped early (the server closed a connection or went silent), or null. */
    String abortedAt() {
        return abortedAt;
    }

    private List<Conn> targets(Integer target) {
        return target == null ? List.of(conns) : List.of(conns[target]);
    }

    private void step(Conn c, Origin step, List<Client> clients, List<Element> expected) throws IOException {
        if (c.closed) {
            differences.add(new StepDifference(step, new MptMatcher.Difference("closed", step, null, "connection already closed")));
            abortedAt = step.toString();
            return;
        }
        for (int k = 0; k < clients.size(); k++) {
            Client line = clients.get(k);
            String sent = clientLine(c, line.text());
            Matcher plain = SASL_LITERAL.matcher(sent);
            if (plain.matches() && k + 1 < clients.size()) {
                // AUTHENTICATE PLAIN with its initial response in a literal: translate the data
                // and send the literal with its new size.
                String data = translation.saslPlain(clients.get(++k).text());
                c.literalLeft = 0;
                sent = plain.group(1) + data.length() + plain.group(2) + "\r\n" + data;
            }
            if (trace != null) {
                trace.add(connectionNumber(c) + " C: " + sent);
            }
            c.c.send(sent);
        }
        if (expected.isEmpty()) {
            return;
        }
        List<Element> translated = new ArrayList<>();
        for (Element e : expected) {
            translated.add(switch (e) {
                case Server s -> new Server(translation.expected(s.regex()), s.origin());
                case MptScript.Unordered u -> new MptScript.Unordered(
                        u.lines().stream().map(s -> new Server(translation.expected(s.regex()), s.origin())).toList(), u.origin());
                default -> e;
            });
        }
        List<MptMatcher.Group> groups = matcher.groups(translated);
        List<ServerResponse> responses = new ArrayList<>();
        String failure = read(c, translated, groups, responses);
        if (responses.stream().anyMatch(r -> r.text().startsWith("* BYE"))) {
            c.closed = true; // the server said it closes the connection (LOGOUT, or ending the session)
        }
        for (MptMatcher.Difference d : matcher.compareStep(groups, responses)) {
            differences.add(new StepDifference(step, d));
        }
        if (failure != null) {
            differences.add(new StepDifference(step, new MptMatcher.Difference(failure.startsWith("closed") ? "closed" : "timeout",
                    step, null, failure)));
            if (failure.startsWith("closed")) {
                c.closed = true;
                // A script may expect the server to close (BYE); only a later step on it aborts.
            } else {
                abortedAt = step.toString();
            }
        }
    }

    /** Reads the responses of a step; returns null, or why reading stopped early. */
    private String read(Conn c, List<Element> expected, List<MptMatcher.Group> groups, List<ServerResponse> out)
            throws IOException {
        Set<String> tags = new TreeSet<>();
        int expectedLines = 0;
        boolean wantsContinuation = false;
        for (Element e : expected) {
            List<Server> lines = e instanceof Server s ? List.of(s) : ((MptScript.Unordered) e).lines();
            for (Server s : lines) {
                expectedLines++;
                String first = s.regex().split(" ", 2)[0];
                if (first.startsWith("\\+") || first.startsWith("+")) {
                    wantsContinuation = true;
                } else if (TAG.matcher(MptMatcher.deEscape(first)).matches() && !isInsideLiteral(s, groups)) {
                    tags.add(MptMatcher.deEscape(first));
                }
            }
        }
        int lines = 0;
        try {
            while (true) {
                ServerResponse r;
                if (tags.isEmpty()) {
                    if (lines >= expectedLines) {
                        return null;
                    }
                    try {
                        r = c.c.read(UNTAGGED_WAIT_MILLIS);
                    } catch (SocketTimeoutException e) {
                        return null; // the lines the step expects did not come; the comparison says which
                    }
                } else {
                    r = c.c.read();
                }
                if (c.greetingPending) {
                    c.greetingPending = false;
                    r = new ServerResponse(GREETING, List.of(GREETING));
                }
                out.add(r);
                if (trace != null) {
                    trace.add(connectionNumber(c) + " S: " + r);
                }
                lines += r.lines().size();
                if (r.tag() != null) {
                    tags.remove(r.tag());
                    if (tags.isEmpty()) {
                        return null;
                    }
                }
                if (r.isContinuation() && (wantsContinuation || !tags.isEmpty())) {
                    return null;
                }
            }
        } catch (SocketTimeoutException e) {
            return "timeout: no tagged response for " + tags;
        } catch (EOFException e) {
            return "closed: " + e.getMessage();
        }
    }

    /** Whether a line is one of the literal lines of an expected response (not a response of its own). */
    private static boolean isInsideLiteral(Server s, List<MptMatcher.Group> groups) {
        for (MptMatcher.Group g : groups) {
            if (g.lines().size() > 1 && g.lines().indexOf(s) > 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * A client line as it goes on the wire: command lines translated, literal data as it is.
     * Literal sizes are tracked so that data is never taken for a command.
     */
    private String clientLine(Conn c, String text) {
        long bytes = text.length() + 2L;
        if (c.literalLeft >= bytes) {
            c.literalLeft -= bytes;
            return text;
        }
        String line;
        if (c.literalLeft > 0) {
            // The literal ends inside this line; the rest continues the command.
            int cut = (int) Math.min(text.length(), c.literalLeft);
            line = text;
            c.literalLeft = 0;
            String rest = text.substring(cut);
            Matcher m = LITERAL.matcher(rest);
            if (m.find()) {
                c.literalLeft = Long.parseLong(m.group(1));
            }
            return line;
        }
        line = translation.command(text);
        Matcher m = LITERAL.matcher(line);
        if (m.find()) {
            c.literalLeft = Long.parseLong(m.group(1));
        }
        return line;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(Math.min(millis, 2000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
