package dev.switchboard.ovsdb.vswitch;

import java.util.List;
import java.util.Set;

/** One change to Open vSwitch's configuration, as {@code ovs-vsctl} users think of them. */
public sealed interface Change {

    /** {@code mayExist}: a bridge of that name is fine (as {@code ovs-vsctl --may-exist add-br}). */
    record AddBridge(BridgeSpec bridge, boolean mayExist) implements Change {
    }

    /**
     * Sets what {@code bridge} declares on an existing bridge: its datapath type, fail mode and
     * protocols where given (non-null, non-empty), and its other_config and external_ids keys
     * (other keys are kept).
     */
    record ConfigureBridge(BridgeSpec bridge) implements Change {
    }

    /** {@code ifExists}: no such bridge is fine (as {@code ovs-vsctl --if-exists del-br}). */
    record DeleteBridge(String name, boolean ifExists) implements Change {
    }

    record AddPort(PortSpec port, boolean mayExist) implements Change {
    }

    /** @param bridge the bridge the port must be on, or null for any */
    record DeletePort(String bridge, String name, boolean ifExists) implements Change {
    }

    /** Replaces the bridge's controllers; an empty list clears them. */
    record SetControllers(String bridge, List<String> targets) implements Change {
        public SetControllers {
            targets = List.copyOf(targets);
        }
    }

    /** Replaces the managers ({@code ovs-vsctl set-manager}); an empty list clears them. */
    record SetManagers(List<String> targets) implements Change {
        public SetManagers {
            targets = List.copyOf(targets);
        }
    }

    /** Sets a port's access VLAN (null clears it) and trunks (empty: all). */
    record SetVlan(String port, Long tag, Set<Long> trunks) implements Change {
        public SetVlan {
            trunks = Set.copyOf(trunks);
        }
    }
}
