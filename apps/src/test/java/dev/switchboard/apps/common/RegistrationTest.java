package dev.switchboard.apps.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.controller.app.AppRuntime;
import dev.switchboard.controller.app.PipelineOrder;
import dev.switchboard.controller.app.SwitchboardApp;
import dev.switchboard.hosts.HostService;
import dev.switchboard.topology.TopologyService;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistrationTest {
    @Test
    void theAppsAreFoundByServiceLoaderWithTheirDependenciesPlacesAndCookies() {
        Map<String, SwitchboardApp> apps = AppRuntime.available(getClass().getClassLoader());

        assertThat(apps).containsKeys("l2-learning", "forwarding");
        assertThat(apps.get("l2-learning").consumes()).isEqualTo(List.of(TopologyService.class));
        assertThat(apps.get("l2-learning").cookieNumber()).isEqualTo(0x04);
        assertThat(apps.get("l2-learning").pipelineOrder()).isEqualTo(PipelineOrder.L2_LEARNING);
        assertThat(apps.get("forwarding").consumes()).isEqualTo(List.of(TopologyService.class, HostService.class));
        assertThat(apps.get("forwarding").cookieNumber()).isEqualTo(0x05);
        assertThat(apps.get("routing").cookieNumber()).isEqualTo(0x06);
        // the providers are found by type and start first
        assertThat(AppRuntime.resolve(List.of("forwarding"), apps)).extracting(SwitchboardApp::name)
                .containsExactly("topology", "hosts", "forwarding");
        assertThat(apps.get("forwarding").pipelineOrder()).isEqualTo(PipelineOrder.FORWARDING);
    }
}
