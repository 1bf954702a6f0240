package org.postern.net;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One listening socket: {@code imap 127.0.0.1:143}, {@code submissions [::]:465}.
 *
 * @param name                     the protocol's short name, used in thread names and logs
 * @param address                  where to bind; port 0 picks a free port
 * @param implicitTls              shake hands right after accept (RFC 8314 §3: 465, 993, 995)
 * @param maxConnections           connections served at once; more are refused
 * @param maxConnectionsPerAddress connections served at once per client address (IPv6: per /64)
 * @param backlog                  the kernel's queue of connections not yet accepted
 * @param connection               how each connection starts out
 */
public record ListenerConfig(String name, InetSocketAddress address, boolean implicitTls, int maxConnections,
                             int maxConnectionsPerAddress, int backlog, ConnectionSettings connection) {

    public ListenerConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(connection, "connection");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address " + address);
        }
        if (maxConnections < 1 || maxConnectionsPerAddress < 1 || backlog < 1) {
            throw new IllegalArgumentException("limits must be positive: " + maxConnections + ", "
                    + maxConnectionsPerAddress + ", " + backlog);
        }
    }

    /** Plain, 1000 connections, 50 per address (offices behind one NAT), default connection settings. */
    public static ListenerConfig of(String name, InetSocketAddress address) {
        return new ListenerConfig(name, address, false, 1000, 50, 128, ConnectionSettings.DEFAULTS);
    }

    public ListenerConfig withImplicitTls(boolean on) {
        return new ListenerConfig(name, address, on, maxConnections, maxConnectionsPerAddress, backlog, connection);
    }

    public ListenerConfig withMaxConnections(int n) {
        return new ListenerConfig(name, address, implicitTls, n, maxConnectionsPerAddress, backlog, connection);
    }

    public ListenerConfig withMaxConnectionsPerAddress(int n) {
        return new ListenerConfig(name, address, implicitTls, maxConnections, n, backlog, connection);
    }

    public ListenerConfig withBacklog(int n) {
        return new ListenerConfig(name, address, implicitTls, maxConnections, maxConnectionsPerAddress, n, connection);
    }

    public ListenerConfig withConnection(ConnectionSettings c) {
        return new ListenerConfig(name, address, implicitTls, maxConnections, maxConnectionsPerAddress, backlog, c);
    }
}
