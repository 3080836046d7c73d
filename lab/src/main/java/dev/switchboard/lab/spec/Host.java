package dev.switchboard.lab.spec;

import dev.switchboard.hostnet.Route;
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
 * @param routes  further static routes, in order, each with a gateway (see {@link LabValues#route})
 * @param forwarding whether the host routes packets between its interfaces (IPv4 and IPv6
 *                   forwarding on in its namespace): a Linux router in the lab
 */
public record Host(String name, Optional<InetAddress> gateway, List<Route> routes, boolean forwarding) {

    public Host {
        LabNames.checkNodeName(name);
        Objects.requireNonNull(gateway, "gateway");
        routes = List.copyOf(routes);
        for (Route route : routes) {
            if (route.gateway().isEmpty()) {
                throw new IllegalArgumentException("route to " + route.destination() + " of host " + name + " has no via");
            }
        }
    }

    public Host(String name, Optional<InetAddress> gateway, List<Route> routes) {
        this(name, gateway, routes, false);
    }

    /** A host with no gateway and no routes. */
    public static Host named(String name) {
        return new Host(name, Optional.empty(), List.of());
    }

    public Host withGateway(InetAddress newGateway) {
        return new Host(name, Optional.of(newGateway), routes, forwarding);
    }

    public Host withForwarding(boolean on) {
        return new Host(name, gateway, routes, on);
    }

    /** With the gateway parsed strictly from {@code address}. */
    public Host withGateway(String address) {
        return withGateway(LabValues.address(address));
    }

    public Host withRoutes(List<Route> newRoutes) {
        return new Host(name, gateway, newRoutes, forwarding);
    }
}
