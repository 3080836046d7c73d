package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.controller.ControllerConfig;
import dev.switchboard.hosts.HostService;
import dev.switchboard.server.plugin.GreeterApp;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The composition root: Guice makes the apps ServiceLoader found, with their services injected. */
class SwitchboardWiringTest {

    private static ControllerConfig anyPort() {
        return ControllerConfig.builder().listen(new InetSocketAddress("127.0.0.1", 0)).eventLoopThreads(1).build();
    }

    @Test
    void anAppStartsWithTheProvidersOfWhatItConsumesInjected() {
        try (Switchboard switchboard = Switchboard.start(anyPort(), SwitchboardConfig.defaults().ovsdb(),
                List.of("forwarding"), Map.of())) {
            // forwarding's constructor takes the topology and hosts: it could not start without them
            assertThat(switchboard.apps()).containsExactly("topology", "hosts", "forwarding");
            assertThat(switchboard.service(HostService.class)).isPresent();
            assertThat(switchboard.openflowAddresses()).hasSize(1);
        }
    }

    /** A plug-in's jar contributes a Guice module; its app gets that binding and its consumed service. */
    @Test
    void aPluginsOwnModuleAndConsumedServicesReachItsConstructor() {
        try (Switchboard switchboard = Switchboard.start(anyPort(), SwitchboardConfig.defaults().ovsdb(),
                List.of("greeter"), Map.of())) {
            assertThat(switchboard.apps()).containsExactly("topology", "greeter");
            assertThat(GreeterApp.lastGreeting).isEqualTo("hello from the plug-in's module");
            assertThat(GreeterApp.lastTopology).isNotNull();
        }
    }

    @Test
    void anUnknownAppIsRefusedBeforeAnythingListens() {
        assertThatThrownBy(() -> Switchboard.start(anyPort(), SwitchboardConfig.defaults().ovsdb(),
                List.of("no-such-app"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown app 'no-such-app'");
    }
}
