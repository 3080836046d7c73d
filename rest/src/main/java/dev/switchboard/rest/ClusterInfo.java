package dev.switchboard.rest;

import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import org.projectfloodlight.openflow.types.DatapathId;

/**
 * What the API shows of the controller cluster this instance belongs to: the members and the
 * master of each switch, as this instance last read them from the cluster's coordination.
 * Implementations answer from memory, without blocking.
 */
public interface ClusterInfo {

    /** This instance's name in the cluster. */
    String nodeId();

    /** Whether this instance is in touch with the coordination service now (without it, it masters nothing). */
    boolean connected();

    /** The live members. */
    SortedSet<String> members();

    /** The master of every switch that has one, by node id. */
    Map<DatapathId, String> masters();

    default Optional<String> master(DatapathId dpid) {
        return Optional.ofNullable(masters().get(dpid));
    }
}
