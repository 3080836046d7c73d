package dev.switchboard.ovsdb.vswitch;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A port with one interface of the same name, to add to a bridge.
 *
 * @param options the interface's options: {@code peer} for patch ports, {@code remote_ip} and
 *                {@code key} for tunnels
 * @param tag     access VLAN, or null
 * @param trunks  trunk VLANs; empty: all
 * @param ofportRequest the OpenFlow port number to ask for ({@code ofport_request}), or null for any
 */
public record PortSpec(String bridge, String name, InterfaceType type, Map<String, String> options, Long tag,
        Set<Long> trunks, Long ofportRequest) {

    public PortSpec(String bridge, String name, InterfaceType type, Map<String, String> options, Long tag, Set<Long> trunks) {
        this(bridge, name, type, options, tag, trunks, null);
    }

    public PortSpec {
        Objects.requireNonNull(bridge, "bridge");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        options = Map.copyOf(options);
        trunks = Set.copyOf(trunks);
        if (tag != null && (tag < 0 || tag > 4095)) {
            throw new InvalidSpecException("tag", "port " + name + ": VLAN tag " + tag + " is not in 0..4095");
        }
        if (type == InterfaceType.PATCH && !options.containsKey("peer")) {
            throw new InvalidSpecException("options.peer", "patch port " + name + " needs the option peer=<other end>");
        }
        if (ofportRequest != null && (ofportRequest < 1 || ofportRequest > 0xfeff)) {
            throw new InvalidSpecException("ofport_request", "port " + name + ": OpenFlow port number " + ofportRequest + " is not in 1..65279");
        }
        if (type.isTunnel() && !options.containsKey("remote_ip")) {
            throw new InvalidSpecException("options.remote_ip", type.name().toLowerCase() + " port " + name + " needs the option remote_ip");
        }
    }

    public static PortSpec of(String bridge, String name, InterfaceType type) {
        return new PortSpec(bridge, name, type, Map.of(), null, Set.of());
    }

    public static PortSpec patch(String bridge, String name, String peer) {
        return new PortSpec(bridge, name, InterfaceType.PATCH, Map.of("peer", peer), null, Set.of());
    }

    public static PortSpec tunnel(String bridge, String name, InterfaceType type, String remoteIp, String key) {
        Map<String, String> options = key == null ? Map.of("remote_ip", remoteIp) : Map.of("remote_ip", remoteIp, "key", key);
        return new PortSpec(bridge, name, type, options, null, Set.of());
    }

    public PortSpec withTag(Long value) {
        return new PortSpec(bridge, name, type, options, value, trunks, ofportRequest);
    }

    public PortSpec withTrunks(Set<Long> value) {
        return new PortSpec(bridge, name, type, options, tag, value, ofportRequest);
    }

    public PortSpec withOptions(Map<String, String> value) {
        return new PortSpec(bridge, name, type, value, tag, trunks, ofportRequest);
    }

    public PortSpec withOfportRequest(Long value) {
        return new PortSpec(bridge, name, type, options, tag, trunks, value);
    }
}
