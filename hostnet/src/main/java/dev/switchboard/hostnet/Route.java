package dev.switchboard.hostnet;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * A route of the main routing table: where packets to {@code destination} go. Build one with {@link #to(Cidr)} and
 * the {@code via}/{@code dev} copies, e.g. {@code Route.to(Cidr.parse("10.0.9.0/24")).via(gw)}.
 *
 * @param destination the destination prefix, host bits zero; {@code 0.0.0.0/0} or {@code ::/0} for the default route
 * @param gateway     the next hop, same family as the destination
 * @param device      the outgoing link
 */
public record Route(Cidr destination, Optional<InetAddress> gateway, Optional<String> device) {

    public Route {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(device, "device");
        if (gateway.isPresent() && IpAddresses.isIpv6(gateway.get()) != destination.isIpv6()) {
            throw new InvalidRequestException("route to " + destination + " has gateway "
                    + IpAddresses.format(gateway.get()) + " of the other address family");
        }
        device.ifPresent(d -> Names.checkInterfaceName("route device name", d));
    }

    /** A route to {@code destination}, to be completed with {@link #via} and/or {@link #dev}. */
    public static Route to(Cidr destination) {
        return new Route(destination, Optional.empty(), Optional.empty());
    }

    /** The default route of the gateway's family through {@code gateway}. */
    public static Route defaultVia(InetAddress gateway) {
        return to(Cidr.defaultRoute(IpAddresses.isIpv6(gateway))).via(gateway);
    }

    /** This route with next hop {@code gateway}. */
    public Route via(InetAddress gateway) {
        return new Route(destination, Optional.of(gateway), device);
    }

    /** This route through link {@code device}. */
    public Route dev(String device) {
        return new Route(destination, gateway, Optional.of(device));
    }

    public boolean isDefault() {
        return destination.isDefault();
    }

    @Override
    public String toString() {
        return destination + gateway.map(g -> " via " + IpAddresses.format(g)).orElse("")
                + device.map(d -> " dev " + d).orElse("");
    }
}
