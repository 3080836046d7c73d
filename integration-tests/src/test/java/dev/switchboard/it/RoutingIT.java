package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.controller.app.AppCookies;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The routing app on real Mininet: h1 (10.0.1.0/24) and h2 (10.0.2.0/24) behind gateways
 * that exist only in the controller, and h3 (10.0.3.0/24) behind a Linux router reached by
 * a static route. No host has a static ARP entry.
 */
class RoutingIT {
    private static final String COOKIE = String.format("cookie=0x%x", AppCookies.cookie(dev.switchboard.apps.routing.RoutingApp.COOKIE_NUMBER).getValue() >>> 40);
    static final Map<String, Object> ROUTING = Map.of(
            "interfaces", List.of(Map.of("gateway", "10.0.1.1/24"), Map.of("gateway", "10.0.2.1/24")),
            "routes", List.of(Map.of("prefix", "10.0.3.0/24", "via", "10.0.2.254")));

    @Test
    void hostsInThreeSubnetsReachEachOtherAndTheirGateways() {
        try (AppNetwork lab = AppNetwork.start("routed", "OpenFlow13", List.of("forwarding", "routing"),
                Map.of("routing", ROUTING), "g")) {
            lab.awaitDiscovery();

            assertThat(ping(lab, "h1", "10.0.1.1")).contains("ttl=64");
            assertThat(ping(lab, "h2", "10.0.2.1")).contains("ttl=64");
            // one router hop: the TTL of the reply drops by one
            assertThat(ping(lab, "h1", "10.0.2.10")).contains("ttl=63");
            assertThat(ping(lab, "h2", "10.0.1.10")).contains("ttl=63");
            // the router, then the Linux router r
            assertThat(ping(lab, "h1", "10.0.3.10")).contains("ttl=62");
            assertThat(ping(lab, "h3", "10.0.1.10")).contains("ttl=62");
            assertThat(lab.net.run("h1", "ip neigh show")).doesNotContain("PERMANENT");

            assertThat(lab.dumpFlows("s1") + lab.dumpFlows("s2")).contains(COOKIE).contains("dec_ttl");
            // a packet whose TTL runs out at the router is answered with time exceeded
            assertThat(lab.net.run("h1", "ping -c 1 -W 2 -t 1 10.0.2.10"))
                    .containsIgnoringCase("Time to live exceeded").contains("10.0.1.1");
        }
    }

    private static String ping(AppNetwork lab, String host, String address) {
        String out = lab.net.run(host, "ping -c 3 -i 0.3 -W 2 " + address);
        assertThat(out).as(host + " ping " + address).contains(" 0% packet loss");
        return out;
    }
}
