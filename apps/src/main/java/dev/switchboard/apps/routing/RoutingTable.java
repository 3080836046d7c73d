package dev.switchboard.apps.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.projectfloodlight.openflow.types.IPv4Address;

/**
 * The router's connected subnets and static routes, validated and frozen. Lookups are a
 * linear scan of entries sorted longest prefix first: a configured table has a handful of
 * entries, and a scan of a few ints beats a trie at that size and allocates nothing but the
 * answer.
 */
final class RoutingTable {

    /** A connected subnet and the router's address in it. */
    record Subnet(IPv4Address gateway, Ipv4Prefix prefix) {
    }

    record StaticRoute(Ipv4Prefix prefix, IPv4Address via) {
    }

    /**
     * Where a packet goes next: the destination itself for a connected subnet, the route's
     * {@code via} otherwise; {@code subnet} is the connected subnet the next hop is in.
     */
    record NextHop(IPv4Address address, Subnet subnet) {
    }

    /** One entry of the lookup order; {@code via} is null for a connected subnet. */
    private record Entry(Ipv4Prefix prefix, Subnet subnet, IPv4Address via) {
    }

    private final List<Subnet> subnets;
    private final List<StaticRoute> routes;
    private final Entry[] entries;

    private RoutingTable(List<Subnet> subnets, List<StaticRoute> routes, Entry[] entries) {
        this.subnets = subnets;
        this.routes = routes;
        this.entries = entries;
    }

    /**
     * @throws IllegalArgumentException naming the config key at fault: no subnets, overlapping
     *         subnets, a gateway that is the subnet's network or broadcast address, a route
     *         whose {@code via} is not inside a connected subnet or is a gateway, or two routes
     *         for one prefix
     */
    static RoutingTable of(List<Subnet> subnets, List<StaticRoute> routes) {
        if (subnets.isEmpty()) {
            throw new IllegalArgumentException("interfaces: at least one interface with a gateway is needed");
        }
        for (int i = 0; i < subnets.size(); i++) {
            Subnet s = subnets.get(i);
            int gw = s.gateway().getInt();
            if (s.prefix().length() < 31 && (gw == s.prefix().network() || gw == s.prefix().broadcast())) {
                throw new IllegalArgumentException("interfaces[" + i + "].gateway: " + s.gateway()
                        + " is the network or broadcast address of " + s.prefix());
            }
            for (int j = 0; j < i; j++) {
                if (subnets.get(j).prefix().overlaps(s.prefix())) {
                    throw new IllegalArgumentException("interfaces[" + i + "].gateway: subnet " + s.prefix()
                            + " overlaps interfaces[" + j + "] (" + subnets.get(j).prefix() + ")");
                }
            }
        }
        List<Entry> entries = new ArrayList<>();
        subnets.forEach(s -> entries.add(new Entry(s.prefix(), s, null)));
        for (int i = 0; i < routes.size(); i++) {
            StaticRoute r = routes.get(i);
            int index = i;
            Subnet via = subnets.stream().filter(s -> s.prefix().contains(r.via())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("routes[" + index + "].via: " + r.via()
                            + " is not inside a connected subnet (interfaces)"));
            if (subnets.stream().anyMatch(s -> s.gateway().equals(r.via()))) {
                throw new IllegalArgumentException("routes[" + i + "].via: " + r.via() + " is the router's own address");
            }
            for (int j = 0; j < i; j++) {
                if (routes.get(j).prefix().equals(r.prefix())) {
                    throw new IllegalArgumentException("routes[" + i + "].prefix: " + r.prefix()
                            + " is already routed by routes[" + j + "]");
                }
            }
            entries.add(new Entry(r.prefix(), via, r.via()));
        }
        // Longest prefix first; the sort is stable, so a connected subnet beats a static
        // route for the very same prefix.
        entries.sort(Comparator.comparingInt((Entry e) -> e.prefix().length()).reversed());
        return new RoutingTable(List.copyOf(subnets), List.copyOf(routes), entries.toArray(Entry[]::new));
    }

    List<Subnet> subnets() {
        return subnets;
    }

    List<StaticRoute> routes() {
        return routes;
    }

    /** Longest-prefix match; empty when nothing routes {@code destination}. */
    Optional<NextHop> lookup(IPv4Address destination) {
        int address = destination.getInt();
        for (Entry e : entries) {
            if (e.prefix().contains(address)) {
                return Optional.of(new NextHop(e.via() == null ? destination : e.via(), e.subnet()));
            }
        }
        return Optional.empty();
    }

    /** The connected subnet {@code address} is in. */
    Optional<Subnet> connectedSubnet(IPv4Address address) {
        int a = address.getInt();
        for (Subnet s : subnets) {
            if (s.prefix().contains(a)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    boolean isGateway(IPv4Address address) {
        for (Subnet s : subnets) {
            if (s.gateway().equals(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The router's address to answer {@code source} from: the gateway of the subnet the way
     * back to it leaves through, or the first interface's when nothing routes it.
     */
    IPv4Address gatewayTowards(IPv4Address source) {
        return lookup(source).map(hop -> hop.subnet().gateway()).orElse(subnets.get(0).gateway());
    }
}
