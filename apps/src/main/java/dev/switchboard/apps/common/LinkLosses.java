package dev.switchboard.apps.common;

import dev.switchboard.topology.Link;
import dev.switchboard.topology.SwitchPort;
import dev.switchboard.topology.TopologyEvent;
import java.util.HashSet;
import java.util.Set;

/**
 * The links a topology change really lost. A link can leave a snapshot only to come back as
 * another kind between the same ports (a BDDP link replaced by the LLDP one, as discovery
 * settles after a controller restart): its ports still carry traffic the same way, and flows
 * through them must not be deleted for it.
 */
public final class LinkLosses {
    private LinkLosses() {
    }

    /** The removed links whose source port has no link in the new snapshot. */
    public static Set<Link> of(TopologyEvent event) {
        if (event.linksRemoved().isEmpty()) {
            return Set.of();
        }
        Set<SwitchPort> stillLinked = new HashSet<>();
        for (Link link : event.after().links()) {
            stillLinked.add(link.src());
        }
        Set<Link> lost = new HashSet<>();
        for (Link link : event.linksRemoved()) {
            if (!stillLinked.contains(link.src())) {
                lost.add(link);
            }
        }
        return lost;
    }
}
