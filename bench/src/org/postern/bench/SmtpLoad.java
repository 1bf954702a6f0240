package org.postern.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SMTP load of issue 4: Postfix's {@code smtp-source} drives N sessions of fixed-size
 * messages, one message per connection, into an MX listener, while an IMAP session polls the
 * recipient's INBOX with STATUS. Two rates come out: messages per second acknowledged (when
 * smtp-source has had every 250) and messages per second visible in the mailbox over IMAP (when
 * the last one shows in STATUS MESSAGES). For Postern the two are one, since the MX answers 250
 * only after the message is durably in the mailbox; for Postfix+Dovecot the second includes the
 * queue and the LMTP delivery.
 */
final class SmtpLoad {
    /** The figures of one server. */
    record Result(int messages, int sessions, int size, double ackSeconds, double visibleSeconds, int visible, String error) {
        double ackPerSecond() {
            return messages / ackSeconds;
        }

        double visiblePerSecond() {
            return visible < messages ? Double.NaN : messages / visibleSeconds;
        }
    }

    private static final Pattern MESSAGES = Pattern.compile("MESSAGES (\\d+)");

    private final InetSocketAddress smtp;
    private final InetSocketAddress imaps;
    private final String user;
    private final String password;

    SmtpLoad(InetSocketAddress smtp, InetSocketAddress imaps, String user, String password) {
        this.smtp = smtp;
        this.imaps = imaps;
        this.user = user;
        this.password = password;
    }

    /** Empties the recipient's INBOX (so that repeated runs do not grow it). */
    void empty() throws IOException {
        try (ImapConnection c = ImapConnection.open(imaps, 60_000)) {
            c.command("LOGIN " + user + " " + password);
            int[] exists = {0};
            c.command("SELECT INBOX", line -> {
                if (line.endsWith(" EXISTS")) {
                    exists[0] = Integer.parseInt(line.substring(2, line.indexOf(' ', 2)));
                }
            });
            if (exists[0] > 0) {
                c.command("STORE 1:* +FLAGS.SILENT (\\Deleted)");
                c.command("EXPUNGE", null);
            }
            c.command("LOGOUT");
        }
    }

    Result run(String smtpSource, int messages, int sessions, int size, double timeoutSeconds) throws Exception {
        try (ImapConnection c = ImapConnection.open(imaps, 60_000)) {
            c.command("LOGIN " + user + " " + password);
            int before = count(c);
            List<String> cmd = new ArrayList<>(List.of(smtpSource, "-s", Integer.toString(sessions), "-m", Integer.toString(messages),
                    "-l", Integer.toString(size), "-f", "bench@" + user.substring(user.indexOf('@') + 1), "-t", user,
                    smtp.getHostString() + ":" + smtp.getPort()));
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            // smtp-source prints only on trouble; read it so that it never blocks on a full pipe.
            Thread.Builder.OfVirtual reader = Thread.ofVirtual();
            StringBuilder output = new StringBuilder();
            Thread r = reader.start(() -> {
                try {
                    output.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // the process ended
                }
            });
            long deadline = t0 + (long) (timeoutSeconds * 1e9);
            double ackSeconds = Double.NaN;
            double visibleSeconds = Double.NaN;
            int seen = 0;
            while (System.nanoTime() < deadline) {
                if (Double.isNaN(ackSeconds) && !p.isAlive()) {
                    ackSeconds = (System.nanoTime() - t0) / 1e9;
                }
                seen = count(c) - before;
                if (seen >= messages) {
                    visibleSeconds = (System.nanoTime() - t0) / 1e9;
                    if (Double.isNaN(ackSeconds)) {
                        p.waitFor(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
                        ackSeconds = Math.min(visibleSeconds, (System.nanoTime() - t0) / 1e9);
                    }
                    break;
                }
                Thread.sleep(20);
            }
            String error = null;
            if (p.isAlive()) {
                p.destroyForcibly();
                error = "smtp-source did not finish in " + timeoutSeconds + " s";
            } else if (p.exitValue() != 0) {
                error = "smtp-source exited with " + p.exitValue();
            }
            r.join(5_000);
            if (error == null && !output.isEmpty()) {
                error = "smtp-source: " + output.toString().strip().lines().findFirst().orElse("");
            }
            if (error == null && seen < messages) {
                error = seen + " of " + messages + " messages visible after " + timeoutSeconds + " s";
            }
            c.command("LOGOUT");
            return new Result(messages, sessions, size, ackSeconds, visibleSeconds, seen, error);
        }
    }

    private static int count(ImapConnection c) throws IOException {
        int[] n = {-1};
        c.command("STATUS INBOX (MESSAGES)", line -> {
            Matcher m = MESSAGES.matcher(line);
            if (line.startsWith("* STATUS") && m.find()) {
                n[0] = Integer.parseInt(m.group(1));
            }
        });
        if (n[0] < 0) {
            throw new IOException("no STATUS MESSAGES in the answer");
        }
        return n[0];
    }
}
