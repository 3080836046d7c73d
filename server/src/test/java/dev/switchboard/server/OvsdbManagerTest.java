package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.ovsdb.vswitch.BridgeSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OvsdbManagerTest {

    private static SwitchboardConfig.Bridge bridge(String failMode) {
        return new SwitchboardConfig.Bridge("br0", "netdev", failMode, List.of("OpenFlow13"), Map.of(), Map.of());
    }

    @Test
    void aDeclaredBridgeIsSecureUnlessItSaysOtherwise() {
        assertThat(OvsdbManager.spec(bridge(null)).failMode()).isEqualTo("secure");
        assertThat(OvsdbManager.spec(bridge("standalone")).failMode()).isEqualTo("standalone");
        BridgeSpec spec = OvsdbManager.spec(bridge("secure"));
        assertThat(spec.failMode()).isEqualTo("secure");
        assertThat(spec.datapathType()).isEqualTo("netdev");
    }

    @Test
    void anUnknownFailModeIsRefusedNamingTheBridge() {
        assertThatThrownBy(() -> OvsdbManager.spec(bridge("open")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("br0").hasMessageContaining("failMode").hasMessageContaining("'open'");
    }
}
