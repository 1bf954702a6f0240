package org.postern.net;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny line protocol for tests: greets with "hello", echoes lines, and knows QUIT, STARTTLS,
 * INFO (TLS parameters), SLOW (longer idle timeout), CRASH; refusals say "busy REASON".
 */
class EchoHandler implements ConnectionHandler {
    final AtomicInteger handled = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();
    final List<String> threads = new CopyOnWriteArrayList<>();

    @Override
    public void handle(Connection c) throws IOException {
        handled.incrementAndGet();
        Thread t = Thread.currentThread();
        threads.add(t.getName() + (t.isVirtual() ? " virtual" : " platform"));
        OutputStream out = c.out(); // held across STARTTLS on purpose: it must follow the upgrade
        send(out, "hello");
        while (true) {
            Line line;
            try {
                line = c.reader().readLine();
            } catch (LineTooLongException e) {
                send(out, "too long " + e.skippedBytes());
                if (!e.resynced()) {
                    return;
                }
                continue;
            } catch (IdleTimeoutException e) {
                send(out, "timeout");
                throw e;
            }
            if (line == null) {
                return;
            }
            String s = line.latin1();
            switch (s) {
                case "QUIT" -> {
                    send(out, "bye");
                    return;
                }
                case "STARTTLS" -> {
                    if (!c.canStartTls()) {
                        send(out, "454 TLS not available");
                        continue;
                    }
                    send(out, "220 go ahead");
                    int dropped = c.startTls();
                    send(out, "tls dropped=" + dropped);
                }
                case "INFO" -> send(out, c.tlsInfo().map(i -> i.protocol() + " " + i.cipherSuite()).orElse("plain"));
                case "SLOW" -> {
                    c.idleTimeout(Duration.ofMillis(1500));
                    send(out, "slow");
                }
                case "CRASH" -> throw new IllegalStateException("test crash");
                default -> send(out, "echo " + s);
            }
        }
    }

    @Override
    public void refuse(Connection c, Refusal reason) throws IOException {
        refused.incrementAndGet();
        c.write("busy " + reason + "\r\n");
    }

    static void send(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
