package dev.switchboard.hosts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.topology.SwitchPort;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv6Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.VlanVid;

/**
 * One cluster member's part of the host table as shared through the cluster exchange: the hosts
 * it learned on the edge ports of the switches it masters.
 *
 * <p>Bounded: at most {@link #MAX_HOSTS} hosts (the ones seen first are kept: a part is rewritten
 * on every change, and a stable choice keeps it from churning). With at most eight addresses of
 * each family a host is under 700 bytes of JSON, so a part stays under ZooKeeper's 1 MB node
 * limit. A member with more hosts than that still forwards to all of them; the others see only
 * the first {@link #MAX_HOSTS} (logged once).
 *
 * <p>Wire form, compact JSON: {@code {"h":[{"m":mac,"v":vlan,"d":dpid,"p":port,"4":[ipv4],
 * "6":["ipv6"],"f":firstSeenMillis,"l":lastSeenMillis}]}}.
 */
final class HostsPart {
    static final String KIND = "hosts";
    static final int MAX_HOSTS = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private HostsPart() {
    }

    static byte[] encode(Collection<Host> hosts) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("h");
        for (Host host : hosts) {
            ObjectNode node = list.addObject();
            node.put("m", host.mac().getLong());
            node.put("v", host.vlan().getVlan());
            node.put("d", host.location().dpid().getLong());
            node.put("p", host.location().port().getPortNumber());
            ArrayNode v4 = node.putArray("4");
            host.ipv4().forEach(ip -> v4.add(ip.getInt()));
            ArrayNode v6 = node.putArray("6");
            host.ipv6().forEach(ip -> v6.add(ip.toString()));
            node.put("f", host.firstSeen().toEpochMilli());
            node.put("l", host.lastSeen().toEpochMilli());
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    /** @throws IllegalArgumentException for bytes that are not a part */
    static List<Host> decode(byte[] bytes) {
        try {
            List<Host> hosts = new ArrayList<>();
            for (JsonNode node : JSON.readTree(bytes).path("h")) {
                Set<IPv4Address> v4 = new HashSet<>();
                node.path("4").forEach(ip -> v4.add(IPv4Address.of(ip.asInt())));
                Set<IPv6Address> v6 = new HashSet<>();
                node.path("6").forEach(ip -> v6.add(IPv6Address.of(ip.asText())));
                hosts.add(new Host(MacAddress.of(required(node, "m").asLong()), VlanVid.ofVlan(node.path("v").asInt()),
                        new SwitchPort(DatapathId.of(required(node, "d").asLong()), OFPort.of(required(node, "p").asInt())),
                        v4, v6, Instant.ofEpochMilli(node.path("f").asLong()), Instant.ofEpochMilli(node.path("l").asLong())));
            }
            return hosts;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a hosts part: " + e.getMessage(), e);
        }
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToLong()) {
            throw new IllegalArgumentException("a host needs '" + field + "'");
        }
        return value;
    }
}
