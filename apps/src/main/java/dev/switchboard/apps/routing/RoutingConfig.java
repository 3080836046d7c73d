package dev.switchboard.apps.routing;

import dev.switchboard.controller.app.AppConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * The {@code apps.routing} section of the config file:
 *
 * <pre>
 * routerMac: "02:53:42:00:00:01"   # optional, this default
 * idleTimeout: 60s                 # routing flows' idle timeout, optional
 * arpTimeout: 3s                   # how long packets wait for a next hop's ARP reply, optional
 * interfaces:                      # one gateway address per subnet, at least one
 *   - gateway: 10.0.1.1/24
 * routes:                          # static routes, optional
 *   - prefix: 10.0.3.0/24
 *     via: 10.0.2.254              # inside a connected subnet
 * </pre>
 *
 * Missing keys take their defaults; {@link #load} checks everything so that a bad file
 * fails at start, with the key named.
 */
record RoutingConfig(String routerMac, List<Interface> interfaces, List<Route> routes,
        Duration idleTimeout, Duration arpTimeout) {

    static final String DEFAULT_ROUTER_MAC = "02:53:42:00:00:01";
    static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    static final Duration DEFAULT_ARP_TIMEOUT = Duration.ofSeconds(3);

    record Interface(String gateway) {
    }

    record Route(String prefix, String via) {
    }

    RoutingConfig {
        routerMac = routerMac == null ? DEFAULT_ROUTER_MAC : routerMac;
        interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
        routes = routes == null ? List.of() : List.copyOf(routes);
        idleTimeout = idleTimeout == null ? DEFAULT_IDLE_TIMEOUT : idleTimeout;
        arpTimeout = arpTimeout == null ? DEFAULT_ARP_TIMEOUT : arpTimeout;
    }

    /**
     * Binds and checks the section. The checks run after binding rather than in the
     * constructor: Jackson calls a record's constructor before it reports unknown keys, and a
     * misspelt {@code interface:} should be reported as such, not as "no interfaces".
     *
     * @throws IllegalArgumentException naming the file, line and key at fault
     */
    static RoutingConfig load(AppConfig section) {
        return section.bind(RoutingConfig.class, RoutingConfig::check);
    }

    /** @throws IllegalArgumentException naming the key at fault */
    void check() {
        parseRouterMac(routerMac);
        if (idleTimeout.isNegative() || idleTimeout.toSeconds() > 0xFFFF) {
            throw new IllegalArgumentException("idleTimeout: " + idleTimeout + " is not 0 to 65535 seconds");
        }
        if (arpTimeout.isZero() || arpTimeout.isNegative()) {
            throw new IllegalArgumentException("arpTimeout: must be positive");
        }
        table();
    }

    MacAddress routerMacAddress() {
        return parseRouterMac(routerMac);
    }

    RoutingTable table() {
        return table(interfaces, routes);
    }

    private static MacAddress parseRouterMac(String text) {
        MacAddress mac;
        try {
            mac = MacAddress.of(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("routerMac: '" + text + "' is not a MAC address"); // no cause: see keyed
        }
        if (mac.isMulticast() || mac.isBroadcast() || mac.equals(MacAddress.NONE)) {
            throw new IllegalArgumentException("routerMac: " + text + " must be a unicast address");
        }
        return mac;
    }

    private static RoutingTable table(List<Interface> interfaces, List<Route> routes) {
        List<RoutingTable.Subnet> subnets = new ArrayList<>();
        for (int i = 0; i < interfaces.size(); i++) {
            String key = "interfaces[" + i + "].gateway";
            String gateway = required(interfaces.get(i) == null ? null : interfaces.get(i).gateway(), key);
            subnets.add(keyed(key, () -> new RoutingTable.Subnet(Ipv4Prefix.address(gateway), Ipv4Prefix.parse(gateway))));
        }
        List<RoutingTable.StaticRoute> statics = new ArrayList<>();
        for (int i = 0; i < routes.size(); i++) {
            Route r = routes.get(i);
            String prefix = required(r == null ? null : r.prefix(), "routes[" + i + "].prefix");
            String via = required(r.via(), "routes[" + i + "].via");
            statics.add(new RoutingTable.StaticRoute(
                    keyed("routes[" + i + "].prefix", () -> Ipv4Prefix.parse(prefix)),
                    keyed("routes[" + i + "].via", () -> Ipv4Prefix.parseAddress(via))));
        }
        return RoutingTable.of(subnets, statics);
    }

    private static String required(String value, String key) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + ": missing");
        }
        return value.trim();
    }

    private static <T> T keyed(String key, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            // No cause: the config binder reports the innermost message, which must name the key.
            throw new IllegalArgumentException(key + ": " + e.getMessage());
        }
    }
}
