package dev.switchboard.ovsdb.vswitch;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** What the typed layer reads from the replica; immutable. */
public final class Views {

    private Views() {
    }

    public record BridgeView(UUID uuid, String name, String datapathType, Optional<String> datapathId,
            Optional<String> failMode, Set<String> protocols, Map<String, String> otherConfig,
            Map<String, String> externalIds, List<ControllerView> controllers, List<PortView> ports) {

        public Optional<PortView> port(String name) {
            return ports.stream().filter(p -> p.name().equals(name)).findFirst();
        }
    }

    public record PortView(UUID uuid, String name, Optional<Long> tag, Set<Long> trunks, List<InterfaceView> interfaces) {
    }

    public record InterfaceView(UUID uuid, String name, String type, Map<String, String> options,
            Optional<Long> ofport, Optional<String> error) {
    }

    public record ControllerView(UUID uuid, String target, boolean connected) {
    }
}
