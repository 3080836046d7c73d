package dev.switchboard.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * One cluster member's part of the topology, as it shares it through a {@link ClusterExchange}:
 * the switches it masters with their enabled and quarantined ports, and the links it found
 * (probes received at those switches, so each link's far end is on one of them). The network
 * every member publishes is the {@link #union} of the parts: a union of sets, so every member
 * that holds the same parts makes the same snapshot (same spanning tree, same paths), whatever
 * order they came in.
 *
 * <p>Wire form, compact JSON: {@code {"s":{"<dpid>":[ports]},"q":[[dpid,port]],"l":[[srcDpid,
 * srcPort,dstDpid,dstPort,"D"|"B"]]}} with datapath ids as signed 64-bit numbers.
 */
record TopologyPart(Map<DatapathId, Set<OFPort>> enabledPorts, Set<SwitchPort> quarantined, Set<Link> links) {
    static final String KIND = "topology";
    static final TopologyPart EMPTY = new TopologyPart(Map.of(), Set.of(), Set.of());
    private static final ObjectMapper JSON = new ObjectMapper();

    TopologyPart {
        Map<DatapathId, Set<OFPort>> copy = new HashMap<>();
        enabledPorts.forEach((dpid, ports) -> copy.put(dpid, Set.copyOf(ports)));
        enabledPorts = Map.copyOf(copy);
        quarantined = Set.copyOf(quarantined);
        links = Set.copyOf(links);
    }

    Set<DatapathId> switches() {
        return enabledPorts.keySet();
    }

    /** Every part's switches, ports and links together. */
    static TopologyPart union(Collection<TopologyPart> parts) {
        Map<DatapathId, Set<OFPort>> ports = new HashMap<>();
        Set<SwitchPort> quarantined = new HashSet<>();
        Set<Link> links = new HashSet<>();
        for (TopologyPart part : parts) {
            part.enabledPorts.forEach((dpid, enabled) -> ports.computeIfAbsent(dpid, d -> new HashSet<>()).addAll(enabled));
            quarantined.addAll(part.quarantined);
            links.addAll(part.links);
        }
        return new TopologyPart(ports, quarantined, links);
    }

    TopologySnapshot snapshot(long version) {
        return new TopologySnapshot(version, switches(), enabledPorts, quarantined, links);
    }

    byte[] encode() {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode switches = root.putObject("s");
        enabledPorts.forEach((dpid, ports) -> {
            ArrayNode list = switches.putArray(Long.toString(dpid.getLong()));
            ports.forEach(port -> list.add(port.getPortNumber()));
        });
        ArrayNode quarantine = root.putArray("q");
        quarantined.forEach(at -> quarantine.addArray().add(at.dpid().getLong()).add(at.port().getPortNumber()));
        ArrayNode linkList = root.putArray("l");
        for (Link link : links) {
            linkList.addArray().add(link.src().dpid().getLong()).add(link.src().port().getPortNumber())
                    .add(link.dst().dpid().getLong()).add(link.dst().port().getPortNumber())
                    .add(link.kind() == Link.Kind.DIRECT ? "D" : "B");
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    /**
     * @throws IllegalArgumentException for bytes that are not a part (another version's, or damaged)
     */
    static TopologyPart decode(byte[] bytes) {
        try {
            JsonNode root = JSON.readTree(bytes);
            Map<DatapathId, Set<OFPort>> ports = new HashMap<>();
            root.path("s").fields().forEachRemaining(entry -> {
                Set<OFPort> enabled = new HashSet<>();
                entry.getValue().forEach(port -> enabled.add(OFPort.of(port.asInt())));
                ports.put(DatapathId.of(Long.parseLong(entry.getKey())), enabled);
            });
            Set<SwitchPort> quarantined = new HashSet<>();
            root.path("q").forEach(at -> quarantined.add(switchPort(at, 0)));
            Set<Link> links = new HashSet<>();
            root.path("l").forEach(link -> links.add(new Link(switchPort(link, 0), switchPort(link, 2),
                    "B".equals(link.path(4).asText()) ? Link.Kind.BROADCAST_DOMAIN : Link.Kind.DIRECT)));
            return new TopologyPart(ports, quarantined, links);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a topology part: " + e.getMessage(), e);
        }
    }

    private static SwitchPort switchPort(JsonNode array, int at) {
        if (!array.path(at).canConvertToLong() || !array.path(at + 1).canConvertToInt()) {
            throw new IllegalArgumentException("a switch port is [dpid, port]: " + array);
        }
        return new SwitchPort(DatapathId.of(array.get(at).asLong()), OFPort.of(array.get(at + 1).asInt()));
    }
}
