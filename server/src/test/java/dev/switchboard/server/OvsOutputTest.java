package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.ovsdb.vswitch.Views.BridgeView;
import dev.switchboard.ovsdb.vswitch.Views.ControllerView;
import dev.switchboard.ovsdb.vswitch.Views.InterfaceView;
import dev.switchboard.ovsdb.vswitch.Views.PortView;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What {@code switchboard ovs show} prints, as text and as JSON. */
class OvsOutputTest {
    private static final UUID BRIDGE = UUID.fromString("00000000-0000-4000-8000-00000000000b");

    private static final BridgeView BR0 = new BridgeView(BRIDGE, "br0", "netdev", Optional.of("00000000000000b1"),
            Optional.of("secure"), Set.of("OpenFlow15", "OpenFlow13"), Map.of("datapath-id", "00000000000000b1"),
            Map.of("owner", "me"),
            List.of(new ControllerView(uuid(1), "tcp:127.0.0.1:6653", true)),
            List.of(port(2, "br0", null, Set.of(), iface(3, "br0", "internal", Map.of(), 65534L, null)),
                    port(4, "vx0", 10L, Set.of(), iface(5, "vx0", "vxlan", Map.of("remote_ip", "10.0.0.2", "key", "42"), 1L, null)),
                    port(6, "eth9", null, Set.of(2L, 1L), iface(7, "eth9", "", Map.of(), -1L,
                            "could not open network device eth9 (No such device)"))));

    @Test
    void showTextIsLaidOutAndQuotedLikeOvsVsctl() {
        String text = OvsOutput.showText(List.of(BR0), List.of("ptcp:6640"), Optional.of("3.1.0"));

        assertThat(text.lines()).containsExactly(
                "Manager \"ptcp:6640\"",
                "Bridge br0",
                "    Controller \"tcp:127.0.0.1:6653\"",
                "        is_connected: true",
                "    fail_mode: secure",
                "    datapath_type: netdev",
                "    protocols: [OpenFlow13, OpenFlow15]",
                "    Port br0",
                "        Interface br0",
                "            type: internal",
                "            ofport: 65534",
                "    Port eth9",
                "        trunks: [1, 2]",
                "        Interface eth9",
                "            ofport: -1",
                "            error: \"could not open network device eth9 (No such device)\"",
                "    Port vx0",
                "        tag: 10",
                "        Interface vx0",
                "            type: vxlan",
                "            options: {key=\"42\", remote_ip=\"10.0.0.2\"}",
                "            ofport: 1",
                "ovs_version: \"3.1.0\"");
    }

    @Test
    void showTextOfAnEmptyDatabaseIsEmpty() {
        assertThat(OvsOutput.showText(List.of(), List.of(), Optional.empty())).isEmpty();
    }

    @Test
    void showJsonUsesTheColumnNames() throws Exception {
        JsonNode json = new ObjectMapper().readTree(OvsOutput.print(
                OvsOutput.showJson(List.of(BR0), List.of("ptcp:6640"), Optional.empty())));

        assertThat(json.get("managers").get(0).asText()).isEqualTo("ptcp:6640");
        assertThat(json.get("ovs_version").isNull()).isTrue();
        JsonNode bridge = json.get("bridges").get(0);
        assertThat(bridge.get("name").asText()).isEqualTo("br0");
        assertThat(bridge.get("uuid").asText()).isEqualTo(BRIDGE.toString());
        assertThat(bridge.get("fail_mode").asText()).isEqualTo("secure");
        assertThat(bridge.get("datapath_type").asText()).isEqualTo("netdev");
        assertThat(bridge.get("protocols").toString()).isEqualTo("[\"OpenFlow13\",\"OpenFlow15\"]");
        assertThat(bridge.get("external_ids").get("owner").asText()).isEqualTo("me");
        assertThat(bridge.get("controllers").get(0).get("is_connected").asBoolean()).isTrue();
        JsonNode vx0 = bridge.get("ports").get(2);
        assertThat(vx0.get("tag").asLong()).isEqualTo(10);
        assertThat(vx0.get("interfaces").get(0).get("options").get("remote_ip").asText()).isEqualTo("10.0.0.2");
        assertThat(vx0.get("interfaces").get(0).get("ofport").asLong()).isEqualTo(1);
        assertThat(bridge.get("ports").get(0).get("tag").isNull()).isTrue();
        assertThat(bridge.get("ports").get(1).get("trunks").toString()).isEqualTo("[1,2]");
    }

    @Test
    void listPortsLeavesOutTheBridgesOwnPort() {
        assertThat(OvsOutput.portNames(BR0)).containsExactly("eth9", "vx0");
    }

    @Test
    void quotesWhatOvsQuotes() {
        assertThat(OvsOutput.quote("br0")).isEqualTo("br0");
        assertThat(OvsOutput.quote("sb-1.a_b")).isEqualTo("sb-1.a_b");
        assertThat(OvsOutput.quote("42")).isEqualTo("\"42\"");
        assertThat(OvsOutput.quote("")).isEqualTo("\"\"");
        assertThat(OvsOutput.quote("true")).isEqualTo("\"true\"");
        assertThat(OvsOutput.quote("a \"b\"")).isEqualTo("\"a \\\"b\\\"\"");
        assertThat(OvsOutput.map(Map.of("b", "2", "a", "x"))).isEqualTo("{a=x, b=\"2\"}");
        assertThat(OvsOutput.set(Set.of(10L, 2L))).isEqualTo("[2, 10]");
    }

    private static PortView port(int n, String name, Long tag, Set<Long> trunks, InterfaceView iface) {
        return new PortView(uuid(n), name, Optional.ofNullable(tag), trunks, List.of(iface));
    }

    private static InterfaceView iface(int n, String name, String type, Map<String, String> options, Long ofport, String error) {
        return new InterfaceView(uuid(n), name, type, options, Optional.ofNullable(ofport), Optional.ofNullable(error));
    }

    private static UUID uuid(int n) {
        return new UUID(0x4000L, 0x8000000000000000L | n);
    }
}
