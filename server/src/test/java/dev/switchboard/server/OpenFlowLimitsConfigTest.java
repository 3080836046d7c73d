package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.controller.ControllerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The openflow section's limits reach the controller's config. */
class OpenFlowLimitsConfigTest {

    @Test
    void limitsAreReadFromTheOpenflowSection(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("switchboard.yaml"), """
                openflow:
                  maxSwitches: 10
                  maxPendingConnections: 5
                  peerBufferBytes: 262144
                  maxUnwritable: 20s
                  maxReplyBytes: 8388608
                """);

        ControllerConfig config = SwitchboardConfig.load(file).controllerConfig().build();

        assertThat(config.maxSwitches()).isEqualTo(10);
        assertThat(config.maxPendingConnections()).isEqualTo(5);
        assertThat(config.peerBufferBytes()).isEqualTo(262144);
        assertThat(config.writeBufferHighWaterMark()).isEqualTo(131072);
        assertThat(config.maxUnwritable()).isEqualTo(Duration.ofSeconds(20));
        assertThat(config.maxReplyBytes()).isEqualTo(8 << 20);
    }

    @Test
    void defaultsWithoutThem() {
        ControllerConfig config = SwitchboardConfig.defaults().controllerConfig().build();

        assertThat(config.maxSwitches()).isEqualTo(1024);
        assertThat(config.maxPendingConnections()).isEqualTo(256);
        assertThat(config.peerBufferBytes()).isEqualTo(1 << 20);
        assertThat(config.maxUnwritable()).isEqualTo(Duration.ofSeconds(15));
        assertThat(config.maxReplyBytes()).isEqualTo(32 << 20);
    }

    @Test
    void aBudgetTooSmallForTwoMessagesIsRefusedNamingTheKey(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("switchboard.yaml"), "openflow:\n  peerBufferBytes: 1000\n");

        assertThatThrownBy(() -> SwitchboardConfig.load(file))
                .isInstanceOf(SwitchboardConfig.ConfigException.class)
                .hasMessageContaining("peerBufferBytes");
    }

    @Test
    void aReplyCapBelowOnePartIsRefusedAtItsFileLineAndKey(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("switchboard.yaml"), "openflow:\n  maxReplyBytes: 1000\n");

        assertThatThrownBy(() -> SwitchboardConfig.load(file))
                .isInstanceOf(SwitchboardConfig.ConfigException.class)
                .hasMessageContaining("switchboard.yaml:2")
                .hasMessageContaining("openflow.maxReplyBytes");
    }
}
