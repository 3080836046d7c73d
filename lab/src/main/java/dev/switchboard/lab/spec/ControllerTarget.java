package dev.switchboard.lab.spec;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * Where an OVS bridge connects to its controller: {@code tcp:HOST:PORT} as OVS writes it,
 * HOST an IPv4 literal or a bracketed IPv6 literal ({@code tcp:[::1]:6653}); never a DNS
 * name. The port may be left out and defaults to {@value #DEFAULT_PORT}.
 *
 * @param address the controller's address
 * @param port    its TCP port, 1..65535
 */
public record ControllerTarget(InetAddress address, int port) {

    /** The IANA OpenFlow port. */
    public static final int DEFAULT_PORT = 6653;

    public ControllerTarget {
        Objects.requireNonNull(address, "address");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("controller port " + port + " is outside 1..65535");
        }
    }

    /**
     * Parses {@code tcp:HOST[:PORT]}.
     *
     * @throws IllegalArgumentException quoting {@code text} and showing the expected form
     */
    public static ControllerTarget parse(String text) {
        String hint = "'" + text + "' is not a controller target like tcp:127.0.0.1:6653 or tcp:[::1]:6653";
        if (text == null || !text.startsWith("tcp:")) {
            throw new IllegalArgumentException(hint + (text != null && text.startsWith("ssl:")
                    ? " (labs connect over tcp: only)" : ""));
        }
        String rest = text.substring(4);
        String host;
        String port = null;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException(hint);
            }
            host = rest.substring(1, close);
            String after = rest.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw new IllegalArgumentException(hint);
                }
                port = after.substring(1);
            }
            if (host.indexOf(':') < 0) {
                throw new IllegalArgumentException(hint + " (brackets are for IPv6 only)");
            }
        } else {
            int colon = rest.indexOf(':');
            if (colon >= 0 && rest.indexOf(':', colon + 1) >= 0) {
                throw new IllegalArgumentException(hint + " (put an IPv6 address in brackets)");
            }
            host = colon < 0 ? rest : rest.substring(0, colon);
            port = colon < 0 ? null : rest.substring(colon + 1);
        }
        InetAddress address;
        try {
            address = LabValues.address(host);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(hint + ": " + e.getMessage(), e);
        }
        int portNumber = port == null ? DEFAULT_PORT : port(port);
        if (portNumber < 1) {
            throw new IllegalArgumentException(hint + " (the port must be 1..65535)");
        }
        return new ControllerTarget(address, portNumber);
    }

    /** A port number 1..65535 in decimal without sign or leading zeros; 0 if it is not one. */
    private static int port(String text) {
        if (text.isEmpty() || text.length() > 5 || (text.length() > 1 && text.charAt(0) == '0')
                || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return 0;
        }
        int value = Integer.parseInt(text);
        return value > 65535 ? 0 : value;
    }

    /** The OVS target text, {@code tcp:HOST:PORT}, with IPv6 in brackets. */
    @Override
    public String toString() {
        String host = dev.switchboard.hostnet.IpAddresses.format(address);
        return "tcp:" + (address instanceof Inet6Address ? "[" + host + "]" : host) + ":" + port;
    }
}
