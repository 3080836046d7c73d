package dev.switchboard.apps.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.controller.app.AppRuntime;
import dev.switchboard.controller.app.PipelineOrder;
import dev.switchboard.controller.app.SwitchboardApp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistrationTest {
    @Test
    void bothAppsAreFoundByServiceLoaderWithTheirRequirementsAndPlaces() {
        Map<String, SwitchboardApp> apps = AppRuntime.available(getClass().getClassLoader());

        assertThat(apps).containsKeys("l2-learning", "forwarding");
        assertThat(apps.get("l2-learning").requires()).isEqualTo(List.of("topology"));
        assertThat(apps.get("l2-learning").pipelineOrder()).isEqualTo(PipelineOrder.L2_LEARNING);
        assertThat(apps.get("forwarding").requires()).isEqualTo(List.of("topology", "hosts"));
        assertThat(apps.get("forwarding").pipelineOrder()).isEqualTo(PipelineOrder.FORWARDING);
    }
}
