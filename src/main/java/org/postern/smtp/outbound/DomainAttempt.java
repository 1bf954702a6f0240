package org.postern.smtp.outbound;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postern.dns.DnsException;
import org.postern.net.ClientTls;
import org.postern.net.Connection;
import org.postern.net.ConnectionSettings;
import org.postern.net.LineReader;
import org.postern.store.OutboundQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt to deliver a message to the recipients at one domain: its route, its MTA-STS
 * policy, then each MX host and each of its addresses in order until one session gives results.
 * A host that refuses the session, breaks off or fails TLS under {@code enforce} is passed over
 * for the next; a 5xx for the whole message ends the attempt.
 */
final class DomainAttempt {
    private static final Logger log = LoggerFactory.getLogger(DomainAttempt.class);

    /** How hard TLS is asked for. */
    private enum Tls { OPPORTUNISTIC, TRY_VERIFIED, REQUIRE_VERIFIED }

    private final OutboundServices s;
    private final MtaSts mtaSts;

    DomainAttempt(OutboundServices s, MtaSts mtaSts) {
        this.s = s;
        this.mtaSts = mtaSts;
    }

    List<Result> deliver(OutboundQueue.Entry entry, String domain, List<String> recipients) {
        Route route = Route.of(s.dns(), domain);
        if (route instanceof Route.Unroutable u) {
            return all(recipients, u.reason(), u.permanent(), null);
        }
        List<String> hosts = ((Route.Hosts) route).hosts();
        boolean requireTls = entry.envelope().options().requireTls();
        Optional<MtaStsPolicy> policy = mtaSts.policy(domain);
        Tls tls = Tls.OPPORTUNISTIC;
        if (!requireTls && policy.isPresent() && policy.get().mode() != MtaStsPolicy.Mode.NONE && tlsOptional(entry)) {
            // RFC 8689 §3: "TLS-Required: No" asks to deliver despite the recipient domain's TLS policy; TLS is still
            // tried first, its certificate unchecked (and the header is ignored under REQUIRETLS)
            log.info("[outbound] message {} to {}: TLS-Required: No; the MTA-STS policy is not applied", entry.id(), domain);
        } else if (policy.isPresent() && policy.get().mode() != MtaStsPolicy.Mode.NONE) {
            MtaStsPolicy p = policy.get();
            List<String> matching = hosts.stream().filter(p::matches).toList();
            if (p.mode() == MtaStsPolicy.Mode.ENFORCE) {
                if (matching.isEmpty()) { // RFC 8461 §5.1: never deliver to an MX the policy does not name
                    return all(recipients, "4.7.5 No MX host of " + domain + " matches its MTA-STS policy " + p.mx(), false, null);
                }
                hosts = matching;
                tls = Tls.REQUIRE_VERIFIED;
            } else {
                if (matching.size() < hosts.size()) {
                    log.warn("[outbound] MTA-STS testing: MX hosts of {} outside its policy: {}", domain,
                            hosts.stream().filter(h -> !p.matches(h)).toList());
                }
                tls = Tls.TRY_VERIFIED;
            }
        }
        if (requireTls) {
            tls = Tls.REQUIRE_VERIFIED; // RFC 8689 §4.2.1: a certificate checked for the MX name, under MTA-STS or not
        }
        String lastError = "4.4.1 No MX host of " + domain + " could be reached";
        String unfit = null; // a host reached that cannot take a REQUIRETLS message: a bounce, never a downgrade
        for (String host : hosts) {
            List<InetAddress> addresses;
            try {
                addresses = usable(s.dns().addresses(host));
            } catch (DnsException e) {
                lastError = "4.4.3 Cannot look up " + host + ": " + e.getMessage();
                continue;
            }
            if (addresses.isEmpty()) {
                lastError = "4.4.4 The MX host " + host + " has no usable address";
                continue;
            }
            for (InetAddress address : addresses) {
                try {
                    return session(entry, host, address, recipients, tls);
                } catch (PeerException e) {
                    if (requireTls && e.reply().startsWith(REQUIRETLS_STATUS)) {
                        unfit = e.reply(); // another MX host may yet do it
                        log.info("[outbound] message {} to {}: {}", entry.id(), domain, unfit);
                        continue;
                    }
                    if (e.permanent()) {
                        return all(recipients, e.reply(), true, host);
                    }
                    lastError = e.reply().matches("[45]\\.\\d+\\.\\d+ .*") ? e.reply() : "4.4.2 " + e.reply();
                } catch (IOException e) {
                    lastError = "4.4.1 " + host + "[" + address.getHostAddress() + "]: " + e.getMessage();
                }
                log.info("[outbound] message {} to {}: {}", entry.id(), domain, lastError);
            }
        }
        if (unfit != null) { // RFC 8689 §5: the sender learns it with 5.7.30
            return all(recipients, unfit, true, null);
        }
        return all(recipients, lastError, false, null);
    }

    /**
     * RFC 8689 §5 and its IANA registration: "REQUIRETLS support required", the status of a message that cannot be
     * relayed as REQUIRETLS demands (5.7.10, "encryption needed", is for the MAIL command
     * without TLS).
     */
    static final String REQUIRETLS_STATUS = "5.7.30";

