package org.postern.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ListenerTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
    }

    private Listener start(ListenerConfig config, ConnectionHandler handler) throws IOException {
        Listener l = Listener.start(config, null, handler);
        cleanup.add(l);
        return l;
    }

    private static ListenerConfig config() {
        return ListenerConfig.of("echo", new InetSocketAddress(LOOPBACK, 0));
    }

    private LineClient client(Listener l) throws IOException {
        return client(l, null);
    }

    private LineClient client(Listener l, InetAddress from) throws IOException {
        LineClient c = LineClient.connect(l.address(), from);
        cleanup.add(c);
        return c;
    }

    @Test
    void servesEachConnectionOnANamedVirtualThread() throws Exception {
        EchoHandler handler = new EchoHandler();
        Listener l = start(config(), handler);
        assertThat(l.port()).isPositive();
        LineClient c = client(l);
        assertThat(c.readLine()).isEqualTo("hello");
        c.send("A1 NOOP");
        assertThat(c.readLine()).isEqualTo("echo A1 NOOP");
        c.send("INFO");
        assertThat(c.readLine()).isEqualTo("plain");
        c.send("QUIT");
        assertThat(c.readLine()).isEqualTo("bye");
        assertThat(c.closedByServer()).isTrue();
        assertThat(handler.threads).containsExactly(
                "echo-127.0.0.1:" + c.socket().getLocalPort() + " virtual");
        Await.until("connection gone", () -> l.liveConnections() == 0, Duration.ofSeconds(5));
    }

    @Test
    void listensOnIpv6() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        try (ServerSocket probe = new ServerSocket(0, 1, v6)) {
            assertThat(probe.getLocalPort()).isPositive();
        } catch (IOException e) {
            Assumptions.abort("no IPv6 loopback here: " + e);
        }
        EchoHandler handler = new EchoHandler();
        Listener l = start(ListenerConfig.of("imap", new InetSocketAddress(v6, 0)), handler);
        LineClient c = client(l);
        assertThat(c.readLine()).isEqualTo("hello");
        c.send("x");
        assertThat(c.readLine()).isEqualTo("echo x");
        assertThat(handler.threads).containsExactly("imap-[0:0:0:0:0:0:0:1]:" + c.socket().getLocalPort() + " virtual");
        assertThat(l.liveConnections(v6)).isEqualTo(1);
    }

    @Test
    void globalLimitRefusesWithTheProtocolsWordsAndFreesOnClose() throws Exception {
        EchoHandler handler = new EchoHandler();
        Listener l = start(config().withMaxConnections(2), handler);
        LineClient a = client(l);
        LineClient b = client(l);
        assertThat(a.readLine()).isEqualTo("hello");
        assertThat(b.readLine()).isEqualTo("hello");

        LineClient c = client(l);
        assertThat(c.readLine()).isEqualTo("busy TOO_MANY_CONNECTIONS");
        assertThat(c.closedByServer()).isTrue();
        assertThat(handler.refused.get()).isEqualTo(1);

        a.send("QUIT");
        assertThat(a.readLine()).isEqualTo("bye");
        Await.until("a released", () -> l.liveConnections() == 1, Duration.ofSeconds(5));
        LineClient d = client(l);
        assertThat(d.readLine()).isEqualTo("hello");
        assertThat(handler.handled.get()).isEqualTo(3);
    }

    @Test
    void perAddressLimitCountsEachClientAddress() throws Exception {
        EchoHandler handler = new EchoHandler();
        Listener l = start(config().withMaxConnections(10).withMaxConnectionsPerAddress(2), handler);
        InetAddress one = InetAddress.getByName("127.0.0.1");
        InetAddress two = InetAddress.getByName("127.0.0.2");
        LineClient a = client(l, one);
        LineClient b = client(l, one);
        assertThat(a.readLine()).isEqualTo("hello");
        assertThat(b.readLine()).isEqualTo("hello");

        LineClient c = client(l, one);
        assertThat(c.readLine()).isEqualTo("busy TOO_MANY_FROM_ADDRESS");
        assertThat(c.closedByServer()).isTrue();

        LineClient d = client(l, two);
        assertThat(d.readLine()).isEqualTo("hello");
        assertThat(l.liveConnections(one)).isEqualTo(2);
        assertThat(l.liveConnections(two)).isEqualTo(1);

        b.close();
        Await.until("b released", () -> l.liveConnections(one) == 1, Duration.ofSeconds(5));
        LineClient e = client(l, one);
        assertThat(e.readLine()).isEqualTo("hello");
    }

    @Test
    void ipv6ClientsAreCountedPerSlash64() throws Exception {
        InetAddress a = InetAddress.getByName("2001:db8:1:2:aaaa::1");
        InetAddress b = InetAddress.getByName("2001:db8:1:2:bbbb::2");
        InetAddress other = InetAddress.getByName("2001:db8:1:3::1");
        AddressLimiter limiter = new AddressLimiter(1);
        InetAddress key = limiter.tryEnter(a);
        assertThat(key).isNotNull();
        assertThat(limiter.tryEnter(b)).as("same /64").isNull();
        assertThat(limiter.tryEnter(other)).isNotNull();
        limiter.leave(key);
        assertThat(limiter.tryEnter(b)).isNotNull();
        assertThat(AddressLimiter.keyOf(InetAddress.getByName("192.0.2.1"))).isEqualTo(InetAddress.getByName("192.0.2.1"));
    }

    @Test
    void idleTimeoutSurfacesAsItsOwnExceptionAndCanChangePerState() throws Exception {
        EchoHandler handler = new EchoHandler();
        Listener l = start(config().withConnection(ConnectionSettings.DEFAULTS.withIdleTimeout(Duration.ofMillis(300))), handler);
        LineClient c = client(l);
        assertThat(c.readLine()).isEqualTo("hello");
        c.send("SLOW"); // 1500 ms from now on
        assertThat(c.readLine()).isEqualTo("slow");
        Thread.sleep(700); // longer than the first timeout
        c.send("still here");
        assertThat(c.readLine()).isEqualTo("echo still here");
        long start = System.nanoTime();
        assertThat(c.readLine()).isEqualTo("timeout");
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(waited).isBetween(1000L, 4000L);
        assertThat(c.closedByServer()).isTrue();
    }

    @Test
    void idleTimeoutClosesASilentClient() throws Exception {
        Listener l = start(config().withConnection(ConnectionSettings.DEFAULTS.withIdleTimeout(Duration.ofMillis(200))),
                new EchoHandler());
        LineClient c = client(l);
        assertThat(c.readLine()).isEqualTo("hello");
        assertThat(c.readLine()).isEqualTo("timeout");
        assertThat(c.closedByServer()).isTrue();
    }

    @Test
    void writeToAClientThatDoesNotReadTimesOut() throws Exception {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        ConnectionHandler flood = c -> {
            c.reader().readLine();
            byte[] chunk = new byte[64 * 1024];
            try {
                for (long sent = 0; sent < (1L << 30); sent += chunk.length) {
                    c.out().write(chunk);
                }
                c.flush();
                outcome.complete(null);
            } catch (IOException e) {
                outcome.complete(e);
                throw e;
            }
        };
        Listener l = start(config().withConnection(ConnectionSettings.DEFAULTS.withWriteTimeout(Duration.ofMillis(500))), flood);
        LineClient c = client(l);
        c.socket().setReceiveBufferSize(4096);
        c.send("go, but I will not read");
        Throwable t = outcome.get(10, TimeUnit.SECONDS);
        assertThat(t).isInstanceOf(WriteTimeoutException.class);
        Await.until("connection gone", () -> l.liveConnections() == 0, Duration.ofSeconds(5));
    }

    @Test
    void overLongLineIsAnsweredAndTheSessionGoesOn() throws Exception {
        Listener l = start(config().withConnection(ConnectionSettings.DEFAULTS.withMaxLineBytes(32)), new EchoHandler());
        LineClient c = client(l);
        assertThat(c.readLine()).isEqualTo("hello");
        c.send("x".repeat(100_000));
        assertThat(c.readLine()).isEqualTo("too long 100000");
        c.send("after");
        assertThat(c.readLine()).isEqualTo("echo after");
    }

    @Test
    void handlerFailureClosesTheConnectionAndReleasesItsPermit() throws Exception {
        EchoHandler handler = new EchoHandler();
        Listener l = start(config().withMaxConnections(1), handler);
        LineClient a = client(l);
        assertThat(a.readLine()).isEqualTo("hello");
        a.send("CRASH");
        assertThat(a.closedByServer()).isTrue();
        Await.until("a released", () -> l.liveConnections() == 0, Duration.ofSeconds(5));
        LineClient b = client(l);
        assertThat(b.readLine()).isEqualTo("hello");
    }

    @Test
    void permitsComeBackAfterManyShortConnections() throws Exception {
        EchoHandler handler = new EchoHandler();
        Listener l = start(config().withMaxConnections(2).withMaxConnectionsPerAddress(2), handler);
        for (int i = 0; i < 60; i++) {
            try (LineClient c = LineClient.connect(l.address())) {
                assertThat(c.readLine()).as("connection %d", i).isIn("hello", "busy TOO_MANY_CONNECTIONS",
                        "busy TOO_MANY_FROM_ADDRESS");
                if (i % 3 == 0) {
                    c.send("QUIT");
                }
            }
        }
        Await.until("all released", () -> l.liveConnections() == 0, Duration.ofSeconds(5));
        LineClient last = client(l);
        assertThat(last.readLine()).isEqualTo("hello");
        LineClient second = client(l);
        assertThat(second.readLine()).isEqualTo("hello");
    }

    @Test
    void closeStopsAcceptingAndClosesLiveConnections() throws Exception {
        EchoHandler handler = new EchoHandler();
        Listener l = Listener.start(config(), null, handler);
        List<LineClient> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            LineClient c = client(l);
            assertThat(c.readLine()).isEqualTo("hello");
            clients.add(c);
        }
        assertThat(l.liveConnections()).isEqualTo(3);
        long start = System.nanoTime();
        l.close();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3000);
        assertThat(l.liveConnections()).isZero();
        for (LineClient c : clients) {
            assertThat(c.closedByServer()).isTrue();
        }
        assertThatThrownBy(() -> LineClient.connect(l.address()).close()).isInstanceOf(ConnectException.class);
        l.close(); // twice is harmless
    }

    @Test
    void bindingATakenPortNamesTheListener() throws Exception {
        Listener first = start(config(), new EchoHandler());
        assertThatThrownBy(() -> Listener.start(ListenerConfig.of("pop3", first.address()), null, new EchoHandler()))
                .isInstanceOf(IOException.class).hasMessageStartingWith("pop3: cannot listen on 127.0.0.1:" + first.port());
    }
}
