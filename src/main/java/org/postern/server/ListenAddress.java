package org.postern.server;

import java.net.InetSocketAddress;

/**
 * Where a listener listens: {@code HOST:PORT}, {@code *:PORT} (every address), {@code [::1]:PORT},
 * or {@code off}.
 */
public record ListenAddress(String host, int port) {
    public static final ListenAddress OFF = new ListenAddress(null, -1);

    public boolean isOff() {
        return port < 0;
    }

    public boolean isWildcard() {
        return "*".equals(host);
    }

    public InetSocketAddress socketAddress() {
        if (isOff()) {
            throw new IllegalStateException("listener is off");
        }
        return isWildcard() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    /**
     * Parses {@code HOST:PORT}, {@code [IPV6]:PORT}, {@code *:PORT}, a bare {@code PORT} (every
     * address) or {@code off}.
     *
     * @throws IllegalArgumentException with a sentence saying what is wrong
     */
    public static ListenAddress parse(String text) {
        String t = text.strip();
        if (t.equalsIgnoreCase("off")) {
            return OFF;
        }
        String host;
        String port;
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0 || close + 1 >= t.length() || t.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("'" + text + "' is not HOST:PORT (an IPv6 address is written [::1]:993)");
            }
            host = t.substring(1, close);
            port = t.substring(close + 2);
        } else if (t.chars().allMatch(Character::isDigit) && !t.isEmpty()) {
            host = "*";
            port = t;
        } else {
            int colon = t.lastIndexOf(':');
            if (colon == 0) {
                throw new IllegalArgumentException("'" + text + "' has no host (write *" + t + " for every address)");
            }
            if (colon < 0 || t.indexOf(':') != colon) {
                throw new IllegalArgumentException("'" + text + "' is not HOST:PORT or off (for example 127.0.0.1:993, *:993, [::1]:993)");
            }
            host = t.substring(0, colon);
            port = t.substring(colon + 1);
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + port + "' in '" + text + "' is not a port number");
        }
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException("port " + p + " in '" + text + "' is outside 0-65535");
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' has no host (write *:" + p + " for every address)");
        }
        return new ListenAddress(host, p);
    }

    @Override
    public String toString() {
        if (isOff()) {
            return "off";
        }
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
