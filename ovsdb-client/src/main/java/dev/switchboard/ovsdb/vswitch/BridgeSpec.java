package dev.switchboard.ovsdb.vswitch;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A bridge to create.
 *
 * @param datapathType {@code netdev} for the userspace datapath, {@code system} (or null, OVS's
 *                     default) for the kernel one
 * @param failMode     {@code secure}, {@code standalone} or null (OVS's default, standalone)
 * @param protocols    OpenFlow versions by OVS name ({@code OpenFlow13}); empty: OVS's default
 */
public record BridgeSpec(String name, String datapathType, String failMode, Set<String> protocols,
        Map<String, String> otherConfig, Map<String, String> externalIds) {

    public BridgeSpec {
        Objects.requireNonNull(name, "name");
        protocols = Set.copyOf(protocols);
        otherConfig = Map.copyOf(otherConfig);
        externalIds = Map.copyOf(externalIds);
    }

    public static BridgeSpec named(String name) {
        return new BridgeSpec(name, null, null, Set.of(), Map.of(), Map.of());
    }

    public BridgeSpec withDatapathType(String value) {
        return new BridgeSpec(name, value, failMode, protocols, otherConfig, externalIds);
    }

    public BridgeSpec withFailMode(String value) {
        return new BridgeSpec(name, datapathType, value, protocols, otherConfig, externalIds);
    }

    public BridgeSpec withProtocols(Set<String> value) {
        return new BridgeSpec(name, datapathType, failMode, value, otherConfig, externalIds);
    }

    public BridgeSpec withOtherConfig(Map<String, String> value) {
        return new BridgeSpec(name, datapathType, failMode, protocols, value, externalIds);
    }

    public BridgeSpec withExternalIds(Map<String, String> value) {
        return new BridgeSpec(name, datapathType, failMode, protocols, otherConfig, value);
    }
}