    /**
     * RFC 8689 §3: the message carries "TLS-Required: No". Read from the stored header at each
     * attempt; a message that cannot be read is treated as without it (the policy applies).
     */
    private boolean tlsOptional(OutboundQueue.Entry entry) {
        try (InputStream in = new java.io.BufferedInputStream(Channels.newInputStream(s.blobs().open(entry.blob().sha256())))) {
            return TlsRequired.no(Dsn.header(in));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Addresses of the family the source address can reach. */
    private List<InetAddress> usable(List<InetAddress> all) {
        InetAddress src = s.settings().sourceAddress();
        if (src == null) {
            return all;
        }
        boolean v4 = src instanceof Inet4Address;
        return all.stream().filter(a -> (a instanceof Inet4Address) == v4).toList();
    }

    /**
     * One session with one address. TLS is tried in the order the policy allows: under MTA-STS
     * {@code enforce} a checked certificate or nothing; under {@code testing} a checked one, then
     * any (RFC 8461 §5: testing delivers as without a policy, and only reports); otherwise any
     * certificate. Where TLS fails, each next round connects afresh; the last is plaintext
     * (RFC 7435), except under enforce. A REQUIRETLS message (RFC 8689 §4.2.1) goes only over TLS
     * with a checked certificate, to a host that offers REQUIRETLS; anything else fails with 5.7.30.
     */
    private List<Result> session(OutboundQueue.Entry entry, String host, InetAddress address, List<String> recipients,
                                 Tls tls) throws IOException, PeerException {
        boolean requireTls = entry.envelope().options().requireTls();
        List<ClientTls> tries = switch (tls) {
            case OPPORTUNISTIC -> List.of(ClientTls.unverified());
            case TRY_VERIFIED -> List.of(s.verifiedTls(), ClientTls.unverified());
            case REQUIRE_VERIFIED -> List.of(s.verifiedTls());
        };
        for (int round = 0; round <= tries.size(); round++) {
            ClientTls ctx = round < tries.size() ? tries.get(round) : null; // null: plaintext
            if (ctx == null && tls == Tls.REQUIRE_VERIFIED) {
                break;
            }
            try (PeerSession p = connect(host, address)) {
                p.open();
                if (ctx != null && p.offers("STARTTLS")) {
                    try {
                        p.startTls(ctx);
                    } catch (IOException | PeerException e) {
                        if (requireTls) {
                            throw new PeerException(REQUIRETLS_STATUS + " " + p.remote() + ": TLS with a valid certificate for "
                                    + host + " failed, which the sender required with REQUIRETLS: " + e.getMessage(), false);
                        }
                        if (tls == Tls.REQUIRE_VERIFIED) {
                            throw new PeerException("4.7.5 " + p.remote() + ": TLS failed, which the MTA-STS policy requires: "
                                    + e.getMessage(), false);
                        }
                        log.info("[outbound] {}: STARTTLS failed ({}); trying again {}{}", p.remote(), e.getMessage(),
                                round + 1 < tries.size() ? "without checking the certificate" : "without TLS",
                                tls == Tls.TRY_VERIFIED && round == 0 ? " (MTA-STS testing: enforce would refuse)" : "");
                        continue;
                    }
                } else if (requireTls) {
                    throw new PeerException(REQUIRETLS_STATUS + " " + p.remote() + " does not offer STARTTLS, which the sender "
                            + "required with REQUIRETLS", false);
                } else if (tls == Tls.REQUIRE_VERIFIED) {
                    throw new PeerException("4.7.5 " + p.remote() + " does not offer STARTTLS, which the MTA-STS policy of the "
                            + "domain requires", false);
                } else if (tls == Tls.TRY_VERIFIED && ctx != null) {
                    log.warn("[outbound] {}: no STARTTLS (MTA-STS testing: enforce would refuse)", p.remote());
                }
                if (requireTls && !p.offers("REQUIRETLS")) { // RFC 8689 §4.2.1
                    throw new PeerException(REQUIRETLS_STATUS + " " + p.remote() + " does not offer REQUIRETLS, which the sender "
                            + "required", false);
                }
                List<Result> results = p.send(entry.envelope(), recipients, entry.blob().size(),
                        () -> Channels.newInputStream(s.blobs().open(entry.blob().sha256())));
                p.quit();
                log.info("[outbound] message {} via {}{}: {}", entry.id(), p.remote(), p.tls() ? " (TLS)" : "",
                        results.stream().map(r -> r.address() + " " + r.kind()).toList());
                return results;
            }
        }
        throw new PeerException("4.4.2 " + host + ": no session", false);
    }

    private PeerSession connect(String host, InetAddress address) throws IOException {
        OutboundSettings o = s.settings();
        Socket socket = new Socket();
        try {
            if (o.sourceAddress() != null) {
                socket.bind(new InetSocketAddress(o.sourceAddress(), 0));
            }
            socket.connect(new InetSocketAddress(address, o.port()), (int) o.connectTimeout().toMillis());
            ConnectionSettings cs = new ConnectionSettings(o.commandTimeout(), o.commandTimeout(), o.connectTimeout(),
                    64 * 1024, LineReader.Mode.LENIENT);
            Connection c = Connection.client(socket, "outbound-" + host + "[" + address.getHostAddress() + "]", cs,
                    s.watchdog());
            return new PeerSession(c, o.hostname(), host, o.commandTimeout(), o.dataTimeout());
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static List<Result> all(List<String> recipients, String reason, boolean permanent, String remote) {
        List<Result> out = new ArrayList<>();
        for (String r : recipients) {
            out.add(permanent ? Result.permanent(r, reason, remote) : Result.temporary(r, reason, remote));
        }
        return out;
    }
}
