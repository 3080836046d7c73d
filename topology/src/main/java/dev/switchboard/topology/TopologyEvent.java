package dev.switchboard.topology;

import java.util.Set;
import org.projectfloodlight.openflow.types.DatapathId;

/** What changed between two snapshots. */
public record TopologyEvent(Topology before, Topology after,
        Set<DatapathId> switchesAdded, Set<DatapathId> switchesRemoved,
        Set<Link> linksAdded, Set<Link> linksRemoved) {

    public TopologyEvent {
        switchesAdded = Set.copyOf(switchesAdded);
        switchesRemoved = Set.copyOf(switchesRemoved);
        linksAdded = Set.copyOf(linksAdded);
        linksRemoved = Set.copyOf(linksRemoved);
    }
}
