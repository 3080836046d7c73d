package dev.switchboard.rest;

import java.util.List;
import java.util.Map;

/** A change to an OVSDB server's bridges, as the API's write routes ask for it; checked by the resource. */
public sealed interface OvsChange {

    /** @param datapathType {@code netdev}, {@code system} or null; @param failMode {@code secure}, {@code standalone} or null */
    record AddBridge(String name, String datapathType, String failMode, List<String> protocols,
            List<String> controllers, boolean mayExist) implements OvsChange {
    }

    record DeleteBridge(String name, boolean ifExists) implements OvsChange {
    }

    /** @param type an OVS interface type: system, internal, patch, vxlan, geneve, gre, tap */
    record AddPort(String bridge, String name, String type, Map<String, String> options, Long tag,
            List<Long> trunks, boolean mayExist) implements OvsChange {
    }

    record DeletePort(String bridge, String name, boolean ifExists) implements OvsChange {
    }

    /** The bridge's controllers become exactly {@code targets} (none: no controller). */
    record SetControllers(String bridge, List<String> targets) implements OvsChange {
    }

    record SetFailMode(String bridge, String failMode) implements OvsChange {
    }
}
