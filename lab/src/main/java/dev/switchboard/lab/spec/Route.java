package dev.switchboard.lab.spec;

import java.net.InetAddress;
import java.util.Objects;

/**
 * A static route of a host: {@code ip route add TO via VIA} in its namespace. In YAML,
 * {@code {to: 10.9.0.0/16, via: 10.0.8.253}}; {@code to: default} is {@code 0.0.0.0/0} or
 * {@code ::/0}, by the family of {@code via}.
 *
 * @param to  the destination prefix, host bits clear
 * @param via the next hop, of the same family, inside one of the host's subnets
 */
public record Route(Cidr to, InetAddress via) {

    public Route {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(via, "via");
        if (!to.isNetwork()) {
            throw new IllegalArgumentException("route destination " + to + " has host bits set; did you mean " + to.network() + "?");
        }
        if (to.address().getAddress().length != via.getAddress().length) {
            throw new IllegalArgumentException("route to " + to + " via " + IpAddresses.format(via) + " mixes IPv4 and IPv6");
        }
    }

    /** A route from text: {@code to} is a prefix or {@code default}, {@code via} an address. */
    public static Route parse(String to, String via) {
        InetAddress next = IpAddresses.parse(via);
        Cidr destination = to.equals("default")
                ? new Cidr(IpAddresses.parse(next.getAddress().length == 4 ? "0.0.0.0" : "::"), 0)
                : Cidr.parse(to);
        return new Route(destination, next);
    }

    /** Whether this is a default route. */
    public boolean isDefault() {
        return to.prefixLength() == 0;
    }

    @Override
    public String toString() {
        return to + " via " + IpAddresses.format(via);
    }
}
