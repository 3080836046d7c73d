package dev.switchboard.apps.forwarding;

import dev.switchboard.hosts.Host;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.VlanVid;

/** What a route carries: frames from one MAC to another on one VLAN ({@link VlanVid#ZERO} untagged, as in {@link Host}). */
record RouteKey(MacAddress src, MacAddress dst, VlanVid vlan) {

    /** True when the route starts or ends at {@code host}. */
    boolean involves(Host host) {
        return vlan.equals(host.vlan()) && (src.equals(host.mac()) || dst.equals(host.mac()));
    }
}
