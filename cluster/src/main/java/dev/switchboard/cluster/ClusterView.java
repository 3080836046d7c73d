package dev.switchboard.cluster;

import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.projectfloodlight.openflow.types.DatapathId;

/**
 * The cluster as one member last read it from ZooKeeper: the live members and the master of each
 * datapath that has one. Immutable.
 */
public record ClusterView(SortedSet<String> members, Map<DatapathId, String> masters) {
    public static final ClusterView EMPTY = new ClusterView(new TreeSet<>(), Map.of());

    public ClusterView {
        members = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(members));
        masters = Map.copyOf(masters);
    }
}
