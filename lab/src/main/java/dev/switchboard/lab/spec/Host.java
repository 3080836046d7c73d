package dev.switchboard.lab.spec;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A host: a network namespace ({@link LabNames#namespace}). Its interfaces and their
 * addresses come from the links that end on it ({@link LabSpec#portsOf}).
 *
 * @param name    unique among the lab's hosts and switches; see {@link LabNames#checkNodeName}
 * @param gateway default route's next hop, inside one of the host's subnets
 * @param routes  further static routes, in order
 */
public record Host(String name, Optional<InetAddress> gateway, List<Route> routes) {

    public Host {
        LabNames.checkNodeName(name);
        Objects.requireNonNull(gateway, "gateway");
        routes = List.copyOf(routes);
    }

    /** A host with no gateway and no routes. */
    public static Host named(String name) {
        return new Host(name, Optional.empty(), List.of());
    }

    public Host withGateway(InetAddress newGateway) {
        return new Host(name, Optional.of(newGateway), routes);
    }

    /** With the gateway parsed strictly from {@code address}. */
    public Host withGateway(String address) {
        return withGateway(IpAddresses.parse(address));
    }

    public Host withRoutes(List<Route> newRoutes) {
        return new Host(name, gateway, newRoutes);
    }
}
