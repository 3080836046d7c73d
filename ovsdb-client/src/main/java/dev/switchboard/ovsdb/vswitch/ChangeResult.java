package dev.switchboard.ovsdb.vswitch;

import java.util.Map;
import java.util.UUID;

/**
 * What a committed batch of changes made.
 *
 * @param bridges          uuids of the bridges it created, by name
 * @param ports            uuids of the ports it created, by name
 * @param interfaces       uuids of the interfaces it created, by name
 * @param ofports          OpenFlow port numbers of the new interfaces, once ovs-vswitchd applied them
 *                         (empty with {@link ApplyOptions#noWait()})
 * @param interfaceErrors  new interfaces ovs-vswitchd could not set up, with its reason
 */
public record ChangeResult(Map<String, UUID> bridges, Map<String, UUID> ports, Map<String, UUID> interfaces,
        Map<String, Long> ofports, Map<String, String> interfaceErrors) {

    public ChangeResult {
        bridges = Map.copyOf(bridges);
        ports = Map.copyOf(ports);
        interfaces = Map.copyOf(interfaces);
        ofports = Map.copyOf(ofports);
        interfaceErrors = Map.copyOf(interfaceErrors);
    }

    static final ChangeResult NOTHING = new ChangeResult(Map.of(), Map.of(), Map.of(), Map.of(), Map.of());
}
