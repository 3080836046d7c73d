package dev.switchboard.hosts;

import dev.switchboard.controller.Registration;
import java.util.Collection;
import java.util.Optional;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv6Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.VlanVid;

/** Published by the {@code hosts} app; reads are lock-free and safe from any thread. */
public interface HostService {

    Collection<Host> hosts();

    Optional<Host> host(MacAddress mac, VlanVid vlan);

    /** The host with this MAC on any VLAN, untagged first. */
    Optional<Host> host(MacAddress mac);

    Optional<Host> hostWithIp(IPv4Address ip);

    Optional<Host> hostWithIp(IPv6Address ip);

    Registration addListener(HostListener listener);
}
