package dev.switchboard.hosts;

import dev.switchboard.topology.SwitchPort;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv6Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.VlanVid;

/**
 * A host as last seen: its MAC on a VLAN ({@link VlanVid#ZERO} when untagged), the edge port
 * it is attached to, the addresses it used as a source (IP, ARP, NDP).
 */
public record Host(MacAddress mac, VlanVid vlan, SwitchPort location,
        Set<IPv4Address> ipv4, Set<IPv6Address> ipv6, Instant firstSeen, Instant lastSeen) {

    public Host {
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(vlan, "vlan");
        Objects.requireNonNull(location, "location");
        ipv4 = Set.copyOf(ipv4);
        ipv6 = Set.copyOf(ipv6);
        Objects.requireNonNull(firstSeen, "firstSeen");
        Objects.requireNonNull(lastSeen, "lastSeen");
    }
}
