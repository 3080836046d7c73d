package dev.switchboard.apps.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.controller.app.AppConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.MacAddress;

class RoutingConfigTest {

    private static RoutingConfig bind(Map<String, ?> tree) {
        return RoutingConfig.load(AppConfig.of("apps.routing", tree));
    }

    private static Map<String, Object> gateways(String... cidrs) {
        return Map.of("interfaces", java.util.Arrays.stream(cidrs).map(c -> Map.of("gateway", c)).toList());
    }

    @Test
    void missingKeysTakeDefaults() {
        RoutingConfig config = bind(gateways("10.0.1.1/24"));
        assertThat(config.routerMacAddress()).isEqualTo(MacAddress.of("02:53:42:00:00:01"));
        assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.arpTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.routes()).isEmpty();
    }

    @Test
    void theDocumentedExampleBinds() {
        RoutingConfig config = bind(Map.of(
                "routerMac", "02:53:42:00:00:09",
                "idleTimeout", "30s",
                "interfaces", List.of(Map.of("gateway", "10.0.1.1/24"), Map.of("gateway", "10.0.2.1/24")),
                "routes", List.of(Map.of("prefix", "10.0.3.0/24", "via", "10.0.2.254"))));
        assertThat(config.routerMacAddress()).isEqualTo(MacAddress.of("02:53:42:00:00:09"));
        assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.table().subnets()).hasSize(2);
        assertThat(config.table().routes()).hasSize(1);
    }

    @Test
    void errorsNameTheKey() {
        assertThatThrownBy(() -> bind(Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("apps.routing.interfaces: ");
        assertThatThrownBy(() -> bind(gateways("10.0.1.1/24", "10.0.2.300/24")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interfaces[1].gateway");
        assertThatThrownBy(() -> bind(gateways("10.0.1.1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interfaces[0].gateway");
        assertThatThrownBy(() -> bind(gateways("10.0.1.1/24", "10.0.1.2/25")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interfaces[1].gateway")
                .hasMessageContaining("overlaps");
        assertThatThrownBy(() -> bind(Map.of("interfaces", List.of(Map.of("gateway", "10.0.1.1/24")),
                "routes", List.of(Map.of("prefix", "10.0.3.0/24", "via", "10.0.9.254")))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("routes[0].via");
        assertThatThrownBy(() -> bind(Map.of("interfaces", List.of(Map.of("gateway", "10.0.1.1/24")),
                "routes", List.of(Map.of("prefix", "10.0.3/24", "via", "10.0.1.254")))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("routes[0].prefix");
        assertThatThrownBy(() -> bind(Map.of("interfaces", List.of(Map.of("gateway", "10.0.1.1/24")),
                "routes", List.of(Map.of("prefix", "10.0.3.0/24")))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("routes[0].via");
        assertThatThrownBy(() -> bind(Map.of("routerMac", "ff:ff:ff:ff:ff:ff",
                "interfaces", List.of(Map.of("gateway", "10.0.1.1/24")))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("routerMac");
        assertThatThrownBy(() -> bind(Map.of("routerMac", "not-a-mac",
                "interfaces", List.of(Map.of("gateway", "10.0.1.1/24")))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("routerMac");
        assertThatThrownBy(() -> bind(Map.of("interface", List.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("apps.routing.interface: unknown key; expected one of ").hasMessageContaining(" interfaces, ");
    }
}
