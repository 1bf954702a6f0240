package org.postern.smtp.outbound;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A remote MX for delivery tests: a loopback SMTP server (STARTTLS when given a certificate) whose replies a test
 * chooses, keeping every transaction it accepted. Each connection is served on its own thread;
 * every read has a timeout, so a test cannot hang on it.
 */
final class ScriptedMx implements AutoCloseable {
    /** One accepted transaction: the envelope and the data as it came (dot-stuffed, before the final dot). */
    record Received(String mailFrom, List<String> rcpts, String data) {}

    final List<Received> received = new CopyOnWriteArrayList<>();
    /** Every command line received, in order (not the data). */
    final List<String> commands = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger concurrent = new AtomicInteger();
    final AtomicInteger maxConcurrent = new AtomicInteger();
    volatile String greeting = "220 mx.b.test ESMTP";
    volatile List<String> extensions = List.of("PIPELINING", "8BITMIME", "SIZE 10000000");
    volatile Function<String, String> rcpt = a -> "250 2.1.5 OK";
    volatile String afterData = "250 2.0.0 queued";
    /** When set, STARTTLS is offered with this certificate. */
    volatile org.postern.net.TlsContext tls;
    /** When set, the reply after the data waits for it (tests of concurrency). */
    volatile CountDownLatch holdData;

    private final ServerSocket socket;
    private final Thread acceptor;

    ScriptedMx(String address) throws IOException {
        socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.ofLiteral(address), 0));
        acceptor = Thread.ofPlatform().daemon().name("scripted-mx").start(this::accept);
    }

    int port() {
        return socket.getLocalPort();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        connections.incrementAndGet();
        int now = concurrent.incrementAndGet();
        maxConcurrent.accumulateAndGet(now, Math::max);
        try (s) {
            s.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = s.getOutputStream();
            boolean secure = false;
            reply(out, greeting);
            if (!greeting.startsWith("220")) {
                return;
            }
            String from = null;
            List<String> rcpts = new ArrayList<>();
            for (String line; (line = in.readLine()) != null; ) {
                commands.add(line);
                String u = line.toUpperCase(java.util.Locale.ROOT);
                if (u.startsWith("EHLO")) {
                    StringBuilder r = new StringBuilder("250");
                    List<String> ext = new ArrayList<>(extensions);
                    if (tls != null && !secure) {
                        ext.add("STARTTLS");
                    }
                    r.append(ext.isEmpty() ? " " : "-").append("mx.b.test");
                    for (int i = 0; i < ext.size(); i++) {
                        r.append("\r\n250").append(i == ext.size() - 1 ? " " : "-").append(ext.get(i));
                    }
                    reply(out, r.toString());
                } else if (u.startsWith("MAIL FROM:<")) {
                    from = line.substring(11, line.indexOf('>'));
                    rcpts.clear();
                    reply(out, "250 2.1.0 OK");
                } else if (u.startsWith("RCPT TO:<")) {
                    String a = line.substring(9, line.indexOf('>'));
                    String r = rcpt.apply(a);
                    if (r.startsWith("2")) {
                        rcpts.add(a);
                    }
                    reply(out, r);
                } else if (u.equals("DATA")) {
                    reply(out, "354 go ahead");
                    StringBuilder data = new StringBuilder();
                    for (String l; (l = in.readLine()) != null && !l.equals("."); ) {
                        data.append(l).append("\r\n");
                    }
                    CountDownLatch hold = holdData;
                    if (hold != null) {
                        hold.await(10, TimeUnit.SECONDS);
                    }
                    if (afterData.startsWith("2")) {
                        received.add(new Received(from, List.copyOf(rcpts), data.toString()));
                    }
                    reply(out, afterData);
                } else if (u.equals("STARTTLS") && tls != null && !secure) {
                    reply(out, "220 2.0.0 go ahead");
                    javax.net.ssl.SSLSocket t = tls.wrap(s);
                    t.startHandshake();
                    secure = true;
                    in = new BufferedReader(new InputStreamReader(t.getInputStream(), StandardCharsets.UTF_8));
                    out = t.getOutputStream();
                } else if (u.equals("RSET") || u.equals("NOOP")) {
                    reply(out, "250 2.0.0 OK");
                } else if (u.equals("QUIT")) {
                    reply(out, "221 2.0.0 bye");
                    return;
                } else {
                    reply(out, "502 5.5.1 not here");
                }
            }
        } catch (IOException | InterruptedException e) {
            // the test ended the conversation
        } finally {
            concurrent.decrementAndGet();
        }
    }

    private static void reply(OutputStream out, String r) throws IOException {
        out.write((r + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
