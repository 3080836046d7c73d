package dev.switchboard.apps.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.apps.routing.RoutingTable.StaticRoute;
import dev.switchboard.apps.routing.RoutingTable.Subnet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.IPv4Address;

class RoutingTableTest {
    private static final Subnet ONE = subnet("10.0.1.1/24");
    private static final Subnet TWO = subnet("10.0.2.1/24");

    private static Subnet subnet(String gateway) {
        return new Subnet(Ipv4Prefix.address(gateway), Ipv4Prefix.parse(gateway));
    }

    private static StaticRoute route(String prefix, String via) {
        return new StaticRoute(Ipv4Prefix.parse(prefix), IPv4Address.of(via));
    }

    private static IPv4Address ip(String text) {
        return IPv4Address.of(text);
    }

    @Test
    void connectedSubnetsRouteToTheDestinationItself() {
        RoutingTable table = RoutingTable.of(List.of(ONE, TWO), List.of());
        assertThat(table.lookup(ip("10.0.2.20")).orElseThrow())
                .isEqualTo(new RoutingTable.NextHop(ip("10.0.2.20"), TWO));
        assertThat(table.lookup(ip("10.0.3.1"))).isEmpty();
    }

    @Test
    void longestPrefixWinsWhateverTheOrderOfConfiguration() {
        RoutingTable table = RoutingTable.of(List.of(ONE, TWO), List.of(
                route("0.0.0.0/0", "10.0.1.254"),
                route("10.9.0.0/16", "10.0.2.254"),
                route("10.9.8.0/24", "10.0.1.253")));
        assertThat(table.lookup(ip("10.9.8.7")).orElseThrow().address()).isEqualTo(ip("10.0.1.253"));
        assertThat(table.lookup(ip("10.9.8.7")).orElseThrow().subnet()).isEqualTo(ONE);
        assertThat(table.lookup(ip("10.9.1.1")).orElseThrow().address()).isEqualTo(ip("10.0.2.254"));
        assertThat(table.lookup(ip("10.9.1.1")).orElseThrow().subnet()).isEqualTo(TWO);
        assertThat(table.lookup(ip("8.8.8.8")).orElseThrow().address()).isEqualTo(ip("10.0.1.254"));
        // the connected /24 is longer than the default route
        assertThat(table.lookup(ip("10.0.2.7")).orElseThrow().address()).isEqualTo(ip("10.0.2.7"));
    }

    @Test
    void aHostRouteBeatsItsSubnet() {
        RoutingTable table = RoutingTable.of(List.of(ONE, TWO), List.of(route("10.0.1.99/32", "10.0.2.254")));
        assertThat(table.lookup(ip("10.0.1.99")).orElseThrow().address()).isEqualTo(ip("10.0.2.254"));
        assertThat(table.lookup(ip("10.0.1.98")).orElseThrow().address()).isEqualTo(ip("10.0.1.98"));
    }

    @Test
    void gatewaysAndTheAddressToAnswerFrom() {
        RoutingTable table = RoutingTable.of(List.of(ONE, TWO), List.of(route("10.0.3.0/24", "10.0.2.254")));
        assertThat(table.isGateway(ip("10.0.1.1"))).isTrue();
        assertThat(table.isGateway(ip("10.0.1.2"))).isFalse();
        assertThat(table.gatewayTowards(ip("10.0.1.10"))).isEqualTo(ip("10.0.1.1"));
        assertThat(table.gatewayTowards(ip("10.0.3.10"))).isEqualTo(ip("10.0.2.1"));
        assertThat(table.gatewayTowards(ip("172.16.0.1"))).isEqualTo(ip("10.0.1.1"));
    }

    @Test
    void rejectsOverlapsUnreachableViasAndDuplicates() {
        assertThatThrownBy(() -> RoutingTable.of(List.of(ONE, subnet("10.0.0.1/16")), List.of()))
                .hasMessageContaining("interfaces[1].gateway").hasMessageContaining("overlaps");
        assertThatThrownBy(() -> RoutingTable.of(List.of(ONE), List.of(route("10.0.3.0/24", "10.0.2.254"))))
                .hasMessageContaining("routes[0].via").hasMessageContaining("not inside a connected subnet");
        assertThatThrownBy(() -> RoutingTable.of(List.of(ONE), List.of(route("10.0.3.0/24", "10.0.1.1"))))
                .hasMessageContaining("routes[0].via");
        assertThatThrownBy(() -> RoutingTable.of(List.of(ONE), List.of(
                route("10.0.3.0/24", "10.0.1.2"), route("10.0.3.0/24", "10.0.1.3"))))
                .hasMessageContaining("routes[1].prefix");
        assertThatThrownBy(() -> RoutingTable.of(List.of(subnet("10.0.1.0/24")), List.of()))
                .hasMessageContaining("network or broadcast");
        assertThatThrownBy(() -> RoutingTable.of(List.of(), List.of())).hasMessageContaining("interfaces");
    }

    @Test
    void prefixesClearHostBitsAndParseStrictly() {
        assertThat(Ipv4Prefix.parse("10.0.3.77/24")).isEqualTo(new Ipv4Prefix(IPv4Address.of("10.0.3.0").getInt(), 24));
        assertThat(Ipv4Prefix.parse("0.0.0.0/0").contains(ip("1.2.3.4"))).isTrue();
        assertThat(Ipv4Prefix.parse("1.2.3.4/32").contains(ip("1.2.3.4"))).isTrue();
        assertThat(Ipv4Prefix.parse("1.2.3.4/32").contains(ip("1.2.3.5"))).isFalse();
        assertThatThrownBy(() -> Ipv4Prefix.parse("10.0.1.300/24")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ipv4Prefix.parse("10.0.1.1/33")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ipv4Prefix.parse("10.0.1.1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ipv4Prefix.parseAddress("host.example")).isInstanceOf(IllegalArgumentException.class);
    }
}
