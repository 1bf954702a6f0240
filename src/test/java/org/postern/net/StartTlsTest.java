package org.postern.net;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StartTlsTest {
    @TempDir
    Path dir;
    private Path chain;
    private PemKeyMaterial material;
    private TlsContext tls;
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        chain = dir.resolve("fullchain.pem");
        Path key = dir.resolve("privkey.pem");
        material = SelfSigned.create("localhost", chain, key);
        tls = TlsContext.load(chain, key);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
    }

    private Listener listen(TlsContext t, ConnectionHandler handler) throws IOException {
        Listener l = Listener.start(ListenerConfig.of("smtp", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withConnection(ConnectionSettings.DEFAULTS.withLineMode(LineReader.Mode.STRICT)), t, handler);
        cleanup.add(l);
        return l;
    }

    private LineClient plain(Listener l) throws IOException {
        LineClient c = LineClient.connect(l.address());
        cleanup.add(c);
        return c;
    }

    /** RFC 3207 §4.2 and CVE-2011-0411: commands pipelined behind STARTTLS must never run. */
    @Test
    void plaintextPipelinedAfterStarttlsIsDiscarded() throws Exception {
        Listener l = listen(tls, new EchoHandler());
        LineClient c = plain(l);
        assertThat(c.readLine()).isEqualTo("hello");
        String injected = "RSET\r\nMAIL FROM:<evil@example.test>\r\n";
        c.sendRaw(("STARTTLS\r\n" + injected).getBytes(US_ASCII)); // one segment
        assertThat(c.readLine()).isEqualTo("220 go ahead");
        c.upgrade(ClientTls.trustingPem(chain), "localhost");
        assertThat(c.readLine()).as("first line over TLS").isEqualTo("tls dropped=" + injected.length());
        c.send("INFO");
        assertThat(c.readLine()).startsWith("TLSv1.3 ");
        c.send("EHLO client");
        assertThat(c.readLine()).isEqualTo("echo EHLO client");
        assertThat(c.ssl().getSession().getPeerCertificates()[0]).isEqualTo(material.leaf());
    }

    @Test
    void starttlsWithoutACertificateIsNotOffered() throws Exception {
        Listener l = listen(null, new EchoHandler());
        LineClient c = plain(l);
        assertThat(c.readLine()).isEqualTo("hello");
        c.send("STARTTLS");
        assertThat(c.readLine()).isEqualTo("454 TLS not available");
        c.send("still plain");
        assertThat(c.readLine()).isEqualTo("echo still plain");
    }

    @Test
    void plaintextInsteadOfAHandshakeEndsTheConnection() throws Exception {
        Listener l = listen(tls, new EchoHandler());
        LineClient c = plain(l);
        assertThat(c.readLine()).isEqualTo("hello");
        c.send("STARTTLS");
        assertThat(c.readLine()).isEqualTo("220 go ahead");
        c.send("QUIT");
        assertThat(c.closedByServer()).isTrue();
        Await.until("connection gone", () -> l.liveConnections() == 0, Duration.ofSeconds(5));
    }

    @Test
    void clientConnectionUpgradesAndDropsWhatTheServerSentAhead() throws Exception {
        CompletableFuture<Integer> serverDropped = new CompletableFuture<>();
        ConnectionHandler injecting = c -> {
            c.write("220 ready\r\n");
            c.flush();
            c.reader().readLine(); // STARTTLS
            c.write("220 go ahead\r\n250 injected\r\n"); // a response injection, one segment
            c.flush();
            serverDropped.complete(c.startTls());
            Line l = c.reader().readLine();
            c.write("server saw " + l.latin1() + " over " + c.tlsInfo().orElseThrow().protocol() + "\r\n");
            c.flush();
        };
        Listener l = listen(tls, injecting);
        Socket socket = new Socket();
        socket.connect(l.address(), 5000);
        try (WriteWatchdog watchdog = new WriteWatchdog("client-watchdog", Duration.ofMillis(100));
             Connection c = Connection.client(socket, "client", ConnectionSettings.DEFAULTS
                     .withIdleTimeout(Duration.ofSeconds(5)).withLineMode(LineReader.Mode.STRICT), watchdog)) {
            assertThat(c.reader().readLine().latin1()).isEqualTo("220 ready");
            c.write("STARTTLS\r\n");
            c.flush();
            assertThat(c.reader().readLine().latin1()).isEqualTo("220 go ahead");
            assertThatThrownBy(c::startTls).as("no server certificate on a client connection")
                    .isInstanceOf(IllegalStateException.class);
            assertThat(c.startTls(ClientTls.trustingPem(chain), "localhost")).isEqualTo("250 injected\r\n".length());
            assertThat(c.isTls()).isTrue();
            assertThat(c.tlsSession().orElseThrow().getPeerCertificates()[0]).isEqualTo(material.leaf());
            c.write("EHLO client\r\n");
            c.flush();
            assertThat(c.reader().readLine().latin1()).isEqualTo("server saw EHLO client over TLSv1.3");
            assertThat(serverDropped.get(5, TimeUnit.SECONDS)).isZero();
        }
    }

    @Test
    void clientConnectionRefusesAServerWithTheWrongName() throws Exception {
        ConnectionHandler server = c -> {
            c.reader().readLine();
            c.write("220 go ahead\r\n");
            c.flush();
            c.startTls();
        };
        Listener l = listen(tls, server);
        Socket socket = new Socket();
        socket.connect(l.address(), 5000);
        try (WriteWatchdog watchdog = new WriteWatchdog("client-watchdog", Duration.ofMillis(100));
             Connection c = Connection.client(socket, "client", ConnectionSettings.DEFAULTS, watchdog)) {
            c.write("STARTTLS\r\n");
            c.flush();
            c.reader().readLine();
            assertThatThrownBy(() -> c.startTls(ClientTls.trustingPem(chain), "mx.other.example"))
                    .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
            assertThat(c.isTls()).isFalse();
            assertThat(c.isClosed()).as("no plaintext after a failed upgrade").isTrue();
        }
    }
}
