package org.postern.dns;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * A tiny authoritative DNS server for tests, on a loopback UDP port, answering from a {@link Zone}
 * with dnsjava's message classes, so the real {@link DnsJavaResolver} (and through it the whole
 * server) can be pointed at it. TTLs are 0 and negative answers carry an SOA with minimum 0, so
 * a test that changes the zone is seen at once.
 */
public final class TestDnsServer implements AutoCloseable {
    public final Zone zone;
    private final DatagramSocket socket;
    private final Thread thread;

    public TestDnsServer(Zone zone) throws SocketException {
        this.zone = zone;
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.thread = Thread.ofPlatform().daemon().name("test-dns").start(this::serve);
    }

    /** "127.0.0.1:PORT", for dns.resolvers. */
    public String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    private void serve() {
        byte[] buf = new byte[4096];
        while (!socket.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                Message q = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
                byte[] out = answer(q);
                socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
            } catch (IOException | RuntimeException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private byte[] answer(Message q) throws IOException {
        Record question = q.getQuestion();
        Message r = new Message(q.getHeader().getID());
        r.getHeader().setFlag(Flags.QR);
        r.getHeader().setFlag(Flags.AA);
        r.getHeader().setFlag(Flags.RA);
        if (q.getHeader().getFlag(Flags.RD)) {
            r.getHeader().setFlag(Flags.RD);
        }
        r.addRecord(question, Section.QUESTION);
        Name name = question.getName();
        String key = name.toString(true);
        if (question.getType() == Type.PTR) {
            key = reverse(key);
        }
        Map<String, Object> data = zone.snapshot(key);
        zone.questions.incrementAndGet();
        if ((Boolean) data.get("fail")) {
            r.getHeader().setRcode(Rcode.SERVFAIL);
            return r.toWire();
        }
        if (!(Boolean) data.get("exists") && !(question.getType() == Type.PTR && !((List<?>) data.get("ptr")).isEmpty())) {
            r.getHeader().setRcode(Rcode.NXDOMAIN);
            r.addRecord(soa(), Section.AUTHORITY);
            return r.toWire();
        }
        List<Record> answers = new ArrayList<>();
        switch (question.getType()) {
            case Type.MX -> {
                for (Mx m : (List<Mx>) data.get("mx")) {
                    answers.add(new MXRecord(name, DClass.IN, 0, m.preference(), Name.fromString(m.host().isEmpty() ? "." : m.host() + ".")));
                }
            }
            case Type.A -> ((List<InetAddress>) data.get("a")).forEach(a -> answers.add(new ARecord(name, DClass.IN, 0, a)));
            case Type.AAAA -> ((List<InetAddress>) data.get("aaaa")).forEach(a -> answers.add(new AAAARecord(name, DClass.IN, 0, a)));
            case Type.TXT -> {
                for (String t : (List<String>) data.get("txt")) {
                    List<String> pieces = new ArrayList<>();
                    for (int i = 0; i < t.length(); i += 255) {
                        pieces.add(t.substring(i, Math.min(t.length(), i + 255)));
                    }
                    answers.add(new TXTRecord(name, DClass.IN, 0, pieces.isEmpty() ? List.of("") : pieces));
                }
            }
            case Type.PTR -> {
                for (String p : (List<String>) data.get("ptr")) {
                    answers.add(new PTRRecord(name, DClass.IN, 0, Name.fromString(p + ".")));
                }
            }
            default -> {
            }
        }
        answers.forEach(a -> r.addRecord(a, Section.ANSWER));
        if (answers.isEmpty()) {
            r.addRecord(soa(), Section.AUTHORITY);
        }
        int max = q.getOPT() != null ? Math.max(512, q.getOPT().getPayloadSize()) : 512;
        return r.toWire(max);
    }

    private static Record soa() throws IOException {
        Name zone = Name.fromString("test.");
        return new SOARecord(zone, DClass.IN, 0, Name.fromString("ns.test."), Name.fromString("hostmaster.test."), 1, 60, 60, 60, 0);
    }

    /** "4.3.2.1.in-addr.arpa" to "1.2.3.4"; the 32 nibbles of ip6.arpa to an IPv6 address. */
    private static String reverse(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        if (n.endsWith(".in-addr.arpa")) {
            String[] p = n.substring(0, n.length() - ".in-addr.arpa".length()).split("\\.");
            return p[3] + "." + p[2] + "." + p[1] + "." + p[0];
        }
        if (n.endsWith(".ip6.arpa")) {
            String[] p = n.substring(0, n.length() - ".ip6.arpa".length()).split("\\.");
            StringBuilder sb = new StringBuilder();
            for (int i = p.length - 1; i >= 0; i--) {
                sb.append(p[i]);
                if (i % 4 == 0 && i > 0) {
                    sb.append(':');
                }
            }
            return InetAddress.ofLiteral(sb.toString()).getHostAddress();
        }
        return n;
    }

    @Override
    public void close() {
        socket.close();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
