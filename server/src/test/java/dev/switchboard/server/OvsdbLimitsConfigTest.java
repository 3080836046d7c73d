package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.ovsdb.jsonrpc.JsonRpcOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The {@code ovsdb:} section's limits become the OVSDB transport's options; bad ones are refused naming the keys. */
class OvsdbLimitsConfigTest {

    private static SwitchboardConfig.Ovsdb limits(Integer maxConnections, Integer maxMessageBytes, Long peerMemoryBytes,
            String unwritableTimeout) {
        return new SwitchboardConfig.Ovsdb(null, null, null, null, null, maxConnections, maxMessageBytes,
                peerMemoryBytes, unwritableTimeout, 256L << 20);
    }

    @Test
    void unsetLimitsKeepTheDefaults() {
        assertThat(new SwitchboardConfig.Ovsdb(null, null, null, null, null, null, null, null, null, null)
                .jsonRpcOptions(JsonRpcOptions.defaults())).isEqualTo(JsonRpcOptions.defaults());
    }

    @Test
    void setLimitsReachTheOptions() {
        JsonRpcOptions options = limits(8, 1 << 20, 4L << 20, "2s").jsonRpcOptions(JsonRpcOptions.defaults());

        assertThat(options.maxConnections()).isEqualTo(8);
        assertThat(options.maxMessageBytes()).isEqualTo(1 << 20);
        assertThat(options.peerMemoryBytes()).isEqualTo(4L << 20);
        assertThat(options.unwritableTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(options.inboundBudgetBytes()).isEqualTo(256L << 20);
    }

    @Test
    void badLimitsAreRefusedNamingTheKeys() {
        assertThatThrownBy(() -> limits(0, null, null, null).jsonRpcOptions(JsonRpcOptions.defaults()))
                .hasMessageContaining("ovsdb (maxConnections").hasMessageContaining("maxConnections must be at least 1");
        assertThatThrownBy(() -> limits(null, null, 1024L, null).jsonRpcOptions(JsonRpcOptions.defaults()))
                .hasMessageContaining("peerMemoryBytes must be at least writeBufferHighBytes");
        assertThatThrownBy(() -> limits(null, null, null, "soon").jsonRpcOptions(JsonRpcOptions.defaults()))
                .hasMessageContaining("unwritableTimeout");
    }
}
