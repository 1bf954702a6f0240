package org.postern.smtp.outbound;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLSocket;
import org.postern.dns.Dns;
import org.postern.dns.DnsException;
import org.postern.net.ClientTls;

/**
 * Fetches {@code https://mta-sts.DOMAIN/.well-known/mta-sts.txt} (RFC 8461 §3.3): HTTPS with a
 * certificate valid for that name, HTTP/1.1, no redirects followed, status 200 only, at most
 * 64 KiB, within a time limit. The host is resolved through Postern's own {@link Dns}.
 */
final class PolicyFetcher implements PolicySource {
    static final int MAX_BYTES = 64 * 1024;

    private final Dns dns;
    private final ClientTls tls;
    private final int port;
    private final Duration timeout;

    PolicyFetcher(Dns dns, ClientTls tls, int port, Duration timeout) {
        this.dns = dns;
        this.tls = tls;
        this.port = port;
        this.timeout = timeout;
    }

    @Override
    public String fetch(String domain) throws IOException {
        String host = "mta-sts." + domain;
        List<InetAddress> addresses;
        try {
            addresses = dns.addresses(host);
        } catch (DnsException e) {
            throw new IOException(e.getMessage());
        }
        if (addresses.isEmpty()) {
            throw new IOException(host + " has no address");
        }
        IOException last = null;
        for (InetAddress a : addresses) {
            try (SSLSocket s = tls.connect(new InetSocketAddress(a, port), host, timeout)) {
                s.setSoTimeout((int) timeout.toMillis());
                return get(s, host);
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    private static String get(SSLSocket s, String host) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(("GET /.well-known/mta-sts.txt HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: Postern\r\n"
                + "Accept: text/plain\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        String status = line(in);
        if (!status.matches("HTTP/1\\.[01] 200( .*)?")) {
            throw new IOException(host + " answered " + status + " (RFC 8461 §3.3: 200 only, no redirects)");
        }
        long length = -1;
        boolean chunked = false;
        for (String h; !(h = line(in)).isEmpty(); ) {
            String l = h.toLowerCase(Locale.ROOT);
            if (l.startsWith("content-length:")) {
                length = Long.parseLong(l.substring(15).strip());
            } else if (l.startsWith("transfer-encoding:") && l.contains("chunked")) {
                chunked = true;
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            for (int size; (size = Integer.parseInt(line(in).split(";")[0].strip(), 16)) > 0; ) {
                copy(in, body, size);
                line(in);
            }
        } else if (length >= 0) {
            if (length > MAX_BYTES) {
                throw new IOException(host + ": policy larger than " + MAX_BYTES + " bytes");
            }
            copy(in, body, (int) length);
        } else {
            copy(in, body, -1);
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    private static void copy(InputStream in, ByteArrayOutputStream body, int n) throws IOException {
        byte[] buf = new byte[8192];
        int left = n;
        while (n < 0 || left > 0) {
            int r = in.read(buf, 0, n < 0 ? buf.length : Math.min(buf.length, left));
            if (r < 0) {
                if (n < 0) {
                    return;
                }
                throw new IOException("policy cut short");
            }
            body.write(buf, 0, r);
            left -= r;
            if (body.size() > MAX_BYTES) {
                throw new IOException("policy larger than " + MAX_BYTES + " bytes");
            }
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new IOException("the HTTPS server closed the connection");
            }
            if (b.size() > 8192) {
                throw new IOException("HTTP line too long");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }
}
